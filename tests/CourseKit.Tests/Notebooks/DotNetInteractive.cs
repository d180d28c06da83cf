using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json.Nodes;
using CourseKit.Notebooks;

namespace CourseKit.Tests.Notebooks;

/// <summary>
/// The real .NET Interactive kernel, as students' editors run it: the tool pinned in .config/dotnet-tools.json,
/// its kernelspec registered in artifacts/jupyter by ci/install-dotnet-interactive.sh, driven by Jupyter's own
/// client (Debian's python3-nbclient) through ci/execute-in-dotnet-interactive.py. Each notebook runs once per
/// test process; the executed copy and a JSON summary go to artifacts/notebooks-dotnet-interactive/.
/// </summary>
internal static class DotNetInteractive
{
    private const string Python = "/usr/bin/python3";

    private static readonly TimeSpan NotebookTimeout = TimeSpan.FromMinutes(20);

    private static readonly ConcurrentDictionary<string, Lazy<KernelRun>> Runs = new();

    public static string JupyterFolder => Path.Combine(RepositoryPaths.Root, "artifacts", "jupyter");

    public static string KernelSpec => Path.Combine(JupyterFolder, "kernels", ".net-csharp", "kernel.json");

    public static string OutputFolder => Path.Combine(RepositoryPaths.Root, "artifacts", "notebooks-dotnet-interactive");

    private static string Script => Path.Combine(RepositoryPaths.Root, "ci", "execute-in-dotnet-interactive.py");

    /// <summary>What this machine lacks to run the kernel, or null when nothing is missing.</summary>
    public static string? Missing()
    {
        var missing = new List<string>();
        if (!File.Exists(Python)) missing.Add($"{Python} (Debian's python3)");
        else if (RunPython("import nbclient, nbformat").ExitCode != 0) missing.Add("Jupyter's client (Debian's python3-nbclient)");
        if (!File.Exists(KernelSpec)) missing.Add($"the .NET Interactive kernelspec {KernelSpec} (`bash ci/install-dotnet-interactive.sh`)");
        return missing.Count == 0 ? null
            : "Cannot run notebooks in .NET Interactive; missing: " + string.Join("; ", missing) + ". `bash ci/test` installs all of it on Debian/Ubuntu.";
    }

    /// <summary>Runs <paramref name="notebookPath"/> in the kernel (once per process; later calls return the same run).</summary>
    public static KernelRun Run(string notebookPath) =>
        Runs.GetOrAdd(Path.GetFullPath(notebookPath), path => new Lazy<KernelRun>(() => Start(path))).Value;

    private static KernelRun Start(string notebookPath)
    {
        if (Missing() is { } missing) throw new InvalidOperationException(missing);
        string relative = Path.GetRelativePath(RepositoryPaths.Root, notebookPath);
        string stem = Path.Combine(OutputFolder, Path.ChangeExtension(relative, null).Replace(Path.DirectorySeparatorChar, '_'));
        Directory.CreateDirectory(OutputFolder);
        string executedPath = stem + ".ipynb", summaryPath = stem + ".json";
        File.Delete(executedPath);
        File.Delete(summaryPath);

        var start = new ProcessStartInfo(Python) { ArgumentList = { Script, notebookPath, "--out", executedPath, "--summary", summaryPath } };
        // kernelspecs and connection files in the build, never in the user's home
        start.Environment["JUPYTER_PATH"] = JupyterFolder;
        start.Environment["JUPYTER_RUNTIME_DIR"] = Path.Combine(JupyterFolder, "runtime");
        start.Environment["DOTNET_INTERACTIVE_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";

        var (exitCode, log, timedOut) = CapturedProcess.Run(start, NotebookTimeout);
        if (timedOut)
            throw new TimeoutException($"{relative} did not finish in .NET Interactive within {NotebookTimeout.TotalMinutes} minutes.\n{Tail(log)}");
        if (!File.Exists(summaryPath))
            throw new InvalidOperationException($"{Script} wrote no summary for {relative} (exit code {exitCode}):\n{Tail(log)}");
        var summary = JsonNode.Parse(File.ReadAllText(summaryPath))!.AsObject();
        var executed = Notebook.Load(executedPath);
        return new KernelRun(relative, executed, summary, exitCode, Tail(log));
    }

    private static (int ExitCode, string Output) RunPython(string code)
    {
        var start = new ProcessStartInfo(Python) { ArgumentList = { "-c", code }, RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync();
        string output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, output + error.Result);
    }

    // the kernel logs its web host's start-up ("info: Microsoft.Hosting.Lifetime") on stderr: only the rest tells
    private static string Tail(string log) => string.Join("\n", log.Split('\n')
        .Where(line => !line.StartsWith("info: ") && !line.StartsWith("      ") && line.Trim().Length > 0)
        .TakeLast(40));
}

/// <summary>One notebook executed by <see cref="DotNetInteractive"/>.</summary>
/// <param name="Name">The notebook's path relative to the repository.</param>
/// <param name="Executed">The notebook with the kernel's outputs.</param>
/// <param name="Summary">ci/execute-in-dotnet-interactive.py's summary: kernel, seconds, per-cell times, error.</param>
internal sealed record KernelRun(string Name, Notebook Executed, JsonObject Summary, int ExitCode, string Log)
{
    public double Seconds => (double?)Summary["seconds"] ?? double.NaN;

    /// <summary>Null when every cell ran; otherwise the notebook, the cell and the kernel's error, as a student reads it.</summary>
    public string? Failure
    {
        get
        {
            if (Summary["error"] is not JsonObject error) return ExitCode == 0 ? null : $"{Name}: the kernel run exited with {ExitCode}.\n{Log}";
            int? cell = (int?)error["cell"];
            string where = cell is { } index
                ? $"cell {index + 1} (id {Executed.Cells[index].Id}):\n{Indent(Executed.Cells[index].Source)}"
                : "before the first cell (the kernel did not start)";
            var traceback = error["traceback"]?.AsArray().Select(line => (string?)line) ?? [];
            return $"{Name} fails in .NET Interactive at {where}\n{error["ename"]}: {error["evalue"]}\n" +
                   string.Join("\n", traceback.Where(line => !string.IsNullOrWhiteSpace(line)).Take(30)) +
                   (cell is null ? "\n" + Log : "");
        }
    }

    /// <summary>How many code cells the kernel ran (all of them when <see cref="Failure"/> is null).</summary>
    public int CellsRun => Summary["cells"]!.AsArray().Count;

    private static string Indent(string source) => string.Join("\n", source.Split('\n').Select(line => "    " + line));
}

/// <summary>
/// CourseKit's rich outputs of one cell, in order, as "kind as MIME type" (for example "tensor as text/html"):
/// found by the class each formatter puts on its HTML, the same in both kernels.
/// </summary>
internal static class RichOutputs
{
    // an image grid contains images: the more specific markers come first
    private static readonly (string Marker, string Kind)[] Markers =
    [
        ("class=\"coursekit-tensor\"", "tensor"),
        ("class=\"coursekit-plot\"", "figure"),
        ("class=\"coursekit-image-grid\"", "image grid"),
        ("class=\"coursekit-check\"", "check"),
        ("class=\"coursekit-progress\"", "progress"),
        ("class=\"coursekit-image\"", "image"),
    ];

    public static IReadOnlyList<string> Of(NotebookCell cell) =>
    [
        .. from output in cell.Outputs.Select(o => o!.AsObject())
           where (string?)output["output_type"] is "display_data" or "execute_result"
           from entry in output["data"]!.AsObject()
           let kind = Kind(CellOutput.Data(output, entry.Key) ?? "")
           where kind is not null
           select $"{kind} as {entry.Key}",
    ];

    private static string? Kind(string text) => Markers.FirstOrDefault(m => text.Contains(m.Marker)).Kind;
}
