namespace CourseKit.Notebooks.Grading;

/// <summary>
/// The short graded summary <c>coursekit run</c> prints after a notebook with autograder test cells:
/// points scored / max per test cell, then the total.
/// </summary>
public static class GradedSummary
{
    /// <summary>The summary lines, or none when the notebook has no autograder test cells.</summary>
    public static IReadOnlyList<string> Lines(NotebookRunResult result)
    {
        var exercises = Scoring.Score(result.Notebook, result.Cells);
        if (exercises.Count == 0) return [];
        var lines = new List<string> { "  graded:" };
        int width = exercises.Max(e => e.GradeId.Length);
        foreach (var e in exercises)
        {
            string mark = e.Passed ? "ok" : $"FAILED ({e.Reason})";
            lines.Add($"    {e.GradeId.PadRight(width)}  {ExerciseResult.Format(e.Points),3} / {ExerciseResult.Format(e.MaxPoints),-3} {mark}");
        }
        lines.Add($"    {"total".PadRight(width)}  {ExerciseResult.Format(exercises.Sum(e => e.Points)),3} / {ExerciseResult.Format(exercises.Sum(e => e.MaxPoints))}");
        return lines;
    }
}
