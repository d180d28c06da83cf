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
    /// The environment every reference runs in, so that both sides use the same threads and the same BLAS:
    /// <paramref name="threads"/> for OpenBLAS, OpenMP (PyTorch's oneDNN) and MKL, and COURSEKIT_THREADS, which
    /// reference_common.py hands to <c>torch.set_num_threads</c>; Debian's OpenBLAS (pthreads) first on the library
    /// path, so that numpy and torch load it even where the system default libblas.so.3 is the reference BLAS.
    /// With <paramref name="bestKernels"/>, OpenBLAS is asked for its AVX-512 kernels where the CPU has them
    /// (OPENBLAS_CORETYPE=SkylakeX): OpenBLAS 0.3.21 takes this machine's EPYC for an AVX2 CPU, and this machine's
    /// environment even sets OPENBLAS_CORETYPE=Haswell (environment.md, Benchmarks); ours uses AVX-512, so the
    /// reference must too. Without it, OPENBLAS_CORETYPE is left as the caller's environment has it.
    /// </summary>
    public static Dictionary<string, string?> Environment(int threads, bool bestKernels = true)
    {
        string count = threads.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var environment = new Dictionary<string, string?>
        {
            ["COURSEKIT_THREADS"] = count,
            ["OPENBLAS_NUM_THREADS"] = count,
            ["OMP_NUM_THREADS"] = count,
            ["MKL_NUM_THREADS"] = count,
        };
        if (bestKernels && System.Runtime.Intrinsics.X86.Avx512F.IsSupported)
        {
            environment["OPENBLAS_CORETYPE"] = "SkylakeX";
            environment["OPENBLAS_L2_SIZE"] = null; // set beside OPENBLAS_CORETYPE=Haswell here; let OpenBLAS measure it
        }
        if (Directory.Exists(OpenBlasDirectory))
        {
            string old = System.Environment.GetEnvironmentVariable("LD_LIBRARY_PATH") ?? "";
            environment["LD_LIBRARY_PATH"] = OpenBlasDirectory + (old.Length > 0 ? ":" + old : "");
        }
        return environment;
    }

    /// <summary>
    /// Runs <paramref name="script"/> with <paramref name="args"/>. In <paramref name="environment"/>, a value sets
    /// a variable for this command only and null removes it. Never throws for a missing python or module.
    /// </summary>
    public static PythonResult Run(string script, IEnumerable<string> args,
                                   IReadOnlyDictionary<string, string?>? environment = null, TimeSpan? timeout = null)
    {
        if (!File.Exists(Interpreter)) return new(null, $"{Interpreter} not found");
        if (!File.Exists(script)) return new(null, $"script {script} not found");

        var start = StartInfo(script, args, environment);

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

    internal static ProcessStartInfo StartInfo(string script, IEnumerable<string> args, IReadOnlyDictionary<string, string?>? environment)
    {
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
        return start;
    }

    /// <summary>
    /// The path of a script kept next to the benchmark sources (tests/CourseKit.Benchmarks), found from the
    /// caller's source location or, failing that, by walking up from the working directory.
    /// </summary>
    public static string Script(string fileName, [CallerFilePath] string callerFile = "")
    {
        string besideCaller = Path.Combine(Path.GetDirectoryName(callerFile) ?? "", fileName);
        if (File.Exists(besideCaller)) return besideCaller;
        for (var dir = new DirectoryInfo(System.Environment.CurrentDirectory); dir is not null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, "tests", "CourseKit.Benchmarks", fileName);
            if (File.Exists(candidate)) return candidate;
        }
        return besideCaller;
    }
}

/// <summary>
/// A reference script kept running for a whole benchmark (reference_common.serve): one JSON request per line in,
/// one JSON answer per line out. The benchmark sends one case at a time between its own measurements, so the two
/// sides take turns case by case under the same load, without paying Python's start-up per case.
/// </summary>
internal sealed class PythonSession : IDisposable
{
    private readonly Process process;
    private readonly StringBuilder stderr = new();

    private PythonSession(Process process, JsonElement info)
    {
        this.process = process;
        Info = info;
    }

    /// <summary>What the script said about itself when it started: threads, BLAS, library versions.</summary>
    public JsonElement Info { get; }

    /// <summary>Starts <paramref name="script"/>, or says why it could not (python or a module missing, a crash).</summary>
    public static PythonSession? Start(string script, IReadOnlyDictionary<string, string?> environment, out string? unavailable)
    {
        unavailable = !File.Exists(PythonReference.Interpreter) ? $"{PythonReference.Interpreter} not found"
            : !File.Exists(script) ? $"script {script} not found" : null;
        if (unavailable is not null) return null;
        var start = PythonReference.StartInfo(script, [], environment);
        start.RedirectStandardInput = true;
        var process = Process.Start(start);
        if (process is null)
        {
            unavailable = $"could not start {PythonReference.Interpreter}";
            return null;
        }
        var errors = new StringBuilder();
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (errors) errors.AppendLine(e.Data); };
        process.BeginErrorReadLine();
        string? first = process.StandardOutput.ReadLine();
        if (first is null || !first.TrimStart().StartsWith('{'))
        {
            process.WaitForExit(5000);
            string last;
            lock (errors) last = errors.ToString().Trim().Split('\n').LastOrDefault() ?? "";
            unavailable = $"{Path.GetFileName(script)} did not start: {last}";
            process.Dispose();
            return null;
        }
        using var ready = JsonDocument.Parse(first);
        var session = new PythonSession(process, ready.RootElement.GetProperty("ready").Clone());
        return session;
    }

    /// <summary>Sends one request and waits for its answer; throws with the script's message when it failed.</summary>
    public JsonElement Call(object request)
    {
        process.StandardInput.WriteLine(JsonSerializer.Serialize(request));
        process.StandardInput.Flush();
        string? line = process.StandardOutput.ReadLine()
            ?? throw new InvalidOperationException($"the reference script exited (code {(process.WaitForExit(5000) ? process.ExitCode : -1)})");
        using var answer = JsonDocument.Parse(line);
        if (answer.RootElement.TryGetProperty("error", out var error))
            throw new InvalidOperationException($"the reference script failed: {error.GetString()}");
        return answer.RootElement.Clone();
    }

    public void Dispose()
    {
        try
        {
            process.StandardInput.Close(); // the script's loop ends at the end of its input
            if (!process.WaitForExit(10_000)) process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException) { }
        process.Dispose();
    }
}

/// <summary>
/// Float32 arrays handed to and from a reference script as raw files (numpy.fromfile / tofile) in a folder of
/// its own, deleted at the end: both sides compute on the same inputs, and ours is checked against theirs.
/// </summary>
internal sealed class ArrayExchange : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("coursekit-bench-").FullName;

    /// <summary>The folder the files are kept in (a script may be given it to read several named files).</summary>
    public string Folder => folder;

    /// <summary>The path of the file called <paramref name="name"/> in the exchange folder.</summary>
    public string Path(string name) => System.IO.Path.Combine(folder, name + ".f32");

    /// <summary>Writes <paramref name="values"/> as <paramref name="name"/> and returns the file's path.</summary>
    public string Write(string name, ReadOnlySpan<float> values)
    {
        string path = Path(name);
        File.WriteAllBytes(path, System.Runtime.InteropServices.MemoryMarshal.AsBytes(values).ToArray());
        return path;
    }

    /// <summary>The floats the script wrote as <paramref name="name"/>.</summary>
    public float[] Read(string name) =>
        System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(File.ReadAllBytes(Path(name))).ToArray();

    public void Dispose()
    {
        try { Directory.Delete(folder, recursive: true); }
        catch (IOException) { }
    }
}
