using System.Diagnostics;
using CourseKit.Notebooks;
using CourseKit.Notebooks.Grading;

namespace CourseKit.Tests.Grading;

/// <summary><c>coursekit release</c> and <c>coursekit grade</c> as an instructor runs them (the CLI in its own process).</summary>
public class CommandLineTests
{
    private static (int ExitCode, string Output, string Errors) Coursekit(params string[] args)
    {
        var child = GradingFixtures.Child;
        var start = new ProcessStartInfo(child.FileName) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in child.LeadingArguments.Concat(args)) start.ArgumentList.Add(a);
        start.Environment["CI"] = "true";
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        string errors = process.StandardError.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, output.Result, errors);
    }

    [Fact]
    public void ReleaseWritesTheStudentVersions()
    {
        string root = Directory.CreateTempSubdirectory("coursekit-cli-").FullName;
        try
        {
            var (code, output, _) = Coursekit("release", GradingFixtures.SourceFolder, "--out", root);
            Assert.Equal(0, code);
            Assert.Contains("1 notebook(s) released", output);
            Assert.Equal(StudentRelease.Release(GradingFixtures.Source()).ToJson(), File.ReadAllText(Path.Combine(root, "Exercises.ipynb")));
        }
        finally { Directory.Delete(root, recursive: true); }
    }

    [Fact]
    public void GradeShowsProgressAndListsFailuresByReasonThenResumes()
    {
        string root = Directory.CreateTempSubdirectory("coursekit-cli-").FullName;
        try
        {
            string submissions = Path.Combine(root, "submissions"), results = Path.Combine(root, "results");
            StudentSubmissions.WriteAll(submissions, StudentSubmissions.All.Where(s => s.Name is "invalid-json" or "missing"));

            var (code, output, errors) = Coursekit("grade", submissions, "--source", GradingFixtures.SourceFolder, "--out", results);

            Assert.True(code == 0, errors);
            Assert.Contains("grading: 2/2 (100%)", output);
            Assert.Contains("graded 2 submission(s), skipped 0", output);
            Assert.Contains("failures by reason:", output);
            Assert.Contains("  invalid notebook: 1", output);
            Assert.Contains("  missing notebook: 1", output);
            Assert.Equal(3, File.ReadAllLines(Path.Combine(results, Gradebook.GradesFile)).Length);

            var again = Coursekit("grade", submissions, "--source", GradingFixtures.SourceFolder, "--out", results);
            Assert.Contains("graded 0 submission(s), skipped 2", again.Output);
        }
        finally { Directory.Delete(root, recursive: true); }
    }

    [Fact]
    public void GradingKilledMidRunResumesAndCompletesGradesCsv()
    {
        GradingFixtures.RequireLibrary();
        string root = Directory.CreateTempSubdirectory("coursekit-cli-").FullName;
        try
        {
            string submissions = Path.Combine(root, "submissions"), results = Path.Combine(root, "results");
            StudentSubmissions.WriteAll(submissions, StudentSubmissions.All.Where(s => s.Name is "solution" or "unsolved"));
            // one at a time, so that the grader can be killed between the two
            string[] grade = ["grade", submissions, "--source", GradingFixtures.SourceFolder, "--out", results, "--parallel", "1"];

            // kill the grader (and the child it is running) as soon as the first submission is done
            var child = GradingFixtures.Child;
            var start = new ProcessStartInfo(child.FileName) { RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var a in child.LeadingArguments.Concat(grade)) start.ArgumentList.Add(a);
            using (var grader = Process.Start(start)!)
            {
                grader.OutputDataReceived += (_, _) => { };
                grader.ErrorDataReceived += (_, _) => { };
                grader.BeginOutputReadLine();
                grader.BeginErrorReadLine();
                string firstResult = new Gradebook(results).ResultPath("solution", "Exercises.ipynb");
                var clock = Stopwatch.StartNew();
                while (!File.Exists(firstResult) && !grader.HasExited && clock.Elapsed < TimeSpan.FromMinutes(2)) Thread.Sleep(50);
                Assert.False(grader.HasExited, "the grader finished before it could be interrupted");
                grader.Kill(entireProcessTree: true);
                grader.WaitForExit();
            }
            // killed between writes: grades.csv is absent or whole (header, and the row of the one graded), never cut
            string gradesPath = Path.Combine(results, Gradebook.GradesFile);
            if (File.Exists(gradesPath))
                Assert.Equal(["student,notebook,conv-size,im2col,patch-length,total,max,problems", "solution,Exercises.ipynb,1,2,1,4,4,"], File.ReadAllLines(gradesPath));

            var (code, output, errors) = Coursekit(grade);

            Assert.True(code == 0, output + errors);
            Assert.Contains("graded 1 submission(s), skipped 1 graded before", output);
            var rows = File.ReadAllLines(Path.Combine(results, Gradebook.GradesFile));
            Assert.Equal(["solution,Exercises.ipynb,1,2,1,4,4,", "unsolved,Exercises.ipynb,0,0,0,0,4,"], rows[1..]);
        }
        finally { Directory.Delete(root, recursive: true); }
    }

    [Fact]
    public void RunEndsWithTheGradedSummaryOfANotebookWithTests()
    {
        GradingFixtures.RequireLibrary();
        string root = Directory.CreateTempSubdirectory("coursekit-cli-").FullName;
        try
        {
            var (code, output, errors) = Coursekit("run", GradingFixtures.SourcePath, "--out", root);
            Assert.True(code == 0, output + errors);
            var summary = output.Split('\n').SkipWhile(l => l.Trim() != "graded:").Skip(1).Select(l => l.Trim()).ToList();
            Assert.Matches(@"^conv-size\s+1 / 1\s+ok$", summary[0]);
            Assert.Matches(@"^im2col\s+2 / 2\s+ok$", summary[1]);
            Assert.Matches(@"^patch-length\s+1 / 1\s+ok$", summary[2]);
            Assert.Matches(@"^total\s+4 / 4$", summary[3]);
        }
        finally { Directory.Delete(root, recursive: true); }
    }

    [Theory]
    [InlineData("grade", "submissions", "--out", "x")]
    [InlineData("grade", "submissions", "--source", "s", "--out", "x", "--timeout", "0")]
    [InlineData("release", "notebooks")]
    public void WrongArgumentsExitWithUsage(params string[] args)
    {
        var (code, _, errors) = Coursekit(args);
        Assert.Equal(2, code);
        Assert.StartsWith($"coursekit {args[0]}: ", errors);
        Assert.Contains($"Usage:\n  coursekit {args[0]} ", errors.Replace("\r", ""));
    }

    [Theory]
    [InlineData("demo")]
    [InlineData("run")]
    [InlineData("release")]
    [InlineData("grade")]
    public void EveryCommandHasHelp(string command)
    {
        var (code, output, errors) = Coursekit(command, "--help");
        Assert.True(code == 0, errors);
        Assert.Contains($"Usage:\n  coursekit {command}", output.Replace("\r", ""));
        Assert.Equal("", errors);
    }

    [Fact]
    public void NoCommandListsTheCommandsAndExitsTwo()
    {
        var (code, _, errors) = Coursekit();
        Assert.Equal(2, code);
        foreach (var command in new[] { "demo", "run", "release", "grade" }) Assert.Contains($"  {command}", errors);
    }

    [Fact]
    public void BadGradingMarksStopTheReleaseNamingTheCell()
    {
        string root = Directory.CreateTempSubdirectory("coursekit-cli-").FullName;
        try
        {
            var bad = GradingFixtures.Source();
            bad.Cell("conv-size-answer").Metadata["nbgrader"]!["points"] = 3;
            bad.Save(Path.Combine(root, "source", "Bad.ipynb"));

            var (code, _, errors) = Coursekit("release", Path.Combine(root, "source"), "--out", Path.Combine(root, "out"));

            Assert.Equal(2, code);
            Assert.Contains("Bad.ipynb, cell 3 ('conv-size-answer'): 3 points on a cell that is not graded", errors);
        }
        finally { Directory.Delete(root, recursive: true); }
    }
}
