using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using System.Text.Json;
using CourseKit.Backends;
using MathNet.Numerics;
using MathNetMatrix = MathNet.Numerics.LinearAlgebra.Single.DenseMatrix;

namespace CourseKit.Benchmarks;

/// <summary>
/// <c>gemm</c>: GFLOP/s of our SGEMM on the shapes a CNN produces, next to the machine's FMA peak, NumPy's BLAS
/// (OpenBLAS, <c>np.matmul(a, b, out=c)</c>) and MathNet.Numerics' managed provider, all on the machine's threads
/// and measured in the same run: the sides take turns shape by shape, twice over, each keeping its best time. Every
/// result is checked against NumPy's on the same inputs.
/// </summary>
internal sealed class GemmBenchmark : IBenchmark
{
    public string Name => "gemm";
    public string Description => "SGEMM GFLOP/s vs the FMA peak, NumPy/OpenBLAS and MathNet.Numerics  [--device cpu] [--batches 5] [--no-mathnet]";

    // float32 products of up to a few thousand terms summed in different orders: about 1e-6 apart; a wrong tile is O(1)
    private const double Tolerance = 1e-4;

    // M×K×N: a square reference, then the GEMMs of convolution layers (Y = F·col, lecture 1.3 im2col)
    private static readonly (int M, int K, int N, ShapeSet Set, string What)[] Shapes =
    [
        (1024, 1024, 1024, ShapeSet.Tuned, "square"),
        (256, 2304, 6272, ShapeSet.Tuned, "conv 256 filters 3x3x256 over 8x28x28"),
        (64, 576, 65536, ShapeSet.Tuned, "conv 64 filters 3x3x64 over 64x32x32"),
        (30, 25, 57600, ShapeSet.Tuned, "conv 30 filters 5x5 over 100x24x24"),
        (128, 1152, 784, ShapeSet.HeldOut, "conv 128 filters 3x3x128 over 16x7x7"),
        (100, 4320, 100, ShapeSet.HeldOut, "SimpleConvNet's Affine 4320 -> 100 on a batch of 100"),
        (333, 555, 777, ShapeSet.HeldOut, "odd sizes (no multiple of a tile)"),
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
        int threads = Machine.Threads;
        Machine.Describe("gemm", device.Name);
        Console.WriteLine($"Vector512 {(Vector512.IsHardwareAccelerated ? "accelerated" : "not accelerated")}");
        double peak = FmaPeak.Measure(threads);
        Console.WriteLine($"fp32 FMA peak measured on {threads} threads: {peak:F0} GFLOP/s");

        // OpenBLAS as this machine's environment configures it (OPENBLAS_CORETYPE, or its own detection), and where the
        // CPU has AVX-512 also with its AVX-512 kernels (OPENBLAS_CORETYPE=SkylakeX), which the other benchmarks use
        string coreType = Environment.GetEnvironmentVariable("OPENBLAS_CORETYPE") ?? "auto";
        var numpy = new List<NumpyReference> { new($"numpy ({coreType})", PythonReference.Environment(threads, bestKernels: false)) };
        if (Avx512F.IsSupported && coreType != "SkylakeX")
            numpy.Add(new("numpy (SkylakeX)", PythonReference.Environment(threads)));
        try { return Compare(device, batches, peak, numpy, args.Contains("--no-mathnet") ? null : new MathNetReference(threads)); }
        finally { foreach (var reference in numpy) reference.Dispose(); }
    }

    private static int Compare(Device device, int batches, double peak, List<NumpyReference> numpy, MathNetReference? mathNet)
    {
        int threads = Machine.Threads;

        Console.WriteLine();
        foreach (var reference in numpy) reference.Describe();
        if (mathNet is not null) Console.WriteLine($"MathNet.Numerics: {mathNet.Provider}");
        Console.WriteLine();

        using var exchange = new ArrayExchange();
        var ours = new double?[Shapes.Length];
        var errors = new Dictionary<(int Shape, string Side), double>();
        var verdict = new Verdict();
        for (int round = 0; round < 2; round++)
            for (int i = 0; i < Shapes.Length; i++)
            {
                var (m, k, n, _, _) = Shapes[i];
                var (a, b) = Inputs(m, k, n);
                if (round == 0)
                {
                    exchange.Write($"a{i}", a);
                    exchange.Write($"b{i}", b);
                }
                var (seconds, c) = Ours(device, a, b, m, k, n, batches);
                ours[i] = Timing.Min(ours[i], seconds);
                float[]? referenceC = null;
                foreach (var reference in numpy)
                {
                    var theirs = reference.Measure(exchange, i, m, k, n, batches);
                    if (theirs is null) continue;
                    if (referenceC is null)
                    {
                        referenceC = theirs; // the others are checked against the first numpy
                        continue;
                    }
                    if (round == 0) errors[(i, reference.Label)] = verdict.Check($"{reference.Label} {m}x{k}x{n} against the first numpy", theirs, referenceC, Tolerance);
                }
                float[]? mathNetC = mathNet?.Measure(i, a, b, m, k, n, Math.Min(batches, 3));
                if (round > 0) continue;
                if (referenceC is null) continue; // no numpy: nothing independent to check against (said below)
                errors[(i, "ours")] = verdict.Check($"ours {m}x{k}x{n}", c, referenceC, Tolerance);
                if (mathNetC is not null) errors[(i, "MathNet")] = verdict.Check($"MathNet {m}x{k}x{n}", mathNetC, referenceC, Tolerance);
            }
        peak = Math.Max(peak, FmaPeak.Measure(threads));

        var header = new List<string> { "M x K x N", "set", "ours GFLOP/s", "ours/peak", "ours err" };
        foreach (var reference in numpy) header.AddRange([$"{reference.Label} GFLOP/s", "time/ours"]);
        if (mathNet is not null) header.AddRange(["MathNet GFLOP/s", "time/ours", "MathNet err"]);
        var rows = new List<string[]> { header.ToArray() };
        for (int i = 0; i < Shapes.Length; i++)
        {
            var (m, k, n, set, _) = Shapes[i];
            double flops = 2.0 * m * n * k;
            double gflops = flops / ours[i]!.Value / 1e9;
            var row = new List<string> { $"{m}x{k}x{n}", set.Label(), $"{gflops:F0}", $"{gflops / peak:P0}", Err(i, "ours") };
            foreach (var reference in numpy)
            {
                double? theirs = reference.Best.TryGetValue(i, out double t) ? t : null;
                row.Add(theirs is null ? "-" : $"{flops / theirs.Value / 1e9:F0}");
                row.Add(Ratio.Text(theirs, ours[i]));
            }
            if (mathNet is not null)
            {
                double? theirs = mathNet.Best.TryGetValue(i, out double t) ? t : null;
                row.AddRange([theirs is null ? "-" : $"{flops / theirs.Value / 1e9:F1}", Ratio.Text(theirs, ours[i]), Err(i, "MathNet")]);
            }
            rows.Add(row.ToArray());
        }
        Table.Print(rows);
        Console.WriteLine();
        foreach (var s in Shapes)
            Console.WriteLine($"  {s.M}x{s.K}x{s.N} ({s.Set.Label()}): {s.What}; on the CPU split as {CpuGemm.Plan(false, false, s.M, s.N, s.K, threads)}");
        Console.WriteLine("GFLOP/s = 2·M·N·K / best time per call; time/ours = the reference's time / ours (\"faster\": ours takes less time).");
        Console.WriteLine("err = max |C - C_numpy| / max |C_numpy| on the same inputs. " + ShapeSets.Legend);
        if (numpy.All(r => r.Best.Count == 0))
            verdict.Fail("no numpy reference ran, so no result was checked (apt-get install python3-numpy libopenblas0-pthread)");
        return verdict.Finish(Console.Out);

        string Err(int shape, string side) => errors.TryGetValue((shape, side), out double e) ? Verdict.Error(e) : "-";
    }

    /// <summary>A and B of C = A·B with entries uniform in [-1, 1), the same for every side.</summary>
    private static (float[] A, float[] B) Inputs(int m, int k, int n)
    {
        var random = new Random(m * 31 + k * 7 + n);
        float[] Fill(int length)
        {
            var values = GC.AllocateUninitializedArray<float>(length);
            for (int i = 0; i < length; i++) values[i] = random.NextSingle() * 2 - 1;
            return values;
        }
        return (Fill(m * k), Fill(k * n));
    }

    /// <summary>Our best seconds per call of C = A·B on the device, and C.</summary>
    private static (double Seconds, float[] C) Ours(Device device, float[] a, float[] b, int m, int k, int n, int batches)
    {
        var backend = device.Backend;
        var sa = device.Allocate(a.Length);
        sa.CopyFrom(a);
        var sb = device.Allocate(b.Length);
        sb.CopyFrom(b);
        var sc = device.Allocate(m * n);
        double seconds = Timing.Best(() => backend.Gemm(false, false, m, n, k, 1f, sa, 0, k, sb, 0, n, 0f, sc, 0, n),
                                     batches, wait: () => BenchmarkDevices.Synchronize(sc));
        var c = new float[m * n];
        sc.CopyTo(c);
        return (seconds, c);
    }

    /// <summary>NumPy under one BLAS setting, kept running: its best time per shape over the rounds, or why it is missing.</summary>
    private sealed class NumpyReference : IDisposable
    {
        private readonly PythonSession? session;
        private readonly string? unavailable;

        public NumpyReference(string label, Dictionary<string, string?> environment)
        {
            Label = label;
            session = PythonSession.Start(PythonReference.Script("gemm_numpy.py"), environment, out unavailable);
        }

        public string Label { get; }
        public Dictionary<int, double> Best { get; } = [];

        public void Describe()
        {
            if (session is null)
            {
                Console.WriteLine($"{Label}: not available ({unavailable})");
                return;
            }
            var blas = session.Info.GetProperty("blas");
            string loaded = blas.GetProperty("loaded").GetString()!;
            Console.WriteLine($"{Label}: numpy {blas.GetProperty("numpy").GetString()} on {loaded}, {session.Info.GetProperty("threads").GetInt32()} threads");
            Console.WriteLine($"  numpy.show_config: {blas.GetProperty("numpy_built_with").GetString()}");
            if (!loaded.StartsWith("OpenBLAS"))
                Console.WriteLine("  (numpy is not using OpenBLAS: apt-get install libopenblas0-pthread for that comparison)");
        }

        /// <summary>NumPy's C for shape <paramref name="i"/> (inputs a{i}, b{i} in the exchange), timing it; null when unavailable.</summary>
        public float[]? Measure(ArrayExchange exchange, int i, int m, int k, int n, int batches)
        {
            if (session is null) return null;
            string c = $"c{i}-{Label.GetHashCode():x}";
            var answer = session.Call(new { op = "gemm", m, k, n, a = exchange.Path($"a{i}"), b = exchange.Path($"b{i}"), c = exchange.Path(c), batches, min_seconds = 0.05 });
            Best[i] = Timing.Min(Best.TryGetValue(i, out double s) ? s : null, answer.GetProperty("seconds").GetDouble());
            return exchange.Read(c);
        }

        public void Dispose() => session?.Dispose();
    }

    /// <summary>
    /// MathNet.Numerics' managed provider on the same threads. MathNet stores matrices by columns; our row-major
    /// A (M, K) is its column-major Aᵀ (K, M), so C = A·B is computed as Cᵀ = Bᵀ·Aᵀ, into a preallocated result,
    /// without copying any matrix.
    /// </summary>
    private sealed class MathNetReference
    {
        public MathNetReference(int threads)
        {
            Control.UseManaged();
            Control.MaxDegreeOfParallelism = threads;
            Provider = $"{MathNet.Numerics.Providers.LinearAlgebra.LinearAlgebraControl.Provider} provider, MaxDegreeOfParallelism {Control.MaxDegreeOfParallelism}";
        }

        public string Provider { get; }
        public Dictionary<int, double> Best { get; } = [];

        public float[] Measure(int i, float[] a, float[] b, int m, int k, int n, int batches)
        {
            var at = new MathNetMatrix(k, m, a);
            var bt = new MathNetMatrix(n, k, b);
            var ct = new MathNetMatrix(n, m, new float[m * n]);
            double seconds = Timing.Best(() => bt.Multiply(at, ct), batches);
            Best[i] = Timing.Min(Best.TryGetValue(i, out double s) ? s : null, seconds);
            return ct.Values;
        }
    }
}
