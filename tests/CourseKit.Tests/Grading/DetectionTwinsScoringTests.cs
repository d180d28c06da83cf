using CourseKit.Notebooks;
using CourseKit.Notebooks.Grading;
using CourseKit.Tests.Notebooks;

namespace CourseKit.Tests.Grading;

/// <summary>
/// Notebook 3-10 switches the library's IoU, NMS and box encoding off at run time (LibraryTwin.Forbid) while its tests
/// run; the grader does not rely on that: the twins declared in <c>metadata.coursekit.library_twins</c> are found in the
/// answer before anything runs, so an answer that hands the exercise to the library scores 0 even if its test passed.
/// </summary>
public sealed class DetectionTwinsScoringTests
{
    private const string File = "3-10_Detection.ipynb";

    private static Notebook Load() => Notebook.Load(Path.Combine(RepositoryPaths.Root, "notebooks", File));

    // (answer, the tests that lose their points, an answer that only calls the library, the twin the grader must name).
    // NMS forbids the library's IoU as well, but an IoU answer that calls it costs only the IoU exercise: the NMS written
    // on top of MyIoU is the student's own work, and one mistake is charged once.
    public static TheoryData<string, string, string, string> AnswersThatCallTheLibrary => new()
    {
        { "3-10.iou", "3-10.iou-check", "float MyIoU(Box a, Box b) => IntersectionOverUnion.Of(a, b);", "IntersectionOverUnion" },
        { "3-10.nms", "3-10.nms-check", "int[] MyNms(Box[] boxes, float[] scores, float threshold) => NonMaximumSuppression.Greedy(boxes, scores, threshold);", "NonMaximumSuppression" },
        // NMS written out, but with the library's IoU inside: the NMS exercise forbids that twin too
        { "3-10.nms", "3-10.nms-check", """
            int[] MyNms(Box[] boxes, float[] scores, float threshold)
            {
                var order = Enumerable.Range(0, boxes.Length).OrderByDescending(i => scores[i]).ToArray();
                var kept = new List<int>();
                foreach (int i in order)
                    if (kept.All(k => IntersectionOverUnion.Of(boxes[k], boxes[i]) <= threshold)) kept.Add(i);
                return kept.ToArray();
            }
            """, "IntersectionOverUnion" },
        { "3-10.encode", "3-10.encode-check", "(float Tx, float Ty, float Tw, float Th) MyEncode(Box box, Box anchor) => BoxCoder.Encode(box, anchor);", "BoxCoder" },
    };

    [Theory]
    [MemberData(nameof(AnswersThatCallTheLibrary))]
    public void An_answer_that_calls_its_library_twin_scores_zero_even_when_its_test_passed(string answerId, string testIds, string answer, string twin)
    {
        GradingFixtures.RequireLibrary();
        var source = Load();
        var student = Load();
        student.Cells.Single(c => GradingMarks.Of(c)?.GradeId == answerId).Source = answer;
        var graded = SubmissionRestore.Restore(source, student);

        var incidents = StaticChecks.Find(source, graded);
        // as if every cell had run and passed: the static check alone must take the points away
        var runs = graded.Cells.Select((c, i) => (c, i)).Where(x => x.c.IsCode)
            .Select(x => new CellRun(x.i, 1, CellStatus.Passed, TimeSpan.Zero, null)).ToList();
        var results = Scoring.Score(graded, runs, incidents);

        var lost = testIds.Split(' ');
        foreach (var test in results.Where(r => lost.Contains(r.GradeId)))
        {
            Assert.Equal(0, test.Points);
            Assert.True(test.MaxPoints > 0, $"{test.GradeId} carries no points");
            Assert.Equal(StaticChecks.TwinReason, test.Reason);
            Assert.Contains(twin, test.Message);
        }
        Assert.Equal(lost.Length, results.Count(r => lost.Contains(r.GradeId)));
        // the other exercises keep their points: the twin costs only the exercises that forbid it
        Assert.All(results.Where(r => !lost.Contains(r.GradeId)), r => Assert.Equal(r.MaxPoints, r.Points));
    }

    [Fact]
    public void The_instructors_answers_score_every_point_under_the_same_check()
    {
        GradingFixtures.RequireLibrary();
        var source = Load();
        var graded = SubmissionRestore.Restore(source, Load());
        var runs = graded.Cells.Select((c, i) => (c, i)).Where(x => x.c.IsCode)
            .Select(x => new CellRun(x.i, 1, CellStatus.Passed, TimeSpan.Zero, null)).ToList();
        var results = Scoring.Score(graded, runs, StaticChecks.Find(source, graded));
        Assert.Equal(["3-10.iou-check", "3-10.nms-check", "3-10.encode-check"], results.Select(r => r.GradeId).Where(id => id.EndsWith("-check")));
        Assert.All(results, r => Assert.Equal(r.MaxPoints, r.Points));
    }
}
