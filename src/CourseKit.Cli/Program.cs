using System.CommandLine;
using CourseKit.Cli;
using CourseKit.Display;
using CourseKit.Notebooks;
using CourseKit.Notebooks.Grading;
using CourseKit.Notebooks.Jupyter;

// the grader's child process speaks a protocol with its parent, not with people: no parsing, no help
if (args.FirstOrDefault() == GradingChild.Command) return GradingChild.Run(args[1..], Console.Error);

var demo = new Command("demo", "Prints the lecture's worked examples (chapters 1, 2 and 5.3), each computed by the library.");
demo.SetAction(_ => Demo.Run());
var root = ToolCommandLine.Root(
    demo,
    RunCommand.Create(PlotlyJs.ScriptTag),
    ReleaseCommand.Create(),
    GradeCommand.Create(),
    KernelCommand.Create());
return ToolCommandLine.Invoke(root, args, Console.Out, Console.Error);
