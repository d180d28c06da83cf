using CourseKit.Notebooks;
using CourseKit.Notebooks.Grading;

namespace CourseKit.Tests.Grading;

public class ScoringTests
{
    private static int IndexOf(Notebook notebook, string gradeId) =>
        notebook.Cells.ToList().FindIndex(c => GradingMarks.Of(c)?.GradeId == gradeId);

    private static CellRun Run(int index, CellStatus status, string? error = null, string message = "") =>
        new(index, 1, status, TimeSpan.Zero, error is null ? null : new CellError(error, message, []));

    [Fact]
    public void ATestCellScoresItsPointsExactlyWhenItRanWithoutError()
    {
        var notebook = GradingFixtures.Source();
        var results = Scoring.Score(notebook,
        [
            Run(IndexOf(notebook, "conv-size"), CellStatus.Passed),
            Run(IndexOf(notebook, "im2col"), CellStatus.Failed, "CourseKit.Grading.CheckFailedException", "im2col: 1 of 4 values differ"),
        ]);

        Assert.Equal(["conv-size", "im2col", "patch-length"], results.Select(r => r.GradeId));
        Assert.Equal([1.0, 0, 0], results.Select(r => r.Points));
        Assert.Equal([1.0, 2, 1], results.Select(r => r.MaxPoints));
        Assert.Equal([null, Scoring.CheckFailed, Scoring.NotRun], results.Select(r => r.Reason));
        Assert.Equal("im2col: 1 of 4 values differ", results[1].Message);
    }

    [Theory]
    [InlineData("System.NotImplementedException", Scoring.NotImplemented)]
    [InlineData("CompilationError", Scoring.CompileError)]
    [InlineData("System.IndexOutOfRangeException", Scoring.Exception)]
    public void FailuresAreSortedIntoReasons(string error, string reason)
    {
        var notebook = GradingFixtures.Source();
        var result = Scoring.Score(notebook, [Run(IndexOf(notebook, "conv-size"), CellStatus.Failed, error)])[0];
        Assert.Equal(reason, result.Reason);
        Assert.Equal(0, result.Points);
    }

    [Fact]
    public void AStoppedTestCellScoresNothingAndSaysWhy()
    {
        var notebook = GradingFixtures.Source();
        int cell = IndexOf(notebook, "im2col");
        var result = Scoring.Score(notebook, [Run(cell, CellStatus.Passed)], [new Incident(cell, SubmissionRun.StackOverflow, "it overflowed the stack")])[1];
        Assert.Equal((0.0, SubmissionRun.StackOverflow), (result.Points, result.Reason));
        Assert.Contains("overflowed", result.Message);
    }

    [Fact]
    public void GradedSummaryListsPointsPerExerciseAndTheTotal()
    {
        var notebook = GradingFixtures.Source();
        var result = new NotebookRunResult(notebook, [Run(IndexOf(notebook, "im2col"), CellStatus.Passed)], TimeSpan.Zero);
        var lines = GradedSummary.Lines(result);
        Assert.Equal("  graded:", lines[0]);
        Assert.Matches(@"conv-size\s+0 / 1\s+FAILED \(not run\)", lines[1]);
        Assert.Matches(@"im2col\s+2 / 2\s+ok", lines[2]);
        Assert.Matches(@"total\s+2 / 4", lines[^1]);
    }

    [Fact]
    public void GradedSummaryIsEmptyForANotebookWithoutTests()
    {
        var notebook = Notebook.Create();
        notebook.AddCode("1");
        Assert.Empty(GradedSummary.Lines(new NotebookRunResult(notebook, [Run(0, CellStatus.Passed)], TimeSpan.Zero)));
    }
}
