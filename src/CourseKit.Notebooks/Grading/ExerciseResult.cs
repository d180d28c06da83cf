using System.Globalization;

namespace CourseKit.Notebooks.Grading;

/// <summary>One autograder test cell's outcome: its points when it ran without error, else 0 and why.</summary>
/// <param name="GradeId">The test cell's nbgrader grade_id (a column of grades.csv).</param>
/// <param name="Reason">Why it failed, as a short category for the summary (null when it passed).</param>
/// <param name="Message">What the student reads: the check's message, the error, or why the cell did not run.</param>
public sealed record ExerciseResult(string GradeId, double Points, double MaxPoints, string? Reason, string Message)
{
    public bool Passed => Reason is null;

    public override string ToString() =>
        $"{GradeId} {Format(Points)}/{Format(MaxPoints)}" + (Passed ? "" : $" ({Reason}: {Message.Split('\n')[0]})");

    /// <summary>Points as written in grades.csv and summaries: at most two decimals, invariant culture.</summary>
    public static string Format(double points) => points.ToString("0.##", CultureInfo.InvariantCulture);
}
