using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;

namespace CourseKit.Benchmarks;

/// <summary>What a reference script produced: its JSON, or why there is none (python missing, a module missing, a crash).</summary>
internal sealed record PythonResult(JsonElement? Json, string? Unavailable)
{
    public bool IsAvailable => Json is not null;
}

/// <summary>
/// Runs a Python reference script (NumPy, PyTorch) as a subprocess and reads the JSON object it prints
/// as its last line of output. Benchmarks compare against these figures measured in the same run.
/// Debian's interpreter is used on purpose: its numpy and torch are the ones installed by apt.
/// </summary>
internal static class PythonReference
{
    public const string Interpreter = "/usr/bin/python3";

    /// <summary>Where Debian's libopenblas0-pthread keeps a libblas.so.3 that numpy picks up when it comes first on the library path.</summary>
    public const string OpenBlasDirectory = "/usr/lib/x86_64-linux-gnu/openblas-pthread";

    /// <summary>
    /// Runs <paramref name="script"/> with <paramref name="args"/>. In <paramref name="environment"/>, a value sets
    /// a variable for this command only and null removes it. Never throws for a missing python or module.
    /// </summary>
    public static PythonResult Run(string script, IEnumerable<string> args,
                                   IReadOnlyDictionary<string, string?>? environment = null, TimeSpan? timeout = null)
    {
        if (!File.Exists(Interpreter)) return new(null, $"{Interpreter} not found");
        if (!File.Exists(script)) return new(null, $"script {script} not found");

        var start = new ProcessStartInfo(Interpreter)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(script);
        foreach (string arg in args) start.ArgumentList.Add(arg);
        foreach (var (name, value) in environment ?? new Dictionary<string, string?>())
        {
            if (value is null) start.Environment.Remove(name);
            else start.Environment[name] = value;
        }

        using var process = Process.Start(start);
        if (process is null) return new(null, $"could not start {Interpreter}");
        var stderr = new StringBuilder();
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (stderr) stderr.AppendLine(e.Data); };
        process.BeginErrorReadLine();
        var stdoutTask = process.StandardOutput.ReadToEndAsync();
        if (!process.WaitForExit(timeout ?? TimeSpan.FromMinutes(5)))
        {
            process.Kill(entireProcessTree: true);
            return new(null, $"{Path.GetFileName(script)} timed out");
        }
        process.WaitForExit(); // flushes the asynchronous stderr reader
        string stdout = stdoutTask.Result;

        if (process.ExitCode != 0)
        {
            string last = stderr.ToString().Trim().Split('\n').LastOrDefault() ?? "";
            return new(null, $"{Path.GetFileName(script)} failed (exit {process.ExitCode}): {last}");
        }
        string? jsonLine = stdout.Split('\n').Select(l => l.Trim()).LastOrDefault(l => l.StartsWith('{'));
        if (jsonLine is null) return new(null, $"{Path.GetFileName(script)} printed no JSON");
        try
        {
            using var document = JsonDocument.Parse(jsonLine);
            return new(document.RootElement.Clone(), null);
        }
        catch (JsonException e)
        {
            return new(null, $"{Path.GetFileName(script)} printed invalid JSON: {e.Message}");
        }
    }

    /// <summary>
    /// The path of a script kept next to the benchmark sources (tests/CourseKit.Benchmarks), found from the
    /// caller's source location or, failing that, by walking up from the working directory.
    /// </summary>
    public static string Script(string fileName, [CallerFilePath] string callerFile = "")
    {
        string besideCaller = Path.Combine(Path.GetDirectoryName(callerFile) ?? "", fileName);
        if (File.Exists(besideCaller)) return besideCaller;
        for (var dir = new DirectoryInfo(Environment.CurrentDirectory); dir is not null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, "tests", "CourseKit.Benchmarks", fileName);
            if (File.Exists(candidate)) return candidate;
        }
        return besideCaller;
    }
}
