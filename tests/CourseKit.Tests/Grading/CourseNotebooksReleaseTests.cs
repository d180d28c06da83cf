using CourseKit.Notebooks;
using CourseKit.Notebooks.Grading;
using CourseKit.Tests.Notebooks;

namespace CourseKit.Tests.Grading;

/// <summary>
/// Every course notebook under notebooks/, released and run as a student first gets it (continue-on-error, in the
/// grader's child process): the autograder tests fail, since nothing is solved yet, and every cell that is not
/// part of an exercise runs. Answer cells may fail only by the stub's NotImplementedException.
/// </summary>
public class CourseNotebooksReleaseTests
{
    public static TheoryData<string> CourseNotebooks() => new(
        Directory.Exists(RepositoryPaths.NotebooksFolder)
            ? StudentRelease.SourceNotebooks(RepositoryPaths.NotebooksFolder).Select(p => Path.GetRelativePath(RepositoryPaths.NotebooksFolder, p))
            : []);

    [Theory]
    [MemberData(nameof(CourseNotebooks))]
    public void ReleasedCourseNotebookFailsExactlyItsTests(string name)
    {
        GradingFixtures.RequireLibrary();
        string path = Path.Combine(RepositoryPaths.NotebooksFolder, name);
        var released = StudentRelease.Release(Notebook.Load(path));
        string work = Directory.CreateTempSubdirectory("coursekit-released-").FullName;
        try
        {
            var limits = new GradingLimits { CellTimeout = TimeSpan.FromMinutes(5), SubmissionTime = TimeSpan.FromMinutes(15), Restarts = 0 };
            var outcome = SubmissionRun.Run(released, path, work, limits, GradingFixtures.Child);

            Assert.Empty(outcome.Incidents);
            var runs = outcome.Runs.ToDictionary(r => r.Index);
            var wrong = new List<string>();
            for (int i = 0; i < released.Cells.Count; i++)
            {
                if (!released.Cells[i].IsCode) continue;
                var marks = GradingMarks.Of(released.Cells[i]);
                var run = runs.GetValueOrDefault(i);
                string what = $"cell {i + 1}{(marks is null ? "" : $" ('{marks.GradeId}')")}: {run?.Status} {run?.Error?.Summary}";
                bool passed = run?.Status == CellStatus.Passed;
                if (marks is { IsTest: true } && passed) wrong.Add($"{what}: this test passes without a solution, so it does not check the exercise");
                else if (marks is { IsAnswer: true } && !passed && run?.Error?.Name != "System.NotImplementedException") wrong.Add($"{what}: the released answer cell fails by more than its stub");
                else if (marks is not ({ IsTest: true } or { IsAnswer: true }) && !passed) wrong.Add($"{what}: a cell outside the exercises fails in the student version");
            }
            Assert.True(wrong.Count == 0, $"{name}:\n" + string.Join("\n", wrong));
        }
        finally { Directory.Delete(work, recursive: true); }
    }
}
