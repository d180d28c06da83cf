namespace CourseKit.Notebooks.Grading;

/// <summary>
/// How to start the <c>coursekit grade-one</c> child process: the executable and the arguments that come before
/// <c>grade-one</c> (for example <c>dotnet</c> and <c>path/to/CourseKit.Cli.dll</c>).
/// </summary>
public sealed record ChildCommand(string FileName, IReadOnlyList<string> LeadingArguments)
{
    /// <summary>The running coursekit itself: its app host, or <c>dotnet</c> with the entry assembly.</summary>
    public static ChildCommand CurrentProcess()
    {
        string process = Environment.ProcessPath ?? "dotnet";
        string entry = System.Reflection.Assembly.GetEntryAssembly()?.Location ?? "";
        bool viaDotnet = Path.GetFileNameWithoutExtension(process).Equals("dotnet", StringComparison.OrdinalIgnoreCase);
        return viaDotnet ? new ChildCommand(process, [entry]) : new ChildCommand(process, []);
    }
}
