using System.Text.Json.Nodes;
using CourseKit.Notebooks;
using CourseKit.Notebooks.Grading;
using CourseKit.Tests.Notebooks;

namespace CourseKit.Tests.Grading;

/// <summary>
/// The library twins each course notebook declares (<c>metadata.coursekit.library_twins</c>): the instructor's own
/// answers call none of them, and every declared name is one the grader recognises in an answer — a misspelt or
/// moved name would otherwise forbid nothing.
/// </summary>
public sealed class CourseNotebookTwinsTests
{
    public static TheoryData<string, string> AnswersWithTwins()
    {
        var data = new TheoryData<string, string>();
        foreach (string path in Directory.GetFiles(Path.Combine(RepositoryPaths.Root, "notebooks"), "*.ipynb").Order())
            foreach (var cell in Notebook.Load(path).Cells)
                if (GradingMarks.Of(cell) is { IsAnswer: true } marks && StaticChecks.Twins(cell).Count > 0)
                    data.Add(Path.GetFileName(path), marks.GradeId);
        return data;
    }

    private static Notebook Load(string file) => Notebook.Load(Path.Combine(RepositoryPaths.Root, "notebooks", file));

    public static TheoryData<string> GradedNotebooks()
    {
        var data = new TheoryData<string>();
        foreach (string path in Directory.GetFiles(Path.Combine(RepositoryPaths.Root, "notebooks"), "*.ipynb").Order())
            if (Notebook.Load(path).Cells.Any(c => GradingMarks.Of(c) is { IsAnswer: true })) data.Add(Path.GetFileName(path));
        return data;
    }

    // The instructor's solution, graded as a submission, must meet no static check (3-7's test once lost its points to
    // a named argument taken for shadowing).
    [Theory]
    [MemberData(nameof(GradedNotebooks))]
    public void The_solution_meets_no_static_check(string file)
    {
        GradingFixtures.RequireLibrary();
        var source = Load(file);
        Assert.Empty(StaticChecks.Find(source, SubmissionRestore.Restore(source, Load(file))));
    }

    [Fact]
    public void Every_exercise_that_has_a_library_version_declares_it()
    {
        var declared = AnswersWithTwins().Select(row => (string)row[1]).ToHashSet();
        foreach (string id in new[] { "0-1.sigmoid-derivative", "0-1.softmax-gradient", "0-1.affine-backward", "0-1.two-layer", "3-1.stride", "3-1.output-size", "3-1.im2col", "3-1.convolution",
                                      "3-2.max-pooling", "3-2.average-as-convolution", "3-3.dx", "3-3.df", "3-3.layer", "3-4.route", "3-4.layer", "3-4.problem",
                                      "3-5-1.affine-input", "3-5-1.deeper", "3-6.shift", "3-7.basic-block", "3-7.parameters", "3-8.dilate", "3-8.matrix", "3-8.dice", "3-9.losses", "3-9.optimal",
                                      "6-2.receptive-field", "3-10.iou", "3-10.nms", "3-10.encode" })
            Assert.Contains(id, declared);
    }

    [Theory]
    [MemberData(nameof(AnswersWithTwins))]
    public void The_solution_calls_no_twin_and_a_reference_to_each_twin_is_caught(string file, string gradeId)
    {
        GradingFixtures.RequireLibrary();
        var source = Load(file);
        var twins = StaticChecks.Twins(source.Cells.Single(c => GradingMarks.Of(c)?.GradeId == gradeId));
        Assert.DoesNotContain(StaticChecks.Find(source, SubmissionRestore.Restore(source, Load(file))), i => i.Reason == StaticChecks.TwinReason);

        foreach (string twin in twins)
        {
            var student = Load(file);
            var answer = student.Cells.Single(c => GradingMarks.Of(c)?.GradeId == gradeId);
            answer.Source += $"\nvar twinName = nameof({twin});";
            var graded = SubmissionRestore.Restore(source, student);
            var incidents = StaticChecks.Find(source, graded).Where(i => i.Reason == StaticChecks.TwinReason).ToList();
            Assert.True(incidents.Count > 0, $"{file} {gradeId}: an answer naming {twin} was not caught (is the twin's name right?)");
            Assert.All(incidents, i => Assert.Contains(twin, i.Message));
        }
    }

    private static List<Incident> TwinIncidents(Notebook source, Notebook student) =>
        [.. StaticChecks.Find(source, SubmissionRestore.Restore(source, student)).Where(i => i.Reason == StaticChecks.TwinReason)];

    private static NotebookCell Answer(Notebook notebook, string gradeId) => notebook.Cells.Single(c => GradingMarks.Of(c)?.GradeId == gradeId);

    // 3-1's convolution is built on im2col, which 3-1.im2col forbids: the later answer must not cost the earlier exercise
    // its points, while the same call in a helper cell the student adds to the earlier exercise still does.
    [Fact]
    public void A_later_exercise_may_call_what_an_earlier_one_forbids_but_a_helper_of_the_earlier_one_may_not()
    {
        GradingFixtures.RequireLibrary();
        const string file = "3-1_ConvolutionOperation.ipynb";
        var source = Load(file);
        Assert.Contains("Im2Col.ViaXHat", Answer(source, "3-1.convolution").Source);
        Assert.Empty(TwinIncidents(source, Load(file)));

        // a helper cell the student adds right after the im2col answer
        var json = JsonNode.Parse(File.ReadAllText(Path.Combine(RepositoryPaths.Root, "notebooks", file)))!;
        var cells = json["cells"]!.AsArray();
        int im2col = cells.ToList().FindIndex(c => (string?)c!["metadata"]?["nbgrader"]?["grade_id"] == "3-1.im2col");
        cells.Insert(im2col + 1, new JsonObject
        {
            ["cell_type"] = "code", ["execution_count"] = null, ["id"] = "helper", ["metadata"] = new JsonObject(), ["outputs"] = new JsonArray(),
            ["source"] = "Tensor Columns(Tensor x) => Im2Col.ViaXHat(x, 3, 3, 1, 0);",
        });
        var student = Notebook.Parse(json.ToJsonString(), Path.Combine(RepositoryPaths.Root, "notebooks", file));
        var incidents = TwinIncidents(source, student);
        Assert.NotEmpty(incidents);
        Assert.All(incidents, i => Assert.Contains("Im2Col.ViaXHat", i.Message));
    }

    // 3-1's read-only CountPositions counts the filter's positions, the answer to 3-1.output-size: calling it is a twin;
    // a helper the student writes and names the same is their own code.
    [Fact]
    public void A_notebook_helper_named_as_a_twin_is_one_only_where_it_is_the_instructors()
    {
        GradingFixtures.RequireLibrary();
        const string file = "3-1_ConvolutionOperation.ipynb";
        var source = Load(file);
        var calling = Load(file);
        Answer(calling, "3-1.output-size").Source = "int OutputLength(int size, int filter, int pad, int stride) => CountPositions(size, filter, pad, stride);";
        Assert.Contains(TwinIncidents(source, calling), i => i.Message.Contains("CountPositions"));

        var own = Load(file);
        Answer(own, "3-1.output-size").Source = """
            int CountPositions(int size, int filter, int pad, int stride) => (size + 2 * pad - filter) / stride + 1;
            int OutputLength(int size, int filter, int pad, int stride) => CountPositions(size, filter, pad, stride);
            """;
        Assert.Empty(TwinIncidents(source, own));
    }
}
