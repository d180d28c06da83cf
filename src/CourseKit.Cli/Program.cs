using CourseKit.Cli;
using CourseKit.Display;
using CourseKit.Notebooks;
using CourseKit.Notebooks.Grading;

return args.FirstOrDefault() switch
{
    "demo" => Demo.Run(),
    "run" => RunCommand.Run(args[1..], Console.Out, Console.Error, PlotlyJs.ScriptTag),
    "release" => ReleaseCommand.Run(args[1..], Console.Out, Console.Error),
    "grade" => GradeCommand.Run(args[1..], Console.Out, Console.Error),
    GradingChild.Command => GradingChild.Run(args[1..], Console.Error), // the grader's child process
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("usage: coursekit demo     print the lecture's worked examples computed by the library");
    Console.Error.WriteLine("       coursekit run NOTEBOOK... [--out DIR] [--html] [--continue-on-error] [--timeout SECONDS]");
    Console.Error.WriteLine("                          execute notebooks headlessly (coursekit run --help for details)");
    Console.Error.WriteLine("       coursekit release SOURCE_FOLDER --out DIR");
    Console.Error.WriteLine("                          write the student versions of the notebooks (solutions and hidden tests removed)");
    Console.Error.WriteLine("       coursekit grade SUBMISSIONS_DIR --source NOTEBOOKS_DIR --out RESULTS_DIR [--regrade] ...");
    Console.Error.WriteLine("                          grade every student's notebooks (coursekit grade for details)");
    return 2;
}
