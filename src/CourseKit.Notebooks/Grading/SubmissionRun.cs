using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis.CSharp;

namespace CourseKit.Notebooks.Grading;

/// <summary>What happened when a restored submission ran in its child process(es).</summary>
/// <param name="Notes">What the student should know beyond the cells (processes that were still running and were killed).</param>
public sealed record SubmissionOutcome(Notebook Executed, IReadOnlyList<CellRun> Runs, IReadOnlyList<Incident> Incidents, IReadOnlyList<string> Notes);

/// <summary>Where and how a submission's child runs: in the sandbox (the default), or, when the instructor says so, without.</summary>
/// <param name="Sandbox">Null only when the instructor chose to grade without a sandbox.</param>
/// <param name="ReadOnly">Further paths the child may read (data the notebooks load), besides the runtime, the build and #r folders.</param>
public sealed record SubmissionSandbox(GradingSandbox? Sandbox, IReadOnlyList<string> ReadOnly)
{
    /// <summary>The sandbox when the machine has one; otherwise an exception that says why and what to do.</summary>
    public static SubmissionSandbox Required(IReadOnlyList<string>? readOnly = null)
    {
        var (sandbox, problem) = GradingSandbox.Available;
        if (sandbox is null) throw new SandboxUnavailableException(problem);
        return new SubmissionSandbox(sandbox, readOnly ?? []);
    }

    public static readonly SubmissionSandbox None = new(null, []);
}

/// <summary>No sandbox can be had here; the message says why and what the machine needs.</summary>
public sealed class SandboxUnavailableException(string message) : Exception(message);

/// <summary>
/// Runs one restored submission under <see cref="GradingLimits"/>: a child process (<see cref="GradingChild"/>) in
/// its sandbox, sent one code cell at a time. The grader decides each cell's outcome (see Grading/README.md):
/// a cell counts only if the child answers for the cell it was sent, with the token sent with it. Student code can
/// end the process (stack overflow, Environment.Exit, a crash) or hang it; then the cell that was running is
/// disabled and the notebook runs again from the top, so that one runaway exercise costs only its own points.
/// </summary>
public static partial class SubmissionRun
{
    public const string StackOverflow = "stack overflow";
    public const string MemoryLimit = "memory limit";
    public const string TimeLimit = "time limit";
    public const string ProcessExit = "process exit";
    public const string Crash = "crash";
    public const string Forgery = "forged result";

    // a cell's own timeout is the child's; the grader waits this much longer (compiling is not timed) before it kills
    private static readonly TimeSpan compileAllowance = TimeSpan.FromSeconds(60);

    // longest answer line the grader reads from a child (outputs are cut to GradingChild.MaxOutputChars each)
    private const int MaxAnswerChars = 64 << 20;

    /// <param name="disabled">Cells not to run at all (for example tests a student's code would fool, see <see cref="Shadowing"/>).</param>
    public static SubmissionOutcome Run(
        Notebook restored, string sourcePath, string workFolder, GradingLimits limits, ChildCommand command,
        IReadOnlyList<Incident>? disabled = null, SubmissionSandbox? sandbox = null)
    {
        sandbox ??= SubmissionSandbox.Required();
        // sandboxed as another user, the child's folder must be reachable by that user: one of our own making
        string? own = null;
        if (sandbox.Sandbox is { Setpriv: not null } && !OperatingSystem.IsWindows())
        {
            own = Directory.CreateTempSubdirectory("coursekit-work-").FullName;
            File.SetUnixFileMode(own, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.OtherExecute);
            workFolder = Path.Combine(own, "work");
        }
        try { return RunAttempts(restored, sourcePath, workFolder, limits, command, disabled, sandbox); }
        finally
        {
            if (own is not null)
                try { Directory.Delete(own, recursive: true); }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
        }
    }

    private static SubmissionOutcome RunAttempts(
        Notebook restored, string sourcePath, string workFolder, GradingLimits limits, ChildCommand command,
        IReadOnlyList<Incident>? disabled, SubmissionSandbox sandbox)
    {
        var incidents = new List<Incident>(disabled ?? []);
        var notes = new List<string>();
        List<CellRun> runs;
        Notebook executed;
        for (int attempt = 0; ; attempt++)
        {
            var toRun = Notebook.Parse(restored.ToJson(), sourcePath);
            foreach (var incident in incidents)
                toRun.Cells[incident.Cell].Source =
                    $"throw new InvalidOperationException({SymbolDisplay.FormatLiteral($"The grader stopped this cell: {incident.Message}.", quote: true)});";
            foreach (var cell in toRun.Cells) cell.ClearOutputs();
            if (Directory.Exists(workFolder)) Directory.Delete(workFolder, recursive: true);
            Directory.CreateDirectory(workFolder);
            sandbox.Sandbox?.GiveToSandboxUser(workFolder);

            (runs, var stop, var left) = RunChild(toRun, sourcePath, workFolder, limits, command, sandbox);
            executed = toRun;
            if (left > 0) notes.Add($"{left} process(es) your code started were still running when the notebook ended; the grader killed them.");
            if (stop is null) break;
            incidents.Add(stop);
            bool cellsAfter = toRun.Cells.Skip(stop.Cell + 1).Any(c => c.IsCode);
            if (!cellsAfter || attempt >= limits.Restarts) break;
            incidents[^1] = stop with { RanAgain = true };
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
        return new SubmissionOutcome(executed, [.. runs.Where(r => !stopped.Contains(r.Index))], incidents, notes.Distinct().ToList());
    }

    /// <summary>
    /// One run of the child: every code cell in order, each sent when the previous one has answered. Returns the
    /// cells' runs (outputs written into <paramref name="notebook"/>), the incident that stopped the run (or null),
    /// and how many processes the submission left running.
    /// </summary>
    private static (List<CellRun> Runs, Incident? Stop, int Left) RunChild(
        Notebook notebook, string sourcePath, string workFolder, GradingLimits limits, ChildCommand command, SubmissionSandbox sandbox)
    {
        var arguments = command.LeadingArguments.Concat(GradingChild.Arguments(Path.GetFullPath(sourcePath), limits.CellTimeout)).ToList();
        var environment = new Dictionary<string, string>
        {
            // the GC heap stops below the watchdog's limit, so most memory hogs get an OutOfMemoryException in their cell
            ["DOTNET_GCHeapHardLimit"] = (limits.MemoryBytes * 3 / 4).ToString("X"),
            ["DOTNET_DbgEnableMiniDump"] = "0",
            ["DOTNET_gcServer"] = "0",
            // a child lives for one notebook: profile-guided tiering would instrument Roslyn's code for a second tier it
            // barely reaches; without it a 3-1 submission costs about a fifth less CPU (4.3–4.7 against 5.1–5.3 s)
            ["DOTNET_TieredPGO"] = "0",
            ["CI"] = "true",
        };
        foreach (var name in new[] { "COURSEKIT_QUICK", "DOTNET_ROOT", "LANG" })
            if (Environment.GetEnvironmentVariable(name) is { } value) environment[name] = value;
        if (UserDataFolder() is { } userData) environment["COURSEKIT_DATA"] = userData;   // HOME is elsewhere in the sandbox

        ProcessStartInfo start;
        if (sandbox.Sandbox is { } box)
        {
            string sourceFolder = Path.GetDirectoryName(Path.GetFullPath(sourcePath))!;
            var source = File.Exists(sourcePath) ? Notebook.Load(sourcePath) : notebook;
            start = box.Wrap(command.FileName, arguments, ReadOnlyPaths(source, sourceFolder, command, sandbox.ReadOnly), workFolder, sourceFolder,
                limits.SubmissionTime * Math.Max(1, Environment.ProcessorCount), environment);
        }
        else
        {
            start = new ProcessStartInfo(command.FileName) { UseShellExecute = false };
            foreach (var a in arguments) start.ArgumentList.Add(a);
            foreach (var (name, value) in environment) start.Environment[name] = value;
        }
        start.RedirectStandardInput = true;
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.StandardInputEncoding = new UTF8Encoding(false);
        start.StandardOutputEncoding = Encoding.UTF8;

        using var process = new Process { StartInfo = start };
        process.Start();
        // the grader's own threads read the child's streams: nothing waits for their end (a process that outlived
        // the child could hold them open), and a reader left blocked is a background thread
        var answers = new BlockingCollection<string?>();
        var errors = new StringBuilder();
        StartReader(() =>
        {
            try
            {
                while (ReadLine(process.StandardOutput, MaxAnswerChars) is { } line) answers.Add(line);
            }
            catch (IOException) { }
            answers.Add(null);
        });
        StartReader(() =>
        {
            var buffer = new char[4096];
            try
            {
                int n;
                while ((n = process.StandardError.Read(buffer, 0, buffer.Length)) > 0)
                    lock (errors) if (errors.Length < 8000) errors.Append(buffer, 0, Math.Min(n, 8000 - errors.Length));
            }
            catch (IOException) { }
        });

        var clock = Stopwatch.StartNew();
        var runs = new List<CellRun>();
        Incident? stop = null;
        int left = 0;
        try
        {
            for (int index = 0; index < notebook.Cells.Count && stop is null; index++)
            {
                var cell = notebook.Cells[index];
                if (!cell.IsCode) continue;
                string token = Convert.ToBase64String(RandomNumberGenerator.GetBytes(24));
                try
                {
                    process.StandardInput.WriteLine(GradingChild.CellMessage(cell, index, token));
                    process.StandardInput.Flush();
                }
                catch (IOException) { } // it has ended: its exit says why, below

                var deadline = limits.CellTimeout + compileAllowance;
                var cellClock = Stopwatch.StartNew();
                string? answer = null;
                string? killed = null;
                while (true)
                {
                    if (answers.TryTake(out answer, 100)) break;
                    if (clock.Elapsed > limits.SubmissionTime) killed = TimeLimit;
                    else if (cellClock.Elapsed > deadline) killed = Scoring.TimedOut;
                    else if (ProcessTree.ResidentBytes(process) > limits.MemoryBytes) killed = MemoryLimit;
                    else continue;
                    break;
                }
                if (killed is not null || answer is null)
                {
                    Kill(process);
                    stop = new Incident(index, killed ?? "", "");
                    stop = killed switch
                    {
                        TimeLimit => new Incident(index, TimeLimit, $"the notebook ran longer than the {limits.SubmissionTime.TotalSeconds:0} s a submission may take, and this cell was running"),
                        Scoring.TimedOut => new Incident(index, Scoring.TimedOut, $"it ran longer than the {limits.CellTimeout.TotalSeconds:0.#} s a cell may take"),
                        MemoryLimit => new Incident(index, MemoryLimit, $"it used more than the {limits.MemoryBytes >> 20} MB of memory a submission may use"),
                        _ => Exited(process, index, limits, errors),
                    };
                    break;
                }
                if (Judge(answer, index, token) is not { } run)
                {
                    Kill(process);
                    stop = new Incident(index, Forgery, "something in the notebook wrote into the grader's channel instead of the cell's result, so the grader believed nothing from this run");
                    break;
                }
                cell.Json["outputs"] = run.Outputs;
                cell.ExecutionCount = run.Run.ExecutionCount;
                runs.Add(run.Run);
                if (run.Run.Status == CellStatus.TimedOut)
                    stop = new Incident(index, Scoring.TimedOut, $"it ran longer than the {limits.CellTimeout.TotalSeconds:0.#} s a cell may take");
            }
        }
        finally
        {
            left = Math.Max(0, ProcessTree.Of(process.Id).Count - (sandbox.Sandbox is null ? 1 : 3));
            try { process.StandardInput.Close(); } catch (IOException) { }
            if (!process.WaitForExit(5000)) Kill(process);
        }
        return (runs, stop, left);
    }

    private sealed record JudgedRun(CellRun Run, JsonArray Outputs);

    /// <summary>The child's answer, believed only when it is for the cell just sent and carries that cell's token.</summary>
    private static JudgedRun? Judge(string answer, int index, string token)
    {
        try
        {
            var json = JsonNode.Parse(answer)!.AsObject();
            if ((int)json["index"]! != index || !CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes((string)json["token"]!), Encoding.UTF8.GetBytes(token)))
                return null;
            var error = json["error"] is JsonObject e ? new CellError((string)e["name"]!, (string)e["message"]!, []) : null;
            var status = Enum.Parse<CellStatus>((string)json["status"]!);
            if (status == CellStatus.Passed && error is not null) return null;
            var run = new CellRun(index, (int?)json["count"], status, TimeSpan.FromSeconds((double)json["seconds"]!), error);
            return new JudgedRun(run, json["outputs"]?.AsArray() is { } outputs ? (JsonArray)outputs.DeepClone() : []);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or ArgumentException or FormatException or NullReferenceException or InvalidCastException)
        {
            return null;
        }
    }

    /// <summary>Why the child ended without answering (it was not killed by the grader).</summary>
    private static Incident Exited(Process process, int index, GradingLimits limits, StringBuilder errors)
    {
        if (!process.WaitForExit(5000)) Kill(process);
        Thread.Sleep(100); // the last of standard error
        string error;
        lock (errors) error = errors.ToString();
        int code = process.HasExited ? process.ExitCode : -1;
        // the sandbox itself failed (a path it cannot reach, namespaces refused): the grader's problem, not the student's
        if (error.StartsWith("bwrap:", StringComparison.Ordinal))
        {
            string first = error.Split('\n')[0].Trim();
            // graded as root, the child runs as nobody: a folder on the way that only its owner may enter (a temporary
            // folder made with mode 700, a home directory) hides the library or the data from it
            string hint = first.Contains("Permission denied", StringComparison.Ordinal) && GradingSandbox.Available.Sandbox?.Setpriv is not null
                ? $" (submissions run as the user nobody, uid {GradingSandbox.SandboxUser}: every folder on that path must let others enter it, chmod o+rx)" : "";
            throw new InvalidOperationException($"the sandbox could not start: {first}{hint}");
        }
        if (error.Contains("Stack overflow", StringComparison.Ordinal))
            return new Incident(index, StackOverflow, "it overflowed the stack (an endless recursion?) and ended the process");
        if (error.Contains("OutOfMemoryException", StringComparison.Ordinal) || code == 128 + 9)
            return new Incident(index, MemoryLimit, $"it ran out of memory (limit {limits.MemoryBytes >> 20} MB) and ended the process");
        if (code == 128 + 24) // SIGXCPU: the sandbox's CPU-time limit
            return new Incident(index, TimeLimit, "it used up the CPU time a submission may take");
        if (error.Trim().Length == 0)
            return new Incident(index, ProcessExit, $"it ended the process (exit code {code}: Environment.Exit?)");
        return new Incident(index, Crash, $"the process crashed (exit code {code}): {error.Split('\n')[0].Trim()}");
    }

    private static void Kill(Process process)
    {
        try { process.Kill(entireProcessTree: true); }
        catch (InvalidOperationException) { } // it ended by itself meanwhile
        catch (System.ComponentModel.Win32Exception) { }
        process.WaitForExit(5000);
    }

    private static void StartReader(Action read) => new Thread(() => read()) { IsBackground = true, Name = "grading child reader" }.Start();

    /// <summary>A line of at most <paramref name="max"/> characters (a longer one ends the reading), or null at the end.</summary>
    private static string? ReadLine(StreamReader reader, int max)
    {
        var line = new StringBuilder();
        int c;
        while ((c = reader.Read()) >= 0)
        {
            if (c == '\n') return line.ToString();
            if (line.Length >= max) return null;
            line.Append((char)c);
        }
        return line.Length > 0 ? line.ToString() : null;
    }

    /// <summary>
    /// What the sandboxed child may read: the .NET runtime, the coursekit build it runs, the folders of the
    /// libraries the source notebook loads with #r (never a student's #r), the nearest data/ folder above the source, and
    /// what the instructor added. Never the source folder itself, the submissions or the results.
    /// </summary>
    internal static IReadOnlyList<string> ReadOnlyPaths(Notebook source, string sourceFolder, ChildCommand command, IReadOnlyList<string> extra)
    {
        var paths = new List<string>();
        string runtime = Path.GetFullPath(Path.Combine(RuntimeEnvironment.GetRuntimeDirectory(), "..", "..", ".."));
        paths.Add(runtime);
        if (Path.IsPathRooted(command.FileName)) paths.Add(Path.GetDirectoryName(command.FileName)!);
        foreach (var a in command.LeadingArguments.Where(a => a.EndsWith(".dll", StringComparison.OrdinalIgnoreCase) && File.Exists(a)))
            paths.Add(Path.GetDirectoryName(Path.GetFullPath(a))!);
        foreach (var cell in source.Cells.Where(c => c.IsCode))
            foreach (Match m in Reference().Matches(cell.Source))
            {
                string path = Path.GetFullPath(Path.Combine(sourceFolder, m.Groups[1].Value));
                if (File.Exists(path)) paths.Add(Path.GetDirectoryName(path)!);
            }
        for (var dir = new DirectoryInfo(sourceFolder); dir is not null; dir = dir.Parent)
        {
            string data = Path.Combine(dir.FullName, "data");
            if (Directory.Exists(data)) { paths.Add(data); break; }
        }
        // the third-party data sets the notebooks load (CIFAR-10, Sunnybrook, facades): ../shared/data beside the course, and
        // the user's data folder, where the loaders look too
        for (var dir = new DirectoryInfo(sourceFolder); dir is not null; dir = dir.Parent)
        {
            string shared = Path.GetFullPath(Path.Combine(dir.FullName, "..", "shared", "data"));
            if (Directory.Exists(shared)) { paths.Add(shared); break; }
        }
        if (UserDataFolder() is { } userData) paths.Add(userData);
        paths.AddRange(extra.Select(Path.GetFullPath));
        string hidden = Path.TrimEndingDirectorySeparator(Path.GetFullPath(sourceFolder)) + Path.DirectorySeparatorChar;
        foreach (var path in paths)
            if (hidden.StartsWith(Path.TrimEndingDirectorySeparator(path) + Path.DirectorySeparatorChar, StringComparison.Ordinal) || path + "/" == hidden)
                throw new SandboxUnavailableException($"grade: {path} (the runtime, the build, a #r folder or data) contains the source folder {sourceFolder}; "
                    + "a sandboxed submission may not see the source. Keep the source notebooks in a folder of their own.");
        return paths.Where(p => Directory.Exists(p) || File.Exists(p)).Distinct().ToList();
    }

    /// <summary>Where the loaders keep downloaded data sets: $COURSEKIT_DATA, else ~/.cache/coursekit, if it exists.</summary>
    private static string? UserDataFolder()
    {
        string folder = Environment.GetEnvironmentVariable("COURSEKIT_DATA") is { Length: > 0 } set
            ? set
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache", "coursekit");
        return Directory.Exists(folder) ? Path.GetFullPath(folder) : null;
    }

    [GeneratedRegex(@"^\s*#r\s+""(?!nuget:)([^""]+)""", RegexOptions.Multiline)]
    private static partial Regex Reference();
}
