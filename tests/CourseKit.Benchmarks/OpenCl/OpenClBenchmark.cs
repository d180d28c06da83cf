using System.Diagnostics;
using CourseKit.Backends;

namespace CourseKit.Benchmarks;

/// <summary>
/// The OpenCL kernels against the CPU backend measured in the same run: GEMM (CPU, naive, tiled and
/// register-blocked kernels) and the SimpleConvNet convolution forward (im2col + GEMM, lecture 1.3) on an MNIST-sized
/// mini-batch. On PoCL (OpenCL on the CPU) the ratios show overheads, not GPU speed.
/// </summary>
internal sealed class OpenClBenchmark : IBenchmark
{
    public string Name => "opencl";

    public string Description => $"OpenCL kernels vs the CPU backend [--device {DeviceSelection.Help}] [--sizes 128,256,512] [--repeat 5]";

    public int Run(string[] args)
    {
        string deviceName = Option(args, "--device") ?? "opencl";
        int[] sizes = (Option(args, "--sizes") ?? "128,256,512").Split(',').Select(int.Parse).ToArray();
        int repeat = int.Parse(Option(args, "--repeat") ?? "5");
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
        Console.WriteLine(OpenClDevice.Describe());
        Console.WriteLine($"Using {device} (GEMM tile {device.GemmTile}×{device.GemmTile}, block {device.GemmBlock}×{device.GemmBlock}), median of {repeat} runs after a warm-up.");
        Console.WriteLine();

        Console.WriteLine($"{"GEMM n×n×n",-12}{"CPU ms",10}{"naive ms",10}{"tiled ms",10}{"blocked ms",12}{"GFLOP/s",10}{"vs CPU",9}{"vs naive",10}");
        var random = new Random(1);
        foreach (int n in sizes)
        {
            var a = Random(random, n * n);
            var b = Random(random, n * n);
            var (ca, cb, cc) = (new CpuStorage(a), new CpuStorage(b), new CpuStorage(new float[n * n]));
            var (da, db, dc) = (Upload(device, a), Upload(device, b), device.Allocate(n * n));
            var backend = (OpenClBackend)device.Backend;
            double cpu = Time(repeat, () => CpuBackend.Instance.Gemm(false, false, n, n, n, 1f, ca, 0, n, cb, 0, n, 0f, cc, 0, n), () => { });
            double naive = Time(repeat, () => backend.GemmNaive(false, false, n, n, n, 1f, da, 0, n, db, 0, n, 0f, dc, 0, n), device.Synchronize);
            double tiled = Time(repeat, () => backend.GemmTiled(false, false, n, n, n, 1f, da, 0, n, db, 0, n, 0f, dc, 0, n), device.Synchronize);
            double blocked = Time(repeat, () => backend.Gemm(false, false, n, n, n, 1f, da, 0, n, db, 0, n, 0f, dc, 0, n), device.Synchronize);
            double gflops = 2.0 * n * n * n / (blocked * 1e6);
            Console.WriteLine($"{n,-12}{cpu,10:F2}{naive,10:F2}{tiled,10:F2}{blocked,12:F2}{gflops,10:F2}{cpu / blocked,8:F2}x{naive / blocked,9:F2}x");
        }

        // SimpleConvNet's first layer: 100 images 1×28×28, 30 filters 5×5, stride 1, no padding.
        Console.WriteLine();
        var g = new ConvolutionGeometry(100, 1, 28, 28, 5, 5, 1, 0);
        int filters = 30;
        var x = Random(random, g.N * g.C * g.H * g.W);
        var f = Random(random, filters * g.PatchLength);
        // Per device: im2col alone, the GEMM alone, and both (the whole forward).
        (double Im2Col, double Gemm, double Both) ConvolutionOn(Device on, Action wait)
        {
            var xs = Upload(on, x);
            var fs = Upload(on, f);
            var col = on.Allocate(g.PatchLength * g.Positions);
            var y = on.Allocate(filters * g.Positions);
            void Im2Col() => on.Backend.Im2Col(xs, g, col);
            void Gemm() => on.Backend.Gemm(false, false, filters, g.Positions, g.PatchLength, 1f, fs, 0, g.PatchLength, col, 0, g.Positions, 0f, y, 0, g.Positions);
            return (Time(repeat, Im2Col, wait), Time(repeat, Gemm, wait), Time(repeat, () => { Im2Col(); Gemm(); }, wait));
        }
        var cpuConv = ConvolutionOn(Device.Cpu, () => { });
        var clConv = ConvolutionOn(device, device.Synchronize);
        Console.WriteLine($"Convolution forward {g.N}×{g.C}×{g.H}×{g.W} * {filters}×{g.FH}×{g.FW} (lecture 1.3: im2col, then one GEMM)");
        Console.WriteLine($"{"",-12}{"im2col ms",12}{"GEMM ms",10}{"total ms",10}");
        Console.WriteLine($"{"CPU",-12}{cpuConv.Im2Col,12:F2}{cpuConv.Gemm,10:F2}{cpuConv.Both,10:F2}");
        Console.WriteLine($"{"OpenCL",-12}{clConv.Im2Col,12:F2}{clConv.Gemm,10:F2}{clConv.Both,10:F2}");
        Console.WriteLine($"OpenCL vs CPU: {cpuConv.Both / clConv.Both:F2}x");
        return 0;
    }

    private static double Time(int repeat, Action run, Action wait)
    {
        run();
        wait();
        var times = new double[repeat];
        for (int r = 0; r < repeat; r++)
        {
            var clock = Stopwatch.StartNew();
            run();
            wait();
            times[r] = clock.Elapsed.TotalMilliseconds;
        }
        Array.Sort(times);
        return times[repeat / 2];
    }

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

    private static string? Option(string[] args, string name)
    {
        int i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }
}
