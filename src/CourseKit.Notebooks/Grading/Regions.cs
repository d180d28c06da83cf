namespace CourseKit.Notebooks.Grading;

/// <summary>
/// The regions nbgrader marks inside a cell, one marker per line (as C# comments, e.g. <c>// BEGIN SOLUTION</c>):
/// <c>BEGIN SOLUTION</c> … <c>END SOLUTION</c> is the instructor's answer, <c>BEGIN HIDDEN TESTS</c> …
/// <c>END HIDDEN TESTS</c> are tests the students do not see. The marker lines belong to their region.
/// </summary>
public static class Regions
{
    public const string BeginSolution = "BEGIN SOLUTION";
    public const string EndSolution = "END SOLUTION";
    public const string BeginHiddenTests = "BEGIN HIDDEN TESTS";
    public const string EndHiddenTests = "END HIDDEN TESTS";

    /// <summary>What a student finds in place of a solution (nbgrader's code stub, in C#).</summary>
    public static readonly string[] Stub = ["// YOUR CODE HERE", "throw new NotImplementedException();"];

    /// <summary>
    /// Replaces each solution region by the stub, indented like the region's BEGIN line; the code around it stays.
    /// Throws <see cref="FormatException"/> (naming the line) when the markers do not pair up.
    /// </summary>
    public static string ReplaceSolutions(string source, out int regions) =>
        Rewrite(source, BeginSolution, EndSolution, indent => [.. Stub.Select(line => indent + line)], out regions);

    /// <summary>Removes each hidden-tests region, markers included.</summary>
    public static string RemoveHiddenTests(string source, out int regions) =>
        Rewrite(source, BeginHiddenTests, EndHiddenTests, _ => [], out regions);

    /// <summary>How many regions of each kind the source has; throws <see cref="FormatException"/> when markers do not pair up.</summary>
    public static (int Solutions, int HiddenTests) Count(string source)
    {
        ReplaceSolutions(source, out int solutions);
        RemoveHiddenTests(source, out int hidden);
        return (solutions, hidden);
    }

    private static string Rewrite(string source, string begin, string end, Func<string, string[]> replacement, out int regions)
    {
        var lines = source.Split('\n');
        var result = new List<string>(lines.Length);
        regions = 0;
        int openedAt = -1;
        for (int i = 0; i < lines.Length; i++)
        {
            string line = lines[i];
            if (line.Contains(begin, StringComparison.Ordinal))
            {
                if (openedAt >= 0) throw new FormatException($"line {i + 1}: {begin} again before the {end} of the region opened at line {openedAt + 1}.");
                openedAt = i;
                string indent = line[..(line.Length - line.TrimStart().Length)];
                result.AddRange(replacement(indent));
                regions++;
            }
            else if (line.Contains(end, StringComparison.Ordinal))
            {
                if (openedAt < 0) throw new FormatException($"line {i + 1}: {end} without a {begin} before it.");
                openedAt = -1;
            }
            else if (openedAt < 0)
            {
                result.Add(line);
            }
        }
        if (openedAt >= 0) throw new FormatException($"line {openedAt + 1}: {begin} has no {end}.");
        return string.Join('\n', result);
    }
}
