using CourseKit.Notebooks.Grading;

namespace CourseKit.Tests.Grading;

/// <summary>
/// <c>grade --shard i/n</c> and <c>grade merge</c>, on submissions that need no child process (missing and invalid
/// notebooks): the shards together grade every student once, and the merge is the whole class's grades.csv.
/// </summary>
public sealed class ShardTests : IDisposable
{
    private readonly string root = Directory.CreateTempSubdirectory("coursekit-shards-").FullName;

    public void Dispose() => Directory.Delete(root, recursive: true);

    private string Submissions => Path.Combine(root, "submissions");

    private GraderOptions Options(string output, (int, int)? shard) => new()
    {
        SubmissionsFolder = Submissions,
        SourceFolder = GradingFixtures.SourceFolder,
        OutputFolder = output,
        Shard = shard,
        Child = GradingFixtures.Child,
    };

    private void WriteClass()
    {
        foreach (var name in new[] { "ada", "ben", "cleo", "dan", "eve" })
        {
            string folder = Path.Combine(Submissions, name);
            Directory.CreateDirectory(folder);
            if (name is "ben" or "dan") File.WriteAllText(Path.Combine(folder, "Exercises.ipynb"), "{ not json");
        }
    }

    [Fact]
    public void ShardsGradeEveryStudentOnceAndTheMergeIsTheWholeClassAgainAndAgain()
    {
        WriteClass();
        string one = Path.Combine(root, "shard-1"), two = Path.Combine(root, "shard-2"), all = Path.Combine(root, "all"), merged = Path.Combine(root, "merged");
        var first = Grader.Grade(Options(one, (1, 2)));
        var second = Grader.Grade(Options(two, (2, 2)));
        Grader.Grade(Options(all, null));

        Assert.Equal(["ada", "cleo", "eve"], first.Grades.Select(g => g.Student));
        Assert.Equal(["ben", "dan"], second.Grades.Select(g => g.Student));

        var report = ShardManifest.Merge([one, two], merged);
        Assert.Equal(5, report.Results);
        Assert.Equal(File.ReadAllLines(Path.Combine(all, Gradebook.GradesFile)), File.ReadAllLines(report.GradesPath));
        Assert.True(File.Exists(Path.Combine(merged, "feedback", "ben", "Exercises.html")));
        Assert.Equal(5, new Gradebook(merged).ReadAll().Grades.Count);

        // idempotent: merging again changes nothing
        ShardManifest.Merge([one, two], merged);
        Assert.Equal(File.ReadAllLines(Path.Combine(all, Gradebook.GradesFile)), File.ReadAllLines(report.GradesPath));
    }

    [Fact]
    public void TheMergeRefusesWhatDoesNotBelongAndWritesNothing()
    {
        WriteClass();
        string one = Path.Combine(root, "shard-1"), two = Path.Combine(root, "shard-2"), target = Path.Combine(root, "merged");
        Grader.Grade(Options(one, (1, 2)));
        Grader.Grade(Options(two, (2, 2)));

        // the same shard twice
        var twice = Assert.Throws<GradingMarkupException>(() => ShardManifest.Merge([one, one], target));
        Assert.Contains("shard 1/2 is given twice", twice.Message);

        // a result its shard's grader did not write (copied from another folder, so its signature does not check)
        string other = Path.Combine(root, "other");
        Grader.Grade(Options(other, (1, 2)));
        File.Copy(Path.Combine(other, "results", "ada", "Exercises.ipynb.json"), Path.Combine(two, "results", "mallory", "Exercises.ipynb.json").Also(p => Directory.CreateDirectory(Path.GetDirectoryName(p)!)));
        var foreign = Assert.Throws<GradingMarkupException>(() => ShardManifest.Merge([one, two], target));
        Assert.Contains("is not a result this shard's grader wrote", foreign.Message);
        Assert.Contains("Nothing was merged.", foreign.Message);
        Assert.False(Directory.Exists(target));

        // a student graded in two shards
        var duplicate = Assert.Throws<GradingMarkupException>(() => ShardManifest.Merge([one, other], target));
        Assert.Contains("shard 1/2 is given twice", duplicate.Message);
        Assert.Contains("ada/Exercises.ipynb was graded in two shards", duplicate.Message);
    }

    [Fact]
    public void AResultForOtherContentIsGradedAgain()
    {
        WriteClass();
        string output = Path.Combine(root, "results");
        Assert.Equal(5, Grader.Grade(Options(output, null)).GradedNow);
        Assert.Equal(0, Grader.Grade(Options(output, null)).GradedNow);

        File.WriteAllText(Path.Combine(Submissions, "ben", "Exercises.ipynb"), "{ still not json, but other content");
        var again = Grader.Grade(Options(output, null));

        Assert.Equal(1, again.GradedNow);
        Assert.Equal(4, again.Skipped);
    }
}

internal static class PathExtensions
{
    /// <summary>Runs <paramref name="action"/> on the value and returns it (to prepare a path inline).</summary>
    public static string Also(this string value, Action<string> action)
    {
        action(value);
        return value;
    }
}
