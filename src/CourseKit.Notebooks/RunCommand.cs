using System.Globalization;

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

    public const string Usage = """
        usage: coursekit run NOTEBOOK... [--out DIR] [--html] [--continue-on-error] [--timeout SECONDS]
          runs every C# cell of each notebook in order, as the Polyglot C# kernel does, and writes the executed copy
          --out DIR             folder for the executed notebooks (default: artifacts/notebooks)
          --html                also write a standalone HTML page of each executed notebook
          --continue-on-error   run the remaining cells after a failing one (default: stop there)
          --timeout SECONDS     abandon a cell that runs longer (default: 600)
        """;

    // lines of a failing cell's message printed under its progress line
    private const int MessageLines = 6;

    private sealed record Arguments(List<string> Notebooks, string OutputFolder, bool Html, bool ContinueOnError, TimeSpan Timeout);

    public static int Run(IReadOnlyList<string> args, TextWriter output, TextWriter errors, Func<string>? plotlyScript = null)
    {
        if (!TryParse(args, out var arguments, out var problem))
        {
            errors.WriteLine($"coursekit run: {problem}");
            errors.WriteLine(Usage);
            return 2;
        }

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
            return 2;
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

    private static bool TryParse(IReadOnlyList<string> args, out Arguments arguments, out string problem)
    {
        arguments = new Arguments([], DefaultOutputFolder, false, false, new NotebookRunnerOptions().CellTimeout);
        problem = "";
        for (int i = 0; i < args.Count; i++)
        {
            string arg = args[i];
            switch (arg)
            {
                case "--html": arguments = arguments with { Html = true }; break;
                case "--continue-on-error": arguments = arguments with { ContinueOnError = true }; break;
                case "--out" when i + 1 < args.Count: arguments = arguments with { OutputFolder = args[++i] }; break;
                case "--timeout" when i + 1 < args.Count:
                    if (!double.TryParse(args[++i], NumberStyles.Float, CultureInfo.InvariantCulture, out double seconds) || seconds <= 0)
                    {
                        problem = $"--timeout needs a positive number of seconds, not '{args[i]}'.";
                        return false;
                    }
                    arguments = arguments with { Timeout = TimeSpan.FromSeconds(seconds) };
                    break;
                case "--out" or "--timeout":
                    problem = $"{arg} needs a value.";
                    return false;
                default:
                    if (arg.StartsWith("--", StringComparison.Ordinal))
                    {
                        problem = $"unknown option {arg}.";
                        return false;
                    }
                    arguments.Notebooks.Add(arg);
                    break;
            }
        }
        if (arguments.Notebooks.Count == 0)
        {
            problem = "give at least one notebook.";
            return false;
        }
        return true;
    }
}
