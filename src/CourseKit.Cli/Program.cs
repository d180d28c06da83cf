using CourseKit.Cli;

return args.Length > 0 && args[0] == "demo" ? Demo.Run() : Usage();

static int Usage()
{
    Console.Error.WriteLine("usage: coursekit demo     print the lecture's worked examples computed by the library");
    return 2;
}
