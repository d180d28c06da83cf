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
    public void The_chapter_3_to_6_exercises_that_have_a_library_version_declare_it()
    {
        var declared = AnswersWithTwins().Select(row => (string)row[1]).ToHashSet();
        foreach (string id in new[] { "3-6.shift", "3-7.basic-block", "3-7.parameters", "3-8.dilate", "3-8.matrix", "3-8.dice", "3-9.losses", "3-9.optimal",
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
}
