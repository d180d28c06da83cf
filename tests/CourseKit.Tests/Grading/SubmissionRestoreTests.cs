using CourseKit.Notebooks;
using CourseKit.Notebooks.Grading;

namespace CourseKit.Tests.Grading;

public class SubmissionRestoreTests
{
    private static Notebook Submission(Action<Notebook> edit)
    {
        var student = StudentRelease.Release(GradingFixtures.Source());
        edit(student);
        return Notebook.Parse(student.ToJson(), "/students/alice/Exercises.ipynb");
    }

    private static Notebook Without(Notebook notebook, params string[] gradeIds)
    {
        var root = System.Text.Json.Nodes.JsonNode.Parse(notebook.ToJson())!.AsObject();
        var cells = root["cells"]!.AsArray();
        foreach (var cell in cells.ToList())
            if (gradeIds.Contains((string?)cell!["metadata"]?["nbgrader"]?["grade_id"])) cells.Remove(cell);
        return Notebook.Parse(root.ToJsonString(), notebook.Path);
    }

    [Fact]
    public void TestCellsComeFromTheSourceWithHiddenTestsAndAnswersFromTheStudent()
    {
        var source = GradingFixtures.Source();
        var submission = Submission(s =>
        {
            s.Cell("conv-size-answer").Source = "int OutputSize(int h, int f, int pad, int stride) => 0;";
            s.Cell("conv-size").Source = "// nothing to check";
            s.Cell("setup").Source = "throw new Exception();";
        });

        var graded = SubmissionRestore.Restore(source, submission);

        Assert.Equal(source.Cells.Count, graded.Cells.Count);
        Assert.Equal("int OutputSize(int h, int f, int pad, int stride) => 0;", graded.Cell("conv-size-answer").Source);
        Assert.Equal(SubmissionRestore.QualifyCheck(source.Cell("conv-size").Source), graded.Cell("conv-size").Source);
        Assert.Contains("BEGIN HIDDEN TESTS", graded.Cell("conv-size").Source);
        Assert.Equal(source.Cell("setup").Source, graded.Cell("setup").Source);
        Assert.Equal(source.Cell("im2col-input").Source, graded.Cell("im2col-input").Source);
        Assert.Equal(submission.Cell("im2col-answer").Source, graded.Cell("im2col-answer").Source);
    }

    [Fact]
    public void RestoredTestCellsCallTheFullyQualifiedCheckSoAStudentClassCannotShadowIt()
    {
        Assert.Equal(
            "global::CourseKit.Grading.Check.Equal(\"a\", 1, x.Check);\nglobal::CourseKit.Grading.Check .True(\"Check.x\", MyCheck.Ok, \"\");",
            SubmissionRestore.QualifyCheck("Check.Equal(\"a\", 1, x.Check);\nCheck .True(\"Check.x\", MyCheck.Ok, \"\");"));
    }

    [Fact]
    public void DeletedTestAndReadOnlyCellsReturnAtTheirSourcePositionAndADeletedAnswerBecomesTheStub()
    {
        var source = GradingFixtures.Source();
        var submission = Without(Submission(_ => { }), "im2col", "im2col-input", "patch-length-answer");

        var graded = SubmissionRestore.Restore(source, submission);

        var ids = graded.Cells.Select(c => GradingMarks.Of(c)?.GradeId).OfType<string>();
        Assert.Equal(source.Cells.Select(c => GradingMarks.Of(c)?.GradeId).OfType<string>(), ids);
        Assert.Equal(StudentRelease.StudentAnswer(source.Cell("patch-length-answer")), graded.Cell("patch-length-answer").Source);
        Assert.Equal(source.Cells.Count, graded.Cells.Count);
    }

    [Fact]
    public void CellsTheStudentAddedStayAfterTheGradedCellTheyFollowed()
    {
        var source = GradingFixtures.Source();
        var student = Submission(_ => { });
        student.AddCode("int Helper() => 1;");
        // move it right after the im2col answer, and add one before everything
        var root = System.Text.Json.Nodes.JsonNode.Parse(student.ToJson())!.AsObject();
        var cells = root["cells"]!.AsArray();
        var helper = cells[^1]!;
        cells.RemoveAt(cells.Count - 1);
        int answer = cells.ToList().FindIndex(c => (string?)c!["metadata"]?["nbgrader"]?["grade_id"] == "im2col-answer");
        cells.Insert(answer + 1, helper);
        var first = cells[0]!.DeepClone();
        first["metadata"]!["nbgrader"] = null;
        first["source"] = "var scratch = 1;";
        cells.Insert(0, first);
        student = Notebook.Parse(root.ToJsonString(), student.Path);

        var graded = SubmissionRestore.Restore(source, student);

        var sources = graded.Cells.Select(c => c.Source).ToList();
        Assert.Equal("var scratch = 1;", sources[0]);
        int at = sources.IndexOf("int Helper() => 1;");
        Assert.Equal("im2col-answer", GradingMarks.Of(graded.Cells[at - 1])?.GradeId);
        Assert.Equal(source.Cells.Count + 2, graded.Cells.Count);
    }

    [Fact]
    public void AStudentCellPretendingToBeAnUnknownGradedCellScoresNothing()
    {
        var source = GradingFixtures.Source();
        var student = Submission(s => s.AddCode("Console.WriteLine();").Metadata["nbgrader"] =
            new GradingMarks("bonus", Grade: true, Solution: false, Locked: true, Points: 100, 3).ToJson());

        var graded = SubmissionRestore.Restore(source, student);

        Assert.DoesNotContain(graded.Cells, c => GradingMarks.Of(c)?.GradeId == "bonus");
        Assert.Equal(4, Scoring.Score(graded, []).Sum(e => e.MaxPoints));
    }
}
