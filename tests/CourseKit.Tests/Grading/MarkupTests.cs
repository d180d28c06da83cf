using System.Text.Json.Nodes;
using CourseKit.Notebooks;
using CourseKit.Notebooks.Grading;

namespace CourseKit.Tests.Grading;

public class MarkupTests
{
    private static Notebook WithMarks(params (string Source, GradingMarks? Marks)[] cells)
    {
        var created = Notebook.Create();
        created.AddMarkdown("# 1.1 Convolution");
        var notebook = Notebook.Parse(created.ToJson(), "/course/1-1_Convolution.ipynb");
        foreach (var (source, marks) in cells)
        {
            var cell = notebook.AddCode(source);
            if (marks is not null) cell.Metadata[GradingMarks.MetadataKey] = marks.ToJson();
        }
        return notebook;
    }

    private static GradingMarks Answer(string id) => new(id, Grade: false, Solution: true, Locked: false, Points: null, 3);
    private static GradingMarks Test(string id, double points) => new(id, Grade: true, Solution: false, Locked: true, points, 3);

    [Fact]
    public void TheFixtureSolutionNotebookIsValid()
    {
        Assert.Empty(Markup.Problems(GradingFixtures.Source()));
        Assert.True(Markup.HasGradingMarks(GradingFixtures.Source()));
    }

    [Fact]
    public void MarksAreReadAsNbgraderWritesThem()
    {
        var notebook = GradingFixtures.Source();
        var test = GradingMarks.Of(notebook.Cell("im2col"))!;
        Assert.True(test is { IsTest: true, Locked: true, Points: 2, SchemaVersion: 3, IsAnswer: false });
        var answer = GradingMarks.Of(notebook.Cell("im2col-answer"))!;
        Assert.True(answer is { IsAnswer: true, IsTest: false, IsRestored: false, Points: null });
        Assert.True(GradingMarks.Of(notebook.Cell("setup")) is { IsRestored: true, IsTest: false });
        Assert.Equal(
            """{"grade":true,"grade_id":"im2col","locked":true,"points":2,"schema_version":3,"solution":false}""",
            test.ToJson().ToJsonString());
    }

    [Fact]
    public void DuplicateGradeIdNamesTheNotebookAndBothCells()
    {
        var problems = Markup.Problems(WithMarks(("a();", Answer("ex1")), ("b();", Answer("ex1"))));
        Assert.Equal("1-1_Convolution.ipynb, cell 3 ('ex1'): grade_id 'ex1' is already used by cell 2; every grade_id must be unique.", Assert.Single(problems));
    }

    [Fact]
    public void UnbalancedRegionIsAnErrorNamingTheCellAndLine()
    {
        var notebook = WithMarks(("int x;\n// BEGIN SOLUTION\nx = 1;", Answer("ex1")));
        var error = Assert.Throws<GradingMarkupException>(() => Markup.Validate(notebook));
        Assert.Equal("1-1_Convolution.ipynb, cell 2 ('ex1'): line 2: BEGIN SOLUTION has no END SOLUTION.", error.Message);
    }

    [Fact]
    public void PointsOnACellThatIsNotGradedAreAnError()
    {
        var problems = Markup.Problems(WithMarks(("a();", Answer("ex1") with { Points = 2 })));
        Assert.Contains("2 points on a cell that is not graded", Assert.Single(problems));
    }

    [Fact]
    public void GradeCellWithoutPointsAndRegionsInTheWrongCellsAreErrors()
    {
        var noPoints = new GradingMarks("t", Grade: true, Solution: false, Locked: true, Points: null, 3);
        var problems = Markup.Problems(WithMarks(
            ("Check.True(\"t\", true, \"\");", noPoints),
            ("// BEGIN SOLUTION\nx();\n// END SOLUTION", Test("t2", 1)),
            ("// BEGIN HIDDEN TESTS\nx();\n// END HIDDEN TESTS", Answer("a")),
            ("// BEGIN SOLUTION\nx();\n// END SOLUTION", null)));
        Assert.Collection(problems,
            p => Assert.Contains("cell 2 ('t'): a graded cell (grade = true) needs points", p),
            p => Assert.Contains("cell 3 ('t2'): a solution region in a cell that is not a solution cell", p),
            p => Assert.Contains("cell 4 ('a'): hidden tests in a cell that is not an autograder test cell", p),
            p => Assert.Contains("cell 5: a solution region in a cell that is not a solution cell", p));
    }

    [Fact]
    public void ALockedAnswerCellIsAnErrorSoThatTheGraderNeverRestoresASolution()
    {
        var problems = Markup.Problems(WithMarks(("a();", Answer("ex1") with { Locked = true })));
        Assert.Contains("cell 2 ('ex1'): an answer cell (solution = true) cannot be locked", Assert.Single(problems));
        Assert.False(GradingMarks.Of(WithMarks(("a();", Answer("ex1") with { Locked = true })).Cells[^1])!.IsRestored);
    }

    [Fact]
    public void MissingGradeIdIsAnError()
    {
        var notebook = WithMarks(("a();", null));
        notebook.Cells[^1].Metadata["nbgrader"] = JsonNode.Parse("""{"grade":false,"locked":true,"schema_version":3,"solution":false}""");
        Assert.Contains("nbgrader cell without a grade_id", Assert.Single(Markup.Problems(notebook)));
    }
}
