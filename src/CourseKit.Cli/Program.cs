using CourseKit.Cli;
using CourseKit.Display;
using CourseKit.Notebooks;

return args.FirstOrDefault() switch
{
    "demo" => Demo.Run(),
    "run" => RunCommand.Run(args[1..], Console.Out, Console.Error, PlotlyJs.ScriptTag),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("usage: coursekit demo     print the lecture's worked examples computed by the library");
    Console.Error.WriteLine("       coursekit run NOTEBOOK... [--out DIR] [--html] [--continue-on-error] [--timeout SECONDS]");
    Console.Error.WriteLine("                          execute notebooks headlessly (coursekit run --help for details)");
    return 2;
}
