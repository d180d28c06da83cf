using System.Globalization;
using CourseKit.Display;
using CourseKit.Notebooks;
using CourseKit.Notebooks.Grading;

namespace CourseKit.Cli;

/// <summary>
/// <c>coursekit grade SUBMISSIONS --source DIR --out DIR [...]</c>: grades every student's notebooks against the
/// source notebooks, with progress while it runs and a summary of the failures by reason at the end.
/// Exit code 0 when the run finished (whatever the students scored), 2 for bad arguments or grading marks.
/// </summary>
internal static class GradeCommand
{
    public const string Usage = """
        usage: coursekit grade SUBMISSIONS_DIR --source NOTEBOOKS_DIR --out RESULTS_DIR [--regrade]
                               [--timeout SECONDS] [--time-limit SECONDS] [--memory MB] [--parallel N]
          SUBMISSIONS_DIR holds one folder per student with their notebooks. Test and read-only cells are restored
          from the source (hidden tests included); each submission runs in its own process under limits.
          Writes RESULTS_DIR/grades.csv, RESULTS_DIR/feedback/STUDENT/ (executed notebook and HTML page) and
          RESULTS_DIR/results/ (a rerun resumes: it skips the submissions graded already).
          --regrade             grade again the submissions that already have a result
          --timeout SECONDS     per cell (default 300)
          --time-limit SECONDS  per submission, restarts included (default 1800)
          --memory MB           per submission process (default 2048)
          --parallel N          submissions graded at once (default 1)
        """;

    public static int Run(IReadOnlyList<string> args, TextWriter output, TextWriter errors)
    {
        if (!TryParse(args, out var options, out string problem))
        {
            errors.WriteLine($"coursekit grade: {problem}");
            errors.WriteLine(Usage);
            return 2;
        }

        Progress? progress = null;
        GradingReport report;
        try
        {
            int total = CountWork(options);
            progress = Progress.Create(total, "grading");
            var tracker = progress;
            report = Grader.Grade(options with
            {
                Graded = (grade, skipped) => tracker.Advance(message:
                    $"{grade.Student}/{grade.Notebook} {ExerciseResult.Format(grade.Total)}/{ExerciseResult.Format(grade.Max)}{(skipped ? " (graded before)" : "")}"),
            });
        }
        catch (Exception e) when (e is GradingMarkupException or NotebookFormatException or DirectoryNotFoundException)
        {
            errors.WriteLine($"coursekit grade: {e.Message}");
            return 2;
        }
        finally
        {
            progress?.Dispose();
        }

        output.WriteLine($"graded {report.GradedNow} submission(s), skipped {report.Skipped} graded before; wrote {report.GradesPath}");
        var failures = report.FailuresByReason();
        if (failures.Count > 0)
        {
            output.WriteLine("failures by reason:");
            foreach (var line in failures) output.WriteLine("  " + line);
        }
        return 0;
    }

    private static int CountWork(GraderOptions options)
    {
        if (!Directory.Exists(options.SubmissionsFolder) || !Directory.Exists(options.SourceFolder)) return 0;
        int students = Directory.GetDirectories(options.SubmissionsFolder).Count(d => !Path.GetFileName(d).StartsWith('.'));
        int notebooks = StudentRelease.SourceNotebooks(options.SourceFolder).Count(p =>
        {
            try { return Markup.HasGradingMarks(Notebook.Load(p)); }
            catch (NotebookFormatException) { return false; }
        });
        return students * notebooks;
    }

    private static bool TryParse(IReadOnlyList<string> args, out GraderOptions options, out string problem)
    {
        string? submissions = null, source = null, output = null;
        var limits = new GradingLimits();
        bool regrade = false;
        int parallel = 1;
        options = null!;
        problem = "";
        for (int i = 0; i < args.Count; i++)
        {
            string arg = args[i];
            if (arg == "--regrade") { regrade = true; continue; }
            if (arg.StartsWith("--", StringComparison.Ordinal))
            {
                if (i + 1 >= args.Count) { problem = $"{arg} needs a value."; return false; }
                string value = args[++i];
                bool positive = double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out double number) && number > 0;
                switch (arg)
                {
                    case "--source": source = value; break;
                    case "--out": output = value; break;
                    case "--timeout" when positive: limits = limits with { CellTimeout = TimeSpan.FromSeconds(number) }; break;
                    case "--time-limit" when positive: limits = limits with { SubmissionTime = TimeSpan.FromSeconds(number) }; break;
                    case "--memory" when positive: limits = limits with { MemoryBytes = (long)(number * (1 << 20)) }; break;
                    case "--parallel" when positive: parallel = (int)number; break;
                    case "--timeout" or "--time-limit" or "--memory" or "--parallel":
                        problem = $"{arg} needs a positive number, not '{value}'.";
                        return false;
                    default:
                        problem = $"unknown option {arg}.";
                        return false;
                }
                continue;
            }
            if (submissions is not null) { problem = $"one submissions folder only ('{submissions}', then '{arg}')."; return false; }
            submissions = arg;
        }
        if (submissions is null || source is null || output is null)
        {
            problem = "give the submissions folder, --source and --out.";
            return false;
        }
        options = new GraderOptions
        {
            SubmissionsFolder = submissions,
            SourceFolder = source,
            OutputFolder = output,
            Regrade = regrade,
            Limits = limits,
            Parallelism = parallel,
        };
        return true;
    }
}
