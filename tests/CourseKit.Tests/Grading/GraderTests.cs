using CourseKit.Notebooks;
using CourseKit.Notebooks.Grading;

namespace CourseKit.Tests.Grading;

/// <summary>Grades every fixture submission once (each in its own process); the tests read the results.</summary>
public sealed class GradedSubmissions : IDisposable
{
    public static readonly GradingLimits Limits = new()
    {
        CellTimeout = TimeSpan.FromSeconds(20),
        SubmissionTime = TimeSpan.FromMinutes(3),
        MemoryBytes = 1L << 30,
        Restarts = 3,
    };

    public GradedSubmissions()
    {
        GradingFixtures.RequireLibrary();
        Root = Directory.CreateTempSubdirectory("coursekit-grading-").FullName;
        StudentSubmissions.WriteAll(Submissions);
        Report = Grader.Grade(Options(Output));
    }

    public string Root { get; }
    public string Submissions => Path.Combine(Root, "submissions");
    public string Output => Path.Combine(Root, "results");
    public GradingReport Report { get; }
    public List<string> Reported { get; } = [];

    public GraderOptions Options(string output) => new()
    {
        SubmissionsFolder = Submissions,
        SourceFolder = GradingFixtures.SourceFolder,
        OutputFolder = output,
        Limits = Limits,
        Child = GradingFixtures.Child,
        Parallelism = 2,
        Graded = (grade, skipped) => { lock (Reported) Reported.Add($"{grade.Student}{(skipped ? " skipped" : "")}"); },
    };

    public NotebookGrade Grade(string student) => Report.Grades.Single(g => g.Student == student);

    public void Dispose()
    {
        try { Directory.Delete(Root, recursive: true); } catch (IOException) { }
    }
}

public class GraderTests(GradedSubmissions graded) : IClassFixture<GradedSubmissions>
{
    public static TheoryData<string> Students() => new(StudentSubmissions.All.Select(s => s.Name));

    [Theory]
    [MemberData(nameof(Students))]
    public void EverySubmissionGetsTheScoreItDeserves(string name)
    {
        var student = StudentSubmissions.All.Single(s => s.Name == name);
        var grade = graded.Grade(name);
        var points = grade.Exercises.ToDictionary(e => e.GradeId, e => e.Points);
        string why = $"{name} ({student.Behaviour}):\n" + string.Join("\n", grade.Failures.Select(f => $"{f.Reason}: {f.What}"));
        Assert.True(
            (student.ConvSize, student.Im2Col, student.PatchLength) == (points["conv-size"], points["im2col"], points["patch-length"]),
            $"expected {student.ConvSize}, {student.Im2Col}, {student.PatchLength} but got {points["conv-size"]}, {points["im2col"]}, {points["patch-length"]}; {why}");
        Assert.Equal(4, grade.Max);
    }

    [Fact]
    public void TheSolutionScoresFullMarksWithNothingToReport()
    {
        var grade = graded.Grade("solution");
        Assert.Equal(grade.Max, grade.Total);
        Assert.Empty(grade.Failures);
    }

    [Fact]
    public void TheReleasedNotebookFailsExactlyItsExercisesAndRunsEverythingElse()
    {
        var grade = graded.Grade("unsolved");
        Assert.All(grade.Exercises, e => Assert.Contains(e.Reason, new[] { Scoring.NotImplemented, Scoring.CompileError }));
        Assert.Empty(grade.Incidents);
        // the executed notebook: the setup and read-only cells and the last cell ran; only exercise cells failed
        var executed = Notebook.Load(Path.Combine(graded.Output, "feedback", "unsolved", "Exercises.ipynb"));
        foreach (var cell in executed.Cells.Where(c => c.IsCode))
        {
            var marks = GradingMarks.Of(cell);
            bool failed = cell.Outputs.Any(o => (string?)o!["output_type"] == "error");
            Assert.True(cell.ExecutionCount is not null, $"cell {cell.Id} did not run");
            if (marks is { IsTest: true }) Assert.True(failed, $"test {marks.GradeId} passed without a solution");
            else if (marks is not { IsAnswer: true }) Assert.False(failed, $"cell {cell.Id} ({marks?.GradeId}) failed");
        }
    }

    [Theory]
    [InlineData("infinite-loop", Scoring.TimedOut)]
    [InlineData("exits", SubmissionRun.ProcessExit)]
    [InlineData("stack-overflow", SubmissionRun.StackOverflow)]
    public void ACellThatHangsOrEndsTheProcessIsRecordedAndTheRestStillGraded(string name, string reason)
    {
        var incident = Assert.Single(graded.Grade(name).Incidents);
        Assert.Equal(reason, incident.Reason);
        Assert.Contains(graded.Report.FailuresByReason(), line => line.StartsWith($"{reason}: ", StringComparison.Ordinal));
        string feedback = File.ReadAllText(Path.Combine(graded.Output, "feedback", name, "Exercises.html"));
        Assert.Contains($"Cell {incident.Cell + 1} was stopped ({reason})", feedback);
    }

    [Theory]
    [InlineData("calls-twin", "im2col", StaticChecks.TwinReason, "calls CourseKit.Operations.Im2Col.Simple, the library's own version of what this exercise asks you to write")]
    [InlineData("reads-source", "conv-size", StaticChecks.Reason, "line 1: System.IO.File.ReadAllText (answers may not read or write files)")]
    [InlineData("orphan", "conv-size", StaticChecks.Reason, "line 1: System.Diagnostics.Process.Start (answers may not start processes)")]
    [InlineData("native-memory", "conv-size", StaticChecks.Reason, "System.Runtime.InteropServices.Marshal")]
    [InlineData("forges-log", "conv-size", StaticChecks.Reason, "answers may not read or write files")]
    [InlineData("shadows-field", "im2col", Shadowing.Reason, "this test uses 'Im2Col' (cell 7), which your code declares anew")]
    [InlineData("redefines-input", "im2col", Shadowing.Reason, "this test uses 'X' (cell 7), which your code declares anew")]
    [InlineData("blank-answer", "conv-size", Scoring.NotAnswered, "The exercise is not answered: its answer cell (cell 3) is empty.")]
    public void EachAttackScoresZeroForItsExerciseAndTheFeedbackSaysWhy(string name, string exercise, string reason, string sentence)
    {
        var result = graded.Grade(name).Exercises.Single(e => e.GradeId == exercise);
        Assert.Equal(0, result.Points);
        Assert.Equal(reason, result.Reason);
        Assert.Contains(sentence, result.Message);
        string page = File.ReadAllText(Path.Combine(graded.Output, "feedback", name, "Exercises.html"));
        Assert.Contains(System.Net.WebUtility.HtmlEncode(sentence), page);
    }

    [Fact]
    public void NothingButTheGradersOwnFilesIsInTheResultsFolder()
    {
        var files = Directory.GetFiles(graded.Output, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(graded.Output, f).Replace('\\', '/')).ToList();
        Assert.All(files, f => Assert.Matches(@"^(grades\.csv|\.grader-key|results/[^/]+/Exercises\.ipynb\.json|feedback/[^/]+/Exercises\.(html|ipynb))$", f));
        Assert.DoesNotContain(files, f => f.StartsWith("work", StringComparison.Ordinal));
    }

    [Fact]
    public void WithoutRestoringTheTestsAStudentCheckClassWouldPassWrongAnswers()
    {
        // the attack is real: run as handed in (tests not restored), the student's own Check passes both wrong answers
        var submission = Notebook.Load(Path.Combine(graded.Submissions, "redefines-check", "Exercises.ipynb"));
        var outcome = SubmissionRun.Run(submission, GradingFixtures.SourcePath, Path.Combine(graded.Root, "unrestored"), GradedSubmissions.Limits, GradingFixtures.Child);
        var scores = Scoring.Score(outcome.Executed, outcome.Runs);
        Assert.True(scores.Sum(e => e.Points) == 4, string.Join("\n", scores.Select(s => s.ToString()).Concat(outcome.Incidents.Select(i => i.ToString()))));
        Assert.Equal(1, graded.Grade("redefines-check").Total);
    }

    [Fact]
    public void ATestThatAStudentTypeWouldFoolIsNotRunAndSaysWhy()
    {
        var grade = graded.Grade("shadows-library");
        var im2col = grade.Exercises.Single(e => e.GradeId == "im2col");
        Assert.Equal(Shadowing.Reason, im2col.Reason);
        Assert.Contains("'Im2Col'", im2col.Message);
        Assert.Equal(Shadowing.Reason, Assert.Single(grade.Incidents).Reason); // only the test: the student's cell itself ran
    }

    [Fact]
    public void OutOfMemoryCostsOnlyTheExerciseThatAllocated()
    {
        var im2col = graded.Grade("out-of-memory").Exercises.Single(e => e.GradeId == "im2col");
        Assert.Equal(0, im2col.Points);
        Assert.True(im2col.Reason == SubmissionRun.MemoryLimit || (im2col.Reason == Scoring.Exception && im2col.Message.Contains("OutOfMemoryException")),
            $"{im2col.Reason}: {im2col.Message}");
    }

    [Fact]
    public void HugeOutputIsCutInTheFeedbackNotebook()
    {
        var executed = new FileInfo(Path.Combine(graded.Output, "feedback", "huge-output", "Exercises.ipynb"));
        Assert.True(executed.Length < 200_000, $"the executed notebook has {executed.Length} bytes");
        Assert.Contains("more characters cut by the grader", File.ReadAllText(executed.FullName));
    }

    [Fact]
    public void InvalidAndMissingNotebooksScoreZeroWithTheirReason()
    {
        Assert.Equal(NotebookGrade.InvalidNotebook, graded.Grade("invalid-json").ProblemReason);
        Assert.Contains("not valid JSON", graded.Grade("invalid-json").Problem);
        Assert.Equal(NotebookGrade.MissingNotebook, graded.Grade("missing").ProblemReason);
        Assert.All(graded.Grade("missing").Exercises, e => Assert.Equal(0, e.Points));
    }

    [Fact]
    public void GradesCsvHasARowPerSubmissionAndAColumnPerTest()
    {
        var lines = File.ReadAllLines(graded.Report.GradesPath);
        Assert.Equal("student,notebook,conv-size,im2col,patch-length,total,max,problems", lines[0]);
        Assert.Equal(StudentSubmissions.All.Select(s => s.Name).Order(StringComparer.Ordinal), lines.Skip(1).Select(l => l.Split(',')[0]));
        Assert.Contains("solution,Exercises.ipynb,1,2,1,4,4,", lines);
        Assert.Contains(lines, l => l.StartsWith("stack-overflow,Exercises.ipynb,0,2,1,3,4,", StringComparison.Ordinal) && l.Contains("stack overflow"));
        Assert.Empty(Directory.GetFiles(graded.Output, "*.tmp", SearchOption.AllDirectories));
    }

    [Fact]
    public void ProgressIsReportedForEverySubmission()
    {
        lock (graded.Reported)
            Assert.All(StudentSubmissions.All, s => Assert.Contains(s.Name, graded.Reported));
    }

    [Fact]
    public void EveryStudentGetsAFeedbackPageAndTheExecutedNotebook()
    {
        foreach (var student in StudentSubmissions.All)
        {
            string page = File.ReadAllText(Path.Combine(graded.Output, "feedback", student.Name, "Exercises.html"));
            Assert.Contains($"Student: <b>{student.Name}</b>", page);
            Assert.Contains("<code>im2col</code>", page);
        }
        string failed = File.ReadAllText(Path.Combine(graded.Output, "feedback", "edits-test", "Exercises.html"));
        Assert.Contains("expected 2, but yours is 4", failed);
        Assert.True(File.Exists(Path.Combine(graded.Output, "feedback", "solution", "Exercises.ipynb")));
    }

    [Fact]
    public void ARerunAfterAnInterruptionGradesOnlyWhatIsMissingAndCompletesGradesCsv()
    {
        // an interrupted run: some results written, grades.csv not yet rewritten, a temporary file left behind
        string output = Path.Combine(graded.Root, "resumed");
        CopyFolder(graded.Output, output);
        File.Delete(Path.Combine(output, Gradebook.GradesFile));
        File.WriteAllText(Path.Combine(output, Gradebook.GradesFile + ".4242.tmp"), "student,notebook\nhalf");
        foreach (var student in new[] { "solution", "invalid-json" })
            File.Delete(new Gradebook(output).ResultPath(student, "Exercises.ipynb"));

        var report = Grader.Grade(graded.Options(output));

        Assert.Equal(2, report.GradedNow);
        Assert.Equal(StudentSubmissions.All.Count - 2, report.Skipped);
        Assert.Equal(File.ReadAllText(graded.Report.GradesPath), File.ReadAllText(report.GradesPath));
    }

    [Fact]
    public void RegradeGradesEverySubmissionAgain()
    {
        string output = Path.Combine(graded.Root, "regraded");
        CopyFolder(graded.Output, output);
        var options = graded.Options(output) with { SubmissionsFolder = Path.Combine(graded.Root, "only-invalid") };
        StudentSubmissions.WriteAll(options.SubmissionsFolder, StudentSubmissions.All.Where(s => s.Name is "invalid-json" or "missing"));

        Assert.Equal(0, Grader.Grade(options).GradedNow);
        Assert.Equal(2, Grader.Grade(options with { Regrade = true }).GradedNow);
    }

    private static void CopyFolder(string from, string to)
    {
        foreach (var file in Directory.GetFiles(from, "*", SearchOption.AllDirectories))
        {
            string target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }
}
