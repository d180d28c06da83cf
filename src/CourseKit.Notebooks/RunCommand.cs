using System.CommandLine;

namespace CourseKit.Notebooks;

/// <summary>
/// <c>coursekit run NOTEBOOK... [--out DIR] [--html] [--continue-on-error] [--timeout SECONDS]</c>: executes each
/// notebook, writes the executed copy (and an HTML page) to the output folder, prints a line per cell and a summary.
/// Exit code 0 when every cell passed, 1 when a cell failed, 2 for bad arguments or unreadable notebooks.
/// </summary>
public static class RunCommand
{
    /// <summary>Where executed notebooks go unless --out says otherwise (inside the git-ignored build folder).</summary>
    public const string DefaultOutputFolder = "artifacts/notebooks";

    // lines of a failing cell's message printed under its progress line
    private const int MessageLines = 6;

    private sealed record Arguments(List<string> Notebooks, string OutputFolder, bool Html, bool ContinueOnError, TimeSpan Timeout);

    /// <summary>The <c>run</c> command, its arguments and action.</summary>
    public static Command Create(Func<string>? plotlyScript = null)
    {
        var notebooks = new Argument<string[]>("NOTEBOOK")
        {
            Description = "the notebooks to run, in this order",
            Arity = ArgumentArity.OneOrMore,
        };
        // System.CommandLine takes a token it does not know as an argument; "--frobnicate" is a mistyped option, not a file
        notebooks.Validators.Add(r =>
        {
            foreach (var token in r.Tokens.Where(t => t.Value.StartsWith("--", StringComparison.Ordinal)))
                r.AddError($"unknown option {token.Value}.");
        });
        var outFolder = new Option<string>("--out")
        {
            Description = "folder for the executed notebooks",
            HelpName = "DIR",
            DefaultValueFactory = _ => DefaultOutputFolder,
        };
        var html = new Option<bool>("--html") { Description = "also write a standalone HTML page of each executed notebook" };
        var continueOnError = new Option<bool>("--continue-on-error") { Description = "run the remaining cells after a failing one (default: stop there)" };
        var timeout = ToolCommandLine.Positive(new Option<double>("--timeout")
        {
            Description = "abandon a cell that runs longer",
            HelpName = "SECONDS",
            DefaultValueFactory = _ => new NotebookRunnerOptions().CellTimeout.TotalSeconds,
        }, "seconds");
        var command = new Command("run",
            "Runs each notebook's C# cells as the Polyglot C# kernel does and writes the executed copy "
            + "(exit code 0: every cell passed, 1: a cell failed, 2: bad arguments or unreadable notebooks).")
        {
            notebooks, outFolder, html, continueOnError, timeout,
        };
        command.SetAction(parsed => Run(new Arguments(
            [.. parsed.GetValue(notebooks)!], parsed.GetValue(outFolder)!, parsed.GetValue(html), parsed.GetValue(continueOnError),
            TimeSpan.FromSeconds(parsed.GetValue(timeout))), parsed.InvocationConfiguration.Output, parsed.InvocationConfiguration.Error, plotlyScript));
        return command;
    }

    /// <summary><c>coursekit run ARGS</c> with its output on the given writers (as the command line runs it).</summary>
    public static int Run(IReadOnlyList<string> args, TextWriter output, TextWriter errors, Func<string>? plotlyScript = null) =>
        ToolCommandLine.Invoke(ToolCommandLine.Root(Create(plotlyScript)), ["run", .. args], output, errors);

    private static int Run(Arguments arguments, TextWriter output, TextWriter errors, Func<string>? plotlyScript)
    {
        // read every notebook before running any, so a bad file stops the command before anything is written
        var notebooks = new List<Notebook>();
        var unreadable = new List<string>();
        foreach (var path in arguments.Notebooks)
        {
            try { notebooks.Add(Notebook.Load(path)); }
            catch (NotebookFormatException e) { unreadable.Add(e.Message); }
        }
        foreach (var notebook in notebooks)
        {
            if (Path.GetFullPath(OutputPath(arguments, notebook, ".ipynb")) == Path.GetFullPath(notebook.Path!))
                unreadable.Add($"{notebook.Path}: the executed copy would overwrite it; choose another --out folder.");
        }
        if (unreadable.Count > 0)
        {
            foreach (var message in unreadable) errors.WriteLine($"error: {message}");
            errors.WriteLine("Nothing was run or written.");
            return ToolCommandLine.BadArguments;
        }

        bool allPassed = true;
        foreach (var notebook in notebooks)
            allPassed &= RunOne(notebook, arguments, output, plotlyScript);
        return allPassed ? 0 : 1;
    }

    private static bool RunOne(Notebook notebook, Arguments arguments, TextWriter output, Func<string>? plotlyScript)
    {
        int codeCells = notebook.Cells.Count(c => c.IsCode);
        output.WriteLine($"{notebook.Path}: {codeCells} code cells");
        int done = 0;
        var options = new NotebookRunnerOptions
        {
            CellTimeout = arguments.Timeout,
            ContinueOnError = arguments.ContinueOnError,
            CellFinished = cell =>
            {
                done++;
                string status = cell.Status switch
                {
                    CellStatus.Passed => "ok",
                    CellStatus.Failed => "FAILED",
                    CellStatus.TimedOut => "TIMED OUT",
                    _ => "not run",
                };
                string time = cell.Status == CellStatus.NotRun ? "" : $"{cell.Duration.TotalSeconds,7:0.00} s  ";
                output.WriteLine($"  [{done}/{codeCells}] cell {cell.Index + 1,-3} {time}{status}");
                if (cell.Error is { } error)
                {
                    var lines = error.Summary.Split('\n');
                    foreach (var line in lines.Take(MessageLines)) output.WriteLine($"        {line}");
                    if (lines.Length > MessageLines) output.WriteLine($"        ... ({lines.Length - MessageLines} more lines in the executed notebook)");
                }
            },
        };

        var result = NotebookRunner.Run(notebook, options);

        string executed = OutputPath(arguments, notebook, ".ipynb");
        notebook.Save(executed);
        string written = executed;
        if (arguments.Html)
        {
            string page = OutputPath(arguments, notebook, ".html");
            File.WriteAllText(page, NotebookHtml.Render(notebook, Path.GetFileNameWithoutExtension(notebook.Path!), plotlyScript));
            written += $" and {page}";
        }
        string verdict = result.Succeeded ? "passed" : "FAILED";
        output.WriteLine(
            $"{notebook.Path}: {verdict}: {result.Count(CellStatus.Passed)} passed, {result.Count(CellStatus.Failed)} failed, "
            + $"{result.Count(CellStatus.TimedOut)} timed out, {result.Count(CellStatus.NotRun)} not run "
            + $"in {result.Duration.TotalSeconds:0.0} s; wrote {written}");
        foreach (var line in Grading.GradedSummary.Lines(result)) output.WriteLine(line);
        return result.Succeeded;
    }

    private static string OutputPath(Arguments arguments, Notebook notebook, string extension) =>
        Path.Combine(arguments.OutputFolder, Path.GetFileNameWithoutExtension(notebook.Path!) + extension);
}
