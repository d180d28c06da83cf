using System.Reflection;
using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Scripting;

namespace CourseKit.Notebooks;

/// <summary>
/// A failed cell as the student should read it: the exception's type and message, and only the stack frames of
/// the notebook's own code and the libraries it called (the runner's and Roslyn's frames are cut off).
/// </summary>
public sealed partial record CellError(string Name, string Message, IReadOnlyList<string> Traceback)
{
    /// <summary>For the console, for example <c>CompilationError: (2,1): error CS0103: The name 'x' does not exist ...</c>.</summary>
    public string Summary => $"{Name}: {Message}";

    public static CellError FromCompilation(CompilationErrorException e)
    {
        var errors = e.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        var lines = errors.Select(Describe).ToList();
        if (errors.Any(d => d.Id == "CS0006")) // metadata file not found: almost always a #r before the set-up build
            lines.Add("#r paths are relative to the notebook's folder; build the course library first with `dotnet build src/CourseKit -c Release` (notebooks/README.md).");
        return new CellError("CompilationError", string.Join("\n", lines), lines);
    }

    public static CellError FromException(Exception e)
    {
        while (e is TargetInvocationException or AggregateException && e.InnerException is not null)
            e = e.InnerException;
        var lines = e.ToString().Split('\n').Select(l => l.TrimEnd('\r')).ToList();
        // frames are printed innermost first: keep up to the last frame of a cell (Roslyn names them Submission#N)
        int lastCellFrame = lines.FindLastIndex(l => l.Contains("Submission#", StringComparison.Ordinal));
        if (lastCellFrame >= 0) lines = lines[..(lastCellFrame + 1)];
        // "at Submission#1.<<Initialize>>d__0.MoveNext() in /folder/X.ipynb cell 2:line 3" becomes "at <cell> in X.ipynb cell 2:line 3"
        lines = [.. lines.Select(l => CellLocation().Replace(SubmissionPrefix().Replace(SubmissionFrame().Replace(l, "<cell>"), ""), " in ${where}"))];
        return new CellError(e.GetType().FullName ?? e.GetType().Name, e.Message, lines);
    }

    public static CellError Timeout(TimeSpan limit) => new(
        "CellTimeoutException",
        $"The cell did not finish within {limit.TotalSeconds:0.#} s and was abandoned; the notebook stops here because its state is unknown. "
        + "(Raise the limit with --timeout SECONDS.)",
        []);

    [GeneratedRegex(@"Submission#\d+\.<<Initialize>>d__\d+\.MoveNext\(\)")]
    private static partial Regex SubmissionFrame();

    [GeneratedRegex(@"Submission#\d+\.")]
    private static partial Regex SubmissionPrefix();

    [GeneratedRegex(@" in (?:.*[/\\])?(?<where>[^/\\]+ cell \d+:line \d+)")]
    private static partial Regex CellLocation();

    private static string Describe(Diagnostic d)
    {
        var span = d.Location.GetLineSpan();
        return $"({span.StartLinePosition.Line + 1},{span.StartLinePosition.Character + 1}): error {d.Id}: {d.GetMessage(System.Globalization.CultureInfo.InvariantCulture)}";
    }
}
