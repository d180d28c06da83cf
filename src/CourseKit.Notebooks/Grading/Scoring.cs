namespace CourseKit.Notebooks.Grading;

/// <summary>Scores autograder test cells from a run: a test cell earns its points when it ran without error.</summary>
public static class Scoring
{
    public const string CheckFailed = "check failed";
    public const string NotImplemented = "not implemented";
    public const string CompileError = "compile error";
    public const string Exception = "exception";
    public const string TimedOut = "timeout";
    public const string NotRun = "not run";
    public const string NotAnswered = "not answered";

    /// <summary>The result of each autograder test cell of <paramref name="notebook"/>, in notebook order.</summary>
    /// <param name="runs">What happened to the code cells (by cell index); a test cell without a run scored nothing.</param>
    /// <param name="incidents">Why cells did not finish, by cell index (process crashes, limits), overriding their run.</param>
    public static IReadOnlyList<ExerciseResult> Score(
        Notebook notebook, IReadOnlyList<CellRun> runs, IReadOnlyList<Incident>? incidents = null)
    {
        var byIndex = runs.ToDictionary(r => r.Index);
        var results = new List<ExerciseResult>();
        for (int i = 0; i < notebook.Cells.Count; i++)
        {
            if (GradingMarks.Of(notebook.Cells[i]) is not { IsTest: true } marks) continue;
            double max = marks.Points ?? 0;
            if (incidents?.FirstOrDefault(x => x.Cell == i) is { } incident)
                results.Add(new ExerciseResult(marks.GradeId, 0, max, incident.Reason, incident.Reason is Shadowing.Reason or StaticChecks.Reason or StaticChecks.TwinReason
                    ? $"The grader did not run this test: {incident.Message}."
                    : $"The grader stopped this test cell: {incident.Message}."));
            else if (!byIndex.TryGetValue(i, out var run))
                results.Add(new ExerciseResult(marks.GradeId, 0, max, NotRun, "The test cell did not run: the notebook stopped before it."));
            else if (run.Status == CellStatus.Passed)
                results.Add(new ExerciseResult(marks.GradeId, max, max, null, "passed"));
            else if (Reason(run) == CompileError && Exercises.AnswerOf(notebook, i) is { } answer && IsBlank(notebook.Cells[answer].Source))
                results.Add(new ExerciseResult(marks.GradeId, 0, max, NotAnswered, $"The exercise is not answered: its answer cell (cell {answer + 1}) is empty."));
            else
                results.Add(new ExerciseResult(marks.GradeId, 0, max, Reason(run), Message(run)));
        }
        return results;
    }

    /// <summary>Code that is only blanks and comments.</summary>
    public static bool IsBlank(string code) =>
        Microsoft.CodeAnalysis.CSharp.SyntaxFactory.ParseCompilationUnit(code).DescendantTokens()
            .All(t => Microsoft.CodeAnalysis.CSharpExtensions.IsKind(t, Microsoft.CodeAnalysis.CSharp.SyntaxKind.EndOfFileToken));

    /// <summary>A short category for a failed cell: check failed, not implemented, compile error, exception, timeout, not run.</summary>
    public static string Reason(CellRun run) => run.Status switch
    {
        CellStatus.TimedOut => TimedOut,
        CellStatus.NotRun => NotRun,
        _ => run.Error?.Name switch
        {
            "CourseKit.Grading.CheckFailedException" => CheckFailed,
            "System.NotImplementedException" => NotImplemented,
            "CompilationError" => CompileError,
            _ => Exception,
        },
    };

    private static string Message(CellRun run) => run.Status switch
    {
        CellStatus.NotRun => "The test cell did not run: the notebook stopped before it.",
        _ when run.Error?.Name == "System.NotImplementedException" => "The exercise is not solved yet (it still throws NotImplementedException).",
        _ when run.Error?.Name == "CourseKit.Grading.CheckFailedException" => run.Error.Message,
        _ => run.Error?.Summary ?? run.Status.ToString(),
    };
}
