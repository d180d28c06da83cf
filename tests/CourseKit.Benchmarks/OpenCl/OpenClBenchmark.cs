using CourseKit.Backends;

namespace CourseKit.Benchmarks;

/// <summary>
/// The OpenCL kernels against the CPU backend, measured in turns in the same run, every OpenCL result checked against
/// the CPU's: GEMM (CPU, naive, tiled and register-blocked kernels) on the tuned sizes and held-out ones, and the
/// SimpleConvNet convolution forward (im2col + GEMM, lecture 1.3) on an MNIST-sized mini-batch. On PoCL (OpenCL on the
/// CPU) the ratios show overheads, not GPU speed.
/// </summary>
internal sealed class OpenClBenchmark : IBenchmark
{
    public string Name => "opencl";

    public string Description => $"OpenCL kernels vs the CPU backend [--device {DeviceSelection.Help}] [--sizes 128,256,512] [--repeat 5]";

    // float32 sums of n products in another order
    private const double Tolerance = 1e-4;

    public int Run(string[] args)
    {
        string deviceName = BenchmarkArgs.Value(args, "--device") ?? "opencl";
        string? sizesOption = BenchmarkArgs.Value(args, "--sizes");
        var sizes = sizesOption is null
            ? [(128, ShapeSet.Tuned), (256, ShapeSet.Tuned), (512, ShapeSet.Tuned), (200, ShapeSet.HeldOut), (333, ShapeSet.HeldOut)]
            : sizesOption.Split(',').Select(s => (int.Parse(s), ShapeSet.HeldOut)).ToArray();
        int repeat = BenchmarkArgs.Int(args, "--repeat", 5);
        if (!OpenClDevice.IsAvailable(out var reason))
        {
            Console.Error.WriteLine($"No OpenCL device: {reason}");
            return 1;
        }
        if (DeviceSelection.Parse(deviceName) is not OpenClDevice device)
        {
            Console.Error.WriteLine($"--device must name an OpenCL device here; the devices are:{Environment.NewLine}{OpenClDevice.Describe()}");
            return 2;
        }
        Machine.Describe("opencl", device.ToString()!);
        Console.WriteLine(OpenClDevice.Describe());
        Console.WriteLine($"Using {device} (GEMM tile {device.GemmTile}×{device.GemmTile}, block {device.GemmBlock}×{device.GemmBlock}), best of {repeat} turns after a warm-up.");
        Console.WriteLine();

        var verdict = new Verdict();
        var rows = new List<string[]> { new[] { "GEMM n×n×n", "set", "CPU ms", "naive ms", "tiled ms", "blocked ms", "GFLOP/s", "blocked vs CPU", "vs naive", "max rel err" } };
        var random = new Random(1);
        foreach (var (n, set) in sizes)
        {
            var a = Random(random, n * n);
            var b = Random(random, n * n);
            var (ca, cb, cc) = (new CpuStorage(a), new CpuStorage(b), new CpuStorage(new float[n * n]));
            var (da, db) = (Upload(device, a), Upload(device, b));
            var (dNaive, dTiled, dBlocked) = (device.Allocate(n * n), device.Allocate(n * n), device.Allocate(n * n));
            var backend = (OpenClBackend)device.Backend;
            var best = InTurns(repeat,
                (() => CpuBackend.Instance.Gemm(false, false, n, n, n, 1f, ca, 0, n, cb, 0, n, 0f, cc, 0, n), () => { }),
                (() => backend.GemmNaive(false, false, n, n, n, 1f, da, 0, n, db, 0, n, 0f, dNaive, 0, n), device.Synchronize),
                (() => backend.GemmTiled(false, false, n, n, n, 1f, da, 0, n, db, 0, n, 0f, dTiled, 0, n), device.Synchronize),
                (() => backend.Gemm(false, false, n, n, n, 1f, da, 0, n, db, 0, n, 0f, dBlocked, 0, n), device.Synchronize));
            var cpu = new float[n * n];
            cc.CopyTo(cpu);
            double error = new[] { dNaive, dTiled, dBlocked }.Select((d, i) => verdict.Check($"OpenCL GEMM {n} kernel {i}", Download(d, n * n), cpu, Tolerance)).Max();
            double gflops = 2.0 * n * n * n / (best[3] * 1e6);
            rows.Add([$"{n}", set.Label(), $"{best[0]:F2}", $"{best[1]:F2}", $"{best[2]:F2}", $"{best[3]:F2}", $"{gflops:F2}",
                      Ratio.Text(best[0], best[3]), Ratio.Text(best[1], best[3]), Verdict.Error(error)]);
        }
        Table.Print(rows);

        // SimpleConvNet's first layer: 100 images 1×28×28, 30 filters 5×5, stride 1, no padding.
        Console.WriteLine();
        var g = new ConvolutionGeometry(100, 1, 28, 28, 5, 5, 1, 0);
        int filters = 30;
        var x = Random(random, g.N * g.C * g.H * g.W);
        var f = Random(random, filters * g.PatchLength);
        // Per device: im2col alone, the GEMM alone, and both (the whole forward); the devices take turns.
        (Action Im2Col, Action Gemm, Action Both, TensorStorage Y) ConvolutionOn(Device on)
        {
            var xs = Upload(on, x);
            var fs = Upload(on, f);
            var col = on.Allocate(g.PatchLength * g.Positions);
            var y = on.Allocate(filters * g.Positions);
            void Im2Col() => on.Backend.Im2Col(xs, g, col);
            void Gemm() => on.Backend.Gemm(false, false, filters, g.Positions, g.PatchLength, 1f, fs, 0, g.PatchLength, col, 0, g.Positions, 0f, y, 0, g.Positions);
            return (Im2Col, Gemm, () => { Im2Col(); Gemm(); }, y);
        }
        var cpuConv = ConvolutionOn(Device.Cpu);
        var clConv = ConvolutionOn(device);
        var times = InTurns(repeat, (cpuConv.Im2Col, () => { }), (clConv.Im2Col, device.Synchronize), (cpuConv.Gemm, () => { }),
                            (clConv.Gemm, device.Synchronize), (cpuConv.Both, () => { }), (clConv.Both, device.Synchronize));
        double convError = verdict.Check("OpenCL convolution forward", Download(clConv.Y, filters * g.Positions), Download(cpuConv.Y, filters * g.Positions), Tolerance);
        Console.WriteLine($"Convolution forward {g.N}×{g.C}×{g.H}×{g.W} * {filters}×{g.FH}×{g.FW} (lecture 1.3: im2col, then one GEMM), tuned");
        Table.Print([["", "im2col ms", "GEMM ms", "total ms"],
                     ["CPU", $"{times[0]:F2}", $"{times[2]:F2}", $"{times[4]:F2}"],
                     ["OpenCL", $"{times[1]:F2}", $"{times[3]:F2}", $"{times[5]:F2}"]]);
        Console.WriteLine($"OpenCL vs CPU: {Ratio.Text(times[4], times[5])}; max relative error of Y {Verdict.Error(convError)}");
        Console.WriteLine("best ms per call; \"A vs B\" = B's time / A's (\"faster\": A takes less time). " + ShapeSets.Legend);
        return verdict.Finish(Console.Out);
    }

    // Best ms of each side, one run of each in turn per round after two warm-up runs each (kernel compilation); waits for the device every run.
    private static double[] InTurns(int repeat, params (Action Run, Action Wait)[] sides) =>
        Timing.InTurns(repeat, sides.Select(s => (Action)(() => { s.Run(); s.Wait(); })).ToArray(), warmUpCalls: 2, warmUpMilliseconds: 0);

    private static float[] Random(Random random, int length)
    {
        var values = new float[length];
        for (int i = 0; i < length; i++) values[i] = random.NextSingle() * 2f - 1f;
        return values;
    }

    private static TensorStorage Upload(Device device, float[] values)
    {
        var storage = device.Allocate(values.Length);
        storage.CopyFrom(values);
        return storage;
    }

    private static float[] Download(TensorStorage storage, int length)
    {
        var values = new float[length];
        storage.CopyTo(values);
        return values;
    }
}
