using System.CommandLine;
using CourseKit.Notebooks;
using CourseKit.Notebooks.Grading;

namespace CourseKit.Cli;

/// <summary>
/// <c>coursekit release SOURCE_FOLDER --out DIR</c>: writes the student version of every notebook (solutions replaced
/// by a stub, hidden tests removed, outputs cleared). Exit code 0, or 2 when arguments or grading marks are wrong.
/// </summary>
internal static class ReleaseCommand
{
    public static Command Create()
    {
        var source = new Argument<string>("SOURCE_FOLDER") { Description = "the instructor's notebooks (sub-folders kept)" };
        var outFolder = new Option<string>("--out") { Description = "folder for the student versions", HelpName = "DIR", Required = true };
        var command = new Command("release",
            "Writes the student version of every notebook: solutions become \"// YOUR CODE HERE\", hidden tests and outputs "
            + "are removed (exit code 0, or 2: bad arguments or grading marks).")
        {
            source, outFolder,
        };
        command.SetAction(parsed => Run(parsed.GetValue(source)!, parsed.GetValue(outFolder)!,
            parsed.InvocationConfiguration.Output, parsed.InvocationConfiguration.Error));
        return command;
    }

    private static int Run(string source, string outFolder, TextWriter output, TextWriter errors)
    {
        try
        {
            var written = StudentRelease.ReleaseFolder(source, outFolder);
            foreach (var path in written) output.WriteLine($"released {path}");
            output.WriteLine($"{written.Count} notebook(s) released to {outFolder}");
            return 0;
        }
        catch (Exception e) when (e is GradingMarkupException or NotebookFormatException or DirectoryNotFoundException)
        {
            errors.WriteLine($"coursekit release: {e.Message}");
            return ToolCommandLine.BadArguments;
        }
    }
}
