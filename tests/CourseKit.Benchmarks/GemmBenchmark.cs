using System.Diagnostics;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using System.Text.Json;
using CourseKit.Backends;

namespace CourseKit.Benchmarks;

/// <summary>
/// <c>gemm</c>: GFLOP/s of our SGEMM on the shapes a CNN produces, next to the machine's FMA peak and
/// NumPy's BLAS (OpenBLAS) measured in the same run, so that the ratios hold however busy the machine is.
/// Ours and the references take turns shape by shape, twice over, each keeping its better time.
/// </summary>
internal sealed class GemmBenchmark : IBenchmark
{
    public string Name => "gemm";
    public string Description => "SGEMM GFLOP/s vs the FMA peak and NumPy/OpenBLAS  [--device cpu] [--batches 5]";

    // M×K×N: a square reference, then the GEMMs of convolution layers (Y = F·col, lecture 1.3 im2col)
    private static readonly (int M, int K, int N, string What)[] Shapes =
    [
        (1024, 1024, 1024, "square"),
        (256, 2304, 6272, "conv 256 filters 3x3x256 over 8x28x28"),
        (64, 576, 65536, "conv 64 filters 3x3x64 over 64x32x32"),
        (30, 25, 57600, "conv 30 filters 5x5 over 100x24x24"),
    ];

    public int Run(string[] args)
    {
        var device = BenchmarkDevices.FromArgs(args, out string? error);
        if (device is null)
        {
            Console.Error.WriteLine($"gemm: {error}");
            return 2;
        }
        int batches = BenchmarkArgs.Int(args, "--batches", 5);
        int threads = Environment.ProcessorCount;

        Console.WriteLine($"gemm on {device.Name}: {CpuName()}, {threads} threads, " +
                          $"Vector512 {(Vector512.IsHardwareAccelerated ? "accelerated" : "not accelerated")}, " +
                          $"load average {LoadAverage()}");
        if (LoadAverageNow() > threads)
            Console.WriteLine($"note: other programs keep more than {threads} cores busy; every figure is lower than on a quiet machine, the ratios less so");
        double peak = FmaPeak.Measure(threads);
        Console.WriteLine($"fp32 FMA peak measured on {threads} threads: {peak:F0} GFLOP/s");

        var environment = new Dictionary<string, string?> { ["OPENBLAS_NUM_THREADS"] = threads.ToString() };
        if (Directory.Exists(PythonReference.OpenBlasDirectory))
        {
            // numpy links libblas.so.3; put OpenBLAS's first even if the system default is the reference BLAS
            string old = Environment.GetEnvironmentVariable("LD_LIBRARY_PATH") ?? "";
            environment["LD_LIBRARY_PATH"] = PythonReference.OpenBlasDirectory + (old.Length > 0 ? ":" + old : "");
        }
        string coreType = Environment.GetEnvironmentVariable("OPENBLAS_CORETYPE") ?? "auto";
        var references = new List<Reference> { new($"numpy (OPENBLAS_CORETYPE={coreType})", environment) };
        if (Avx512F.IsSupported)
        {
            // OpenBLAS may not recognise a new CPU and fall back to its AVX2 kernels; ask for its AVX-512 ones too
            references.Add(new("numpy (OPENBLAS_CORETYPE=SkylakeX)",
                               new Dictionary<string, string?>(environment) { ["OPENBLAS_CORETYPE"] = "SkylakeX", ["OPENBLAS_L2_SIZE"] = null }));
        }

        // Ours and each reference take turns shape by shape, twice over, each keeping its better time:
        // on a shared machine the load changes from one second to the next.
        var ours = Enumerable.Repeat(double.MaxValue, Shapes.Length).ToArray();
        for (int round = 0; round < 2; round++)
            for (int i = 0; i < Shapes.Length; i++)
            {
                ours[i] = Math.Min(ours[i], Seconds(device, Shapes[i].M, Shapes[i].K, Shapes[i].N, batches));
                foreach (var reference in references) reference.Measure(Shapes[i].M, Shapes[i].K, Shapes[i].N, batches);
            }
        peak = Math.Max(peak, FmaPeak.Measure(threads));

        Console.WriteLine();
        foreach (var reference in references)
        {
            Console.WriteLine(reference.Blas is null
                ? $"{reference.Label}: not available ({reference.Unavailable})"
                : $"{reference.Label}: {reference.Blas}");
            if (reference.Blas is not null && !reference.Blas.StartsWith("OpenBLAS"))
                Console.WriteLine("  (numpy is not using OpenBLAS: apt-get install libopenblas0-pthread for that comparison)");
        }
        Console.WriteLine();

        var header = new List<string> { "M x K x N", "ours GFLOP/s", "ours/peak" };
        foreach (var reference in references) header.AddRange([reference.Label.Replace("numpy ", "").Trim('(', ')'), "ours/it"]);
        var rows = new List<string[]> { header.ToArray() };
        for (int i = 0; i < Shapes.Length; i++)
        {
            var (m, k, n, _) = Shapes[i];
            double flops = 2.0 * m * n * k;
            double gflops = flops / ours[i] / 1e9;
            var row = new List<string> { $"{m}x{k}x{n}", $"{gflops:F0}", $"{gflops / peak:P0}" };
            foreach (var reference in references)
            {
                double? theirs = reference.Best.TryGetValue((m, k, n), out double t) ? t : null;
                row.Add(theirs is null ? "-" : $"{flops / theirs.Value / 1e9:F0}");
                row.Add(theirs is null ? "-" : $"{theirs.Value / ours[i]:F2}x");
            }
            rows.Add(row.ToArray());
        }
        PrintTable(rows);
        Console.WriteLine();
        foreach (var s in Shapes)
            Console.WriteLine($"  {s.M}x{s.K}x{s.N}: {s.What}; on the CPU split as {CpuGemm.Plan(false, false, s.M, s.N, s.K, threads)}");
        Console.WriteLine("GFLOP/s = 2·M·N·K / best time per call; ours/it > 1 means ours is faster.");
        return 0;
    }

    /// <summary>Best seconds per call of C = A·B on the device: calls are batched to last at least 50 ms.</summary>
    private static double Seconds(Device device, int m, int k, int n, int batches)
    {
        var backend = device.Backend;
        var random = new Random(0);
        TensorStorage Random(int length)
        {
            var data = new float[length];
            for (int i = 0; i < length; i++) data[i] = (float)(random.NextDouble() * 2 - 1);
            var storage = device.Allocate(length);
            storage.CopyFrom(data);
            return storage;
        }
        var a = Random(m * k);
        var b = Random(k * n);
        var c = device.Allocate(m * n);
        void Call() => backend.Gemm(false, false, m, n, k, 1f, a, 0, k, b, 0, n, 0f, c, 0, n);

        Call(); // warm up: JIT, packing buffers, page faults
        int iterations = 1;
        double elapsed;
        while (true)
        {
            elapsed = Time(iterations);
            if (elapsed >= 0.05) break;
            iterations *= 2;
        }
        double best = elapsed / iterations;
        for (int r = 1; r < batches; r++) best = Math.Min(best, Time(iterations) / iterations);
        return best;

        double Time(int count)
        {
            var clock = Stopwatch.StartNew();
            for (int i = 0; i < count; i++) Call();
            BenchmarkDevices.Synchronize(c);
            return clock.Elapsed.TotalSeconds;
        }
    }

    /// <summary>NumPy under one BLAS setting: its best time per shape over the rounds, or why it is missing.</summary>
    private sealed class Reference(string label, Dictionary<string, string?> environment)
    {
        public string Label { get; } = label;
        public string? Blas { get; private set; }
        public string? Unavailable { get; private set; }
        public Dictionary<(int M, int K, int N), double> Best { get; } = [];

        public void Measure(int m, int k, int n, int batches)
        {
            if (Unavailable is not null) return; // python or numpy missing: said once, not retried per shape
            var result = PythonReference.Run(PythonReference.Script("gemm_numpy.py"), [$"{m}x{k}x{n}", "--batches", batches.ToString()], environment);
            if (result.Json is not JsonElement json)
            {
                Unavailable = result.Unavailable;
                return;
            }
            Blas = json.GetProperty("blas").GetString();
            double seconds = json.GetProperty("results")[0].GetProperty("seconds").GetDouble();
            Best[(m, k, n)] = Math.Min(seconds, Best.GetValueOrDefault((m, k, n), double.MaxValue));
        }
    }

    private static void PrintTable(List<string[]> rows)
    {
        int columns = rows[0].Length;
        var widths = Enumerable.Range(0, columns).Select(c => rows.Max(r => r[c].Length)).ToArray();
        foreach (var row in rows)
            Console.WriteLine(string.Join("  ", row.Select((cell, c) => c == 0 ? cell.PadRight(widths[c]) : cell.PadLeft(widths[c]))));
    }

    private static string CpuName()
    {
        const string info = "/proc/cpuinfo";
        string? line = File.Exists(info) ? File.ReadLines(info).FirstOrDefault(l => l.StartsWith("model name")) : null;
        return line?.Split(':', 2)[1].Trim() ?? "unknown CPU";
    }

    private static double LoadAverageNow()
    {
        const string loadavg = "/proc/loadavg";
        return File.Exists(loadavg) && double.TryParse(File.ReadAllText(loadavg).Split(' ')[0],
                   System.Globalization.CultureInfo.InvariantCulture, out double load) ? load : 0;
    }

    private static string LoadAverage()
    {
        const string loadavg = "/proc/loadavg";
        return File.Exists(loadavg) ? string.Join(" ", File.ReadAllText(loadavg).Split(' ').Take(3)) : "unknown";
    }
}
