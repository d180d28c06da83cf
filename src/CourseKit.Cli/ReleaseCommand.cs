using CourseKit.Notebooks;
using CourseKit.Notebooks.Grading;

namespace CourseKit.Cli;

/// <summary>
/// <c>coursekit release SOURCE_FOLDER --out DIR</c>: writes the student version of every notebook (solutions replaced
/// by a stub, hidden tests removed, outputs cleared). Exit code 0, or 2 when arguments or grading marks are wrong.
/// </summary>
internal static class ReleaseCommand
{
    public const string Usage = """
        usage: coursekit release SOURCE_FOLDER --out DIR
          writes the student version of every notebook under SOURCE_FOLDER into DIR (sub-folders kept):
          solution regions become "// YOUR CODE HERE" + "throw new NotImplementedException();", hidden tests are
          removed, outputs are cleared; markdown, visible tests and grading metadata stay as they are.
        """;

    public static int Run(IReadOnlyList<string> args, TextWriter output, TextWriter errors)
    {
        if (args.Count != 3 || args[1] != "--out")
        {
            errors.WriteLine(Usage);
            return 2;
        }
        try
        {
            var written = StudentRelease.ReleaseFolder(args[0], args[2]);
            foreach (var path in written) output.WriteLine($"released {path}");
            output.WriteLine($"{written.Count} notebook(s) released to {args[2]}");
            return 0;
        }
        catch (Exception e) when (e is GradingMarkupException or NotebookFormatException or DirectoryNotFoundException)
        {
            errors.WriteLine($"coursekit release: {e.Message}");
            return 2;
        }
    }
}
