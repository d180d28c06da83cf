using System.Diagnostics;
using CourseKit.Notebooks;
using CourseKit.Notebooks.Grading;
using CourseKit.Tests.Notebooks;

namespace CourseKit.Tests.Grading;

/// <summary>
/// The attacks the static checks would stop, run past them (straight through <see cref="SubmissionRun"/>): what the
/// sandbox and the grader's protocol alone allow. Each is the fixture notebook, solved, with the attack added.
/// </summary>
public sealed class SandboxTests : IDisposable
{
    private static readonly GradingLimits limits = GradedSubmissions.Limits;

    private readonly string root = Directory.CreateTempSubdirectory("coursekit-sandbox-").FullName;

    public void Dispose()
    {
        try { Directory.Delete(root, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    /// <summary>Runs the solution with <paramref name="attack"/> as an extra cell after the output-size answer (or replacing that answer).</summary>
    private (SubmissionOutcome Outcome, IReadOnlyList<ExerciseResult> Scores, string Outputs, TimeSpan Took) Run(string attack, bool replaceAnswer = false, GradingLimits? with = null)
    {
        GradingFixtures.RequireLibrary();
        var source = GradingFixtures.Source();
        var student = GradingFixtures.Source();
        if (replaceAnswer) student.Cell("conv-size-answer").Source = attack;
        else
        {
            var added = student.AddCode(attack);
            // move it right after the output-size answer: cells a student adds stay after the graded cell they follow
            var cells = (System.Text.Json.Nodes.JsonArray)added.Json.Parent!;
            cells.Remove(added.Json);
            cells.Insert(student.Cells.ToList().FindIndex(c => GradingMarks.Of(c)?.GradeId == "conv-size-answer") + 1, added.Json);
            student = Notebook.Parse(student.ToJson(), student.Path);
        }
        var restored = SubmissionRestore.Restore(source, student);
        var clock = Stopwatch.StartNew();
        var outcome = SubmissionRun.Run(restored, GradingFixtures.SourcePath, Path.Combine(root, "work"), with ?? limits, GradingFixtures.Child);
        var took = clock.Elapsed;
        var scores = Scoring.Score(restored, outcome.Runs, outcome.Incidents);
        string outputs = string.Join("\n", outcome.Executed.Cells.SelectMany(c => c.Outputs).Select(o => o!.ToJsonString()));
        return (outcome, scores, outputs, took);
    }

    private static double Total(IReadOnlyList<ExerciseResult> scores) => scores.Sum(s => s.Points);

    [Fact]
    public void TheSourceAnotherSubmissionAndTheResultsDoNotExistInTheSandbox()
    {
        string other = Path.Combine(root, "submissions", "other", "Exercises.ipynb");
        Directory.CreateDirectory(Path.GetDirectoryName(other)!);
        File.WriteAllText(other, "another student's secret answer");
        string results = Path.Combine(root, "results");
        Directory.CreateDirectory(results);
        File.WriteAllText(Path.Combine(results, "grades.csv"), "student,total\nhonest,8\n");
        string attack = $$"""
            foreach (var path in new[] { {{Literal(GradingFixtures.SourcePath)}}, "Exercises.ipynb", {{Literal(other)}}, {{Literal(Path.Combine(results, "grades.csv"))}} })
            {
                try { Console.WriteLine("read: " + System.IO.File.ReadAllText(path)); }
                catch (Exception e) { Console.WriteLine("blocked: " + e.GetType().Name); }
            }
            foreach (var (path, text) in new[] { ({{Literal(Path.Combine(results, "grades.csv"))}}, "forged"), ("../../../../../README.md", "forged"), ("/usr/forged", "x") })
            {
                try { System.IO.File.WriteAllText(path, text); Console.WriteLine("wrote: " + path); }
                catch (Exception e) { Console.WriteLine("blocked: " + e.GetType().Name); }
            }
            Console.WriteLine("files here: " + System.IO.Directory.GetFiles(".").Length);
            """;

        var (_, scores, outputs, _) = Run(attack);

        Assert.Equal(4, Total(scores));
        Assert.DoesNotContain("read: ", outputs);
        Assert.DoesNotContain("wrote: " + Path.Combine(results, "grades.csv"), outputs);
        Assert.DoesNotContain("wrote: /usr/forged", outputs);
        // The sandbox's /tmp is a private, empty tmpfs: when the repository itself lies under /tmp (a CI clone), the
        // climb out of the work folder ends there, and the write lands in the sandbox's own memory, not on the host.
        string climbed = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(GradingFixtures.SourcePath)!, "../../../../../README.md"));
        bool climbEndsInPrivateTmp = climbed.StartsWith("/tmp/", StringComparison.Ordinal);
        if (!climbEndsInPrivateTmp) Assert.DoesNotContain("wrote: ", outputs);
        Assert.DoesNotContain("BEGIN HIDDEN TESTS", outputs);
        Assert.Equal(outputs.Contains("wrote: ../../../../../README.md") ? 6 : 7, System.Text.RegularExpressions.Regex.Matches(outputs, "blocked: ").Count);
        Assert.Contains("files here: 0", outputs);
        Assert.Equal("student,total\nhonest,8\n", File.ReadAllText(Path.Combine(results, "grades.csv")));
        Assert.DoesNotContain("forged", File.ReadAllText(Path.Combine(RepositoryPaths.Root, "README.md")));
    }

    [Fact]
    public void TheNetworkIsNotThere()
    {
        string attack = """
            try { new System.Net.Sockets.TcpClient().Connect("1.1.1.1", 53); Console.WriteLine("connected"); }
            catch (Exception e) { Console.WriteLine("blocked: " + e.GetType().Name); }
            """;
        var (_, _, outputs, _) = Run(attack);
        Assert.Contains("blocked: SocketException", outputs);
        Assert.DoesNotContain("connected", outputs);
    }

    [Fact]
    public void AnOrphanAndADetachedRewriterDieWithTheSubmission()
    {
        string target = Path.Combine(root, "rewritten.txt");
        File.WriteAllText(target, "original");
        string marker = $"coursekit-orphan-{Guid.NewGuid():N}";
        // the orphan holds the child's output streams; the rewriter waits, then writes (it would, outside a sandbox)
        string attack = $$"""
            System.Diagnostics.Process.Start("sleep", "100000");
            System.Diagnostics.Process.Start("sh", new[] { "-c", "setsid sh -c 'sleep 4; echo forged > {{target}}; sleep 100000 # {{marker}}' &" });
            System.Threading.Thread.Sleep(500);
            """;

        var (outcome, scores, _, took) = Run(attack);

        Assert.Equal(4, Total(scores));
        Assert.True(took < TimeSpan.FromSeconds(90), $"the grader waited {took.TotalSeconds:0} s for processes the submission left");
        Assert.Contains(outcome.Notes, n => n.Contains("process(es) your code started were still running", StringComparison.Ordinal));
        Thread.Sleep(6000);
        Assert.Equal("original", File.ReadAllText(target));
        var survivors = Directory.GetDirectories("/proc").Where(d => int.TryParse(Path.GetFileName(d), out _)).Where(d =>
        {
            try { return File.ReadAllText(Path.Combine(d, "cmdline")).Contains(marker, StringComparison.Ordinal); }
            catch (IOException) { return false; }
            catch (UnauthorizedAccessException) { return false; }
        }).ToList();
        Assert.Empty(survivors);
    }

    [Fact]
    public void AForgedAnswerOnTheGradersChannelIsNotBelieved()
    {
        // a wrong answer that writes "passed" for the test after it (and for every cell) into the child's raw output
        string attack = """
            int OutputSize(int h, int f, int pad, int stride) => h;
            var raw = new System.IO.StreamWriter(Console.OpenStandardOutput());
            for (int cell = 0; cell < 20; cell++)
                raw.WriteLine($"{{\"index\":{cell},\"token\":\"guessed\",\"count\":1,\"status\":\"Passed\",\"seconds\":0,\"outputs\":[]}}");
            raw.Flush();
            """;

        var (outcome, scores, _, _) = Run(attack, replaceAnswer: true);

        Assert.Equal([0, 2, 1], scores.Select(s => s.Points));
        var incident = Assert.Single(outcome.Incidents);
        Assert.Equal(SubmissionRun.Forgery, incident.Reason);
        Assert.Contains("wrote into the grader's channel instead of the cell's result, so the grader believed nothing from this run", incident.Message);
        Assert.True(incident.RanAgain);
    }

    [Fact]
    public void TheSubmissionTimeLimitCostsOnlyTheExerciseThatRanOver()
    {
        // each run may take 45 s; the output-size answer busies itself for 120 s (under its cell timeout)
        var tight = limits with { CellTimeout = TimeSpan.FromSeconds(300), SubmissionTime = TimeSpan.FromSeconds(45) };
        string attack = """
            var clock = System.Diagnostics.Stopwatch.StartNew();
            while (clock.Elapsed.TotalSeconds < 120) { }
            int OutputSize(int h, int f, int pad, int stride) => (h + 2 * pad - f) / stride + 1;
            """;

        var (outcome, scores, _, _) = Run(attack, replaceAnswer: true, with: tight);

        Assert.Equal([0, 2, 1], scores.Select(s => s.Points));
        var incident = Assert.Single(outcome.Incidents);
        Assert.Equal(SubmissionRun.TimeLimit, incident.Reason);
        Assert.Contains("the notebook ran longer than the 45 s a submission may take, and this cell was running", incident.Message);
        Assert.True(incident.RanAgain);
        string page = FeedbackPage.Render(new NotebookGrade("s", "Exercises.ipynb", scores, outcome.Incidents), null);
        Assert.Contains("The notebook was run again without it", page);
    }

    [Fact]
    public void ALibraryTheSandboxUserCannotReachIsNamedWithTheFix()
    {
        // the source loads a copy of the library from a folder only its owner may enter (a temporary folder is made so)
        GradingFixtures.RequireLibrary();
        string library = Path.Combine(root, "private", "CourseKit.dll");
        Directory.CreateDirectory(Path.GetDirectoryName(library)!);
        File.Copy(GradingFixtures.LibraryPath, library);
        string sourcePath = Path.Combine(root, "source", "Exercises.ipynb");
        Directory.CreateDirectory(Path.GetDirectoryName(sourcePath)!);
        File.WriteAllText(sourcePath, File.ReadAllText(GradingFixtures.SourcePath)
            .Replace("../../../../../artifacts/bin/CourseKit/release/CourseKit.dll", library.Replace('\\', '/'), StringComparison.Ordinal));
        var source = Notebook.Load(sourcePath);
        Assert.Contains(source.Cells, c => c.Source.Contains(library, StringComparison.Ordinal));
        var restored = SubmissionRestore.Restore(source, Notebook.Load(sourcePath));

        if (GradingSandbox.Available.Sandbox is { Setpriv: not null })
        {
            // graded as root, the child is nobody, who cannot enter the folder: the grader says so and what to do
            var failure = Assert.Throws<InvalidOperationException>(() =>
                SubmissionRun.Run(restored, sourcePath, Path.Combine(root, "work"), limits, GradingFixtures.Child));
            Assert.Contains("Permission denied", failure.Message);
            Assert.Contains("chmod o+rx", failure.Message);
        }
        else
        {
            // graded as its owner, the child may enter it
            var outcome = SubmissionRun.Run(restored, sourcePath, Path.Combine(root, "work"), limits, GradingFixtures.Child);
            Assert.Equal(4, Total(Scoring.Score(restored, outcome.Runs, outcome.Incidents)));
        }
    }

    private static string Literal(string text) => Microsoft.CodeAnalysis.CSharp.SymbolDisplay.FormatLiteral(text, quote: true);
}
