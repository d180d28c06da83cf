using System.Diagnostics;
using System.Text;
using Microsoft.CodeAnalysis.CSharp;

namespace CourseKit.Notebooks.Grading;

/// <summary>What happened when a restored submission ran in its child process(es).</summary>
public sealed record SubmissionOutcome(Notebook Executed, IReadOnlyList<CellRun> Runs, IReadOnlyList<Incident> Incidents);

/// <summary>
/// Runs one restored submission in a child process under <see cref="GradingLimits"/>. Student code can end the
/// process (stack overflow, Environment.Exit, a crash) or hang it; then the cell that was running is disabled
/// and the notebook runs again from the top, so that one runaway exercise costs only its own points.
/// </summary>
public static class SubmissionRun
{
    public const string StackOverflow = "stack overflow";
    public const string MemoryLimit = "memory limit";
    public const string TimeLimit = "time limit";
    public const string ProcessExit = "process exit";
    public const string Crash = "crash";

    /// <param name="disabled">Cells not to run at all (for example tests a student's code would fool, see <see cref="Shadowing"/>).</param>
    public static SubmissionOutcome Run(
        Notebook restored, string sourcePath, string workFolder, GradingLimits limits, ChildCommand command, IReadOnlyList<Incident>? disabled = null)
    {
        Directory.CreateDirectory(workFolder);
        string notebookPath = Path.Combine(workFolder, "graded.ipynb");
        string executedPath = Path.Combine(workFolder, "executed.ipynb");
        string logPath = Path.Combine(workFolder, "cells.log");

        var incidents = new List<Incident>(disabled ?? []);
        var clock = Stopwatch.StartNew();
        List<CellRun> runs;
        Notebook executed;
        for (int attempt = 0; ; attempt++)
        {
            var toRun = Notebook.Parse(restored.ToJson(), sourcePath);
            foreach (var incident in incidents)
                toRun.Cells[incident.Cell].Source =
                    $"throw new InvalidOperationException({SymbolDisplay.FormatLiteral($"The grader stopped this cell: {incident.Message}.", quote: true)});";
            File.Delete(logPath);
            File.Delete(executedPath);
            toRun.Save(notebookPath);

            byte[] key = GradingChild.NewKey();
            var exit = RunChild(command, GradingChild.Arguments(notebookPath, sourcePath, executedPath, logPath, limits.CellTimeout),
                key, limits.SubmissionTime - clock.Elapsed, limits.MemoryBytes);
            (runs, bool finished) = GradingChild.ReadLog(logPath, key);
            executed = TryLoad(executedPath, sourcePath) ?? toRun;

            Incident? stop = null;
            if (!finished)
            {
                int last = runs.Count == 0 ? -1 : runs.Max(r => r.Index);
                int running = Enumerable.Range(last + 1, toRun.Cells.Count - last - 1).FirstOrDefault(i => toRun.Cells[i].IsCode, -1);
                if (running >= 0) stop = new Incident(running, exit.Reason, exit.Message);
            }
            else if (runs.FirstOrDefault(r => r.Status == CellStatus.TimedOut) is { } timedOut)
            {
                stop = new Incident(timedOut.Index, Scoring.TimedOut, $"it ran longer than the {limits.CellTimeout.TotalSeconds:0.#} s a cell may take");
            }
            if (stop is null) break;
            incidents.Add(stop);
            bool cellsAfter = toRun.Cells.Skip(stop.Cell + 1).Any(c => c.IsCode);
            if (!cellsAfter || attempt >= limits.Restarts || stop.Reason == TimeLimit) break;
        }

        // the feedback shows the student's own code of a stopped cell, with the reason as its error
        foreach (var incident in incidents)
        {
            var cell = executed.Cells[incident.Cell];
            cell.Source = restored.Cells[incident.Cell].Source;
            cell.ClearOutputs();
            cell.Outputs.Add(CellOutput.Error(incident.Reason, $"The grader stopped this cell: {incident.Message}.", []));
        }
        var stopped = incidents.Select(i => i.Cell).ToHashSet();
        return new SubmissionOutcome(executed, [.. runs.Where(r => !stopped.Contains(r.Index))], incidents);
    }

    private sealed record ChildExit(string Reason, string Message);

    private static ChildExit RunChild(ChildCommand command, IReadOnlyList<string> arguments, byte[] key, TimeSpan timeLimit, long memoryBytes)
    {
        var start = new ProcessStartInfo(command.FileName)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in command.LeadingArguments.Concat(arguments)) start.ArgumentList.Add(a);
        // the GC heap stops below the watchdog's limit, so most memory hogs get an OutOfMemoryException in their cell
        start.Environment["DOTNET_GCHeapHardLimit"] = (memoryBytes * 3 / 4).ToString("X");
        start.Environment["DOTNET_DbgEnableMiniDump"] = "0";
        start.Environment["CI"] = "true";

        var errors = new StringBuilder();
        bool stackOverflow = false;
        using var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            lock (errors)
            {
                stackOverflow |= e.Data.Contains("Stack overflow", StringComparison.Ordinal);
                if (errors.Length < 2000) errors.AppendLine(e.Data);
            }
        };
        var clock = Stopwatch.StartNew();
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            process.StandardInput.WriteLine(Convert.ToBase64String(key));
            process.StandardInput.Close();
        }
        catch (IOException) { } // it ended before reading: its exit says why

        string? killed = null;
        while (!process.WaitForExit(100))
        {
            if (clock.Elapsed > timeLimit) killed = TimeLimit;
            else if (WorkingSet(process) > memoryBytes) killed = MemoryLimit;
            else continue;
            try { process.Kill(entireProcessTree: true); }
            catch (InvalidOperationException) { } // it ended by itself meanwhile
            break;
        }
        process.WaitForExit();

        if (killed == TimeLimit) return new ChildExit(TimeLimit, $"the submission ran longer than its {timeLimit.TotalSeconds:0} s");
        if (killed == MemoryLimit) return new ChildExit(MemoryLimit, $"it used more than {memoryBytes >> 20} MB of memory");
        string error;
        lock (errors) error = errors.ToString();
        if (stackOverflow) return new ChildExit(StackOverflow, "it overflowed the stack (an endless recursion?) and ended the process");
        if (error.Contains("OutOfMemoryException", StringComparison.Ordinal))
            return new ChildExit(MemoryLimit, $"it ran out of memory (limit {memoryBytes >> 20} MB) and ended the process");
        if (error.Trim().Length == 0)
            return new ChildExit(ProcessExit, $"it ended the process (exit code {process.ExitCode}: Environment.Exit?)");
        return new ChildExit(Crash, $"the process crashed (exit code {process.ExitCode}){(error.Length > 0 ? ": " + error.Split('\n')[0].Trim() : "")}");
    }

    /// <summary>The child's working set, or 0 when it has just exited.</summary>
    private static long WorkingSet(Process process)
    {
        try
        {
            process.Refresh();
            return process.WorkingSet64;
        }
        catch (InvalidOperationException) { return 0; }
    }

    private static Notebook? TryLoad(string path, string sourcePath)
    {
        try { return File.Exists(path) ? Notebook.Parse(File.ReadAllText(path), sourcePath) : null; }
        catch (NotebookFormatException) { return null; }
    }
}
