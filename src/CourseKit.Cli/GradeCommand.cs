using System.CommandLine;
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
    public static Command Create()
    {
        var defaults = new GradingLimits();
        var submissions = new Argument<string>("SUBMISSIONS_DIR") { Description = "one folder per student with their notebooks" };
        var source = new Option<string>("--source") { Description = "the instructor's notebooks, with solutions and hidden tests", HelpName = "NOTEBOOKS_DIR", Required = true };
        var outFolder = new Option<string>("--out") { Description = "grades.csv, feedback/STUDENT/ and results/ go here", HelpName = "RESULTS_DIR", Required = true };
        var regrade = new Option<bool>("--regrade") { Description = "grade again the submissions that already have a result" };
        var timeout = ToolCommandLine.Positive(new Option<double>("--timeout")
        {
            Description = "seconds a cell may run", HelpName = "SECONDS", DefaultValueFactory = _ => defaults.CellTimeout.TotalSeconds,
        }, "seconds");
        var timeLimit = ToolCommandLine.Positive(new Option<double>("--time-limit")
        {
            Description = "seconds a submission may run, restarts included", HelpName = "SECONDS", DefaultValueFactory = _ => defaults.SubmissionTime.TotalSeconds,
        }, "seconds");
        var memory = ToolCommandLine.Positive(new Option<double>("--memory")
        {
            Description = "megabytes of memory per submission process", HelpName = "MB", DefaultValueFactory = _ => defaults.MemoryBytes >> 20,
        }, "megabytes");
        var parallel = ToolCommandLine.Positive(new Option<int>("--parallel")
        {
            Description = "submissions graded at once (one per core)", HelpName = "N", DefaultValueFactory = _ => Environment.ProcessorCount,
        }, "submissions");
        var withoutSandbox = new Option<bool>("--without-sandbox")
        {
            Description = "grade where no sandbox can be had: student code then runs with your rights and can read the solutions "
                + "and other submissions (only for submissions you trust)",
        };
        var readOnly = new Option<string[]>("--read-only")
        {
            Description = "a further file or folder the sandboxed notebooks may read (data they load); repeatable", HelpName = "PATH",
        };
        var shard = new Option<string?>("--shard") { Description = "grade only slice i of n of the students (1-based), into its own --out folder; combine with 'grade merge'", HelpName = "i/n" };
        shard.Validators.Add(r =>
        {
            if (r.Tokens.Count > 0 && !ShardManifest.TryParse(r.Tokens[0].Value, out _)) r.AddError($"--shard needs i/n with 1 <= i <= n, not '{r.Tokens[0].Value}'.");
        });
        var command = new Command("grade",
            "Grades every student's notebooks, each in a sandbox, and writes RESULTS_DIR/grades.csv, feedback/STUDENT/ and "
            + "results/; a rerun resumes (exit code 0: the run finished, whatever the scores; 2: bad arguments or grading marks).")
        {
            submissions, source, outFolder, regrade, timeout, timeLimit, memory, parallel, withoutSandbox, readOnly, shard, MergeCommand(),
        };
        command.SetAction(parsed => Run(new GraderOptions
        {
            SubmissionsFolder = parsed.GetValue(submissions)!,
            SourceFolder = parsed.GetValue(source)!,
            OutputFolder = parsed.GetValue(outFolder)!,
            Regrade = parsed.GetValue(regrade),
            Limits = new GradingLimits
            {
                CellTimeout = TimeSpan.FromSeconds(parsed.GetValue(timeout)),
                SubmissionTime = TimeSpan.FromSeconds(parsed.GetValue(timeLimit)),
                MemoryBytes = (long)(parsed.GetValue(memory) * (1 << 20)),
            },
            Parallelism = parsed.GetValue(parallel),
            WithoutSandbox = parsed.GetValue(withoutSandbox),
            ReadOnly = parsed.GetValue(readOnly) ?? [],
            Shard = parsed.GetValue(shard) is { } text && ShardManifest.TryParse(text, out var slice) ? slice : null,
        }, parsed.InvocationConfiguration.Output, parsed.InvocationConfiguration.Error));
        return command;
    }

    private static Command MergeCommand()
    {
        var shards = new Argument<string[]>("SHARD_DIR") { Description = "the --out folders of 'grade --shard i/n'", Arity = ArgumentArity.OneOrMore };
        var outFolder = new Option<string>("--out") { Description = "the combined grades.csv, feedback/ and results/", HelpName = "RESULTS_DIR", Required = true };
        var merge = new Command("merge",
            "Combines the shards' results into one grades.csv and feedback set; idempotent, and refuses shards of another source or split, "
            + "a shard given twice, a result in two shards or one its grader did not sign (exit code 0, or 2).")
        {
            shards, outFolder,
        };
        merge.SetAction(parsed =>
        {
            var (output, errors) = (parsed.InvocationConfiguration.Output, parsed.InvocationConfiguration.Error);
            try
            {
                var report = ShardManifest.Merge(parsed.GetValue(shards)!, parsed.GetValue(outFolder)!);
                output.WriteLine($"merged {report.Results} result(s) from {report.Shards} shard(s); wrote {report.GradesPath}");
                return 0;
            }
            catch (Exception e) when (e is GradingMarkupException or IOException or System.Text.Json.JsonException)
            {
                errors.WriteLine($"coursekit grade merge: {e.Message}");
                return ToolCommandLine.BadArguments;
            }
        });
        return merge;
    }

    private static int Run(GraderOptions options, TextWriter output, TextWriter errors)
    {
        if (options.WithoutSandbox)
            errors.WriteLine("coursekit grade: WARNING: grading WITHOUT a sandbox (--without-sandbox): student code runs with your rights and can read "
                + "the source notebooks, the other submissions and the results. Use this only for submissions you trust.");
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
        catch (SandboxUnavailableException e)
        {
            errors.WriteLine($"coursekit grade: REFUSED: no sandbox can be had on this machine, and without one student code could read the "
                + $"solutions and write the results.\n  {e.Message}\n  Nothing was graded. To grade submissions you trust anyway, pass --without-sandbox.");
            return ToolCommandLine.BadArguments;
        }
        catch (Exception e) when (e is GradingMarkupException or NotebookFormatException or DirectoryNotFoundException)
        {
            errors.WriteLine($"coursekit grade: {e.Message}");
            return ToolCommandLine.BadArguments;
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
        if (options.Shard is { } shard) students = Enumerable.Range(0, students).Count(i => i % shard.Count == shard.Index - 1);
        int notebooks = StudentRelease.SourceNotebooks(options.SourceFolder).Count(p =>
        {
            try { return Markup.HasGradingMarks(Notebook.Load(p)); }
            catch (NotebookFormatException) { return false; }
        });
        return students * notebooks;
    }
}
