namespace CourseKit.Notebooks.Grading;

/// <summary>The grades of a run (those resumed included) and how many submissions were graded now or skipped.</summary>
public sealed record GradingReport(IReadOnlyList<NotebookGrade> Grades, int GradedNow, int Skipped, string GradesPath)
{
    /// <summary>The summary's lines: every failure grouped by reason, with who and where.</summary>
    public IReadOnlyList<string> FailuresByReason()
    {
        var lines = new List<string>();
        foreach (var group in Grades.SelectMany(g => g.Failures.Select(f => (f.Reason, Where: $"{g.Student}/{g.Notebook} {f.What}")))
                     .GroupBy(f => f.Reason).OrderByDescending(g => g.Count()))
        {
            lines.Add($"{group.Key}: {group.Count()}");
            lines.AddRange(group.Select(f => "  " + f.Where.Split('\n')[0]));
        }
        return lines;
    }
}
