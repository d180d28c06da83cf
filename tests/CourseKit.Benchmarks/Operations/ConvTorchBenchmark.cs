using System.Diagnostics;
using System.Text.Json;
using CourseKit.Backends;
using CourseKit.Operations;

namespace CourseKit.Benchmarks.Operations;

/// <summary>
/// <c>conv</c>: our convolution (im2col + GEMM, lecture 1.3 and 2.1) forward, and forward + backward
/// (gradients of input, filters and bias), next to PyTorch's conv2d on 2 threads measured in the same run.
/// </summary>
internal sealed class ConvTorchBenchmark : IBenchmark
{
    public string Name => "conv";
    public string Description => "convolution forward and forward+backward vs PyTorch conv2d  [--device cpu] [--batches 5]";

    private static readonly (string What, int N, int C, int H, int W, int OC, int F, int S, int P)[] Cases =
    [
        ("MNIST conv1: (100,1,28,28), 30 filters 5x5", 100, 1, 28, 28, 30, 5, 1, 0),
        ("CIFAR-like:  (64,64,32,32), 64 filters 3x3 pad 1", 64, 64, 32, 32, 64, 3, 1, 1),
    ];

    public int Run(string[] args)
    {
        var device = BenchmarkDevices.FromArgs(args, out string? error);
        if (device is null)
        {
            Console.Error.WriteLine($"conv: {error}");
            return 2;
        }
        int batches = BenchmarkArgs.Int(args, "--batches", 5);
        Console.WriteLine($"conv on {device.Name}, {Environment.ProcessorCount} threads");

        var ours = Cases.Select(c => Measure(device, c, batches)).ToArray();
        var environment = new Dictionary<string, string?>();
        if (Directory.Exists(PythonReference.OpenBlasDirectory))
            environment["LD_LIBRARY_PATH"] = PythonReference.OpenBlasDirectory; // torch links libblas.so.3 too
        var torch = PythonReference.Run(PythonReference.Script("conv_torch.py"),
                                        Cases.Select(Key).Concat(["--batches", batches.ToString()]), environment);
        Console.WriteLine(torch.Json is JsonElement info
            ? $"PyTorch {info.GetProperty("torch").GetString()} (oneDNN {(info.GetProperty("mkldnn").GetBoolean() ? "on" : "off")}), 2 threads"
            : $"PyTorch: not available ({torch.Unavailable})");
        Console.WriteLine();
        Console.WriteLine($"{"case",-50} {"ours fwd",9} {"torch",9} {"ratio",6}   {"ours f+b",9} {"torch",9} {"ratio",6}");
        for (int i = 0; i < Cases.Length; i++)
        {
            var (forward, both) = ours[i];
            JsonElement? theirs = null;
            if (torch.Json is JsonElement json)
                foreach (var r in json.GetProperty("results").EnumerateArray())
                    if (r.GetProperty("case").GetString() == Key(Cases[i])) theirs = r;
            double? tf = theirs?.GetProperty("forward").GetDouble(), tb = theirs?.GetProperty("forward_backward").GetDouble();
            Console.WriteLine($"{Cases[i].What,-50} {Ms(forward),9} {Ms(tf),9} {Ratio(tf, forward),6}   " +
                              $"{Ms(both),9} {Ms(tb),9} {Ratio(tb, both),6}");
        }
        Console.WriteLine();
        Console.WriteLine("milliseconds per call, best of the batches; ratio = PyTorch time / ours (> 1: ours is faster).");
        foreach (var c in Cases)
            Console.WriteLine($"  {c.What}: ours by {Algorithm(device, c)}");
        return 0;
    }

    // which of ConvolutionOperation's paths the forward pass takes (the gradients take the same kind)
    private static string Algorithm(Device device, (string What, int N, int C, int H, int W, int OC, int F, int S, int P) c)
    {
        var g = new ConvolutionGeometry(c.N, c.C, c.H, c.W, c.F, c.F, c.S, c.P);
        if (ConvolutionOperation.ColumnsFitInCache(g)) return "im2col + GEMM (the batch's columns fit in the cache)";
        if (device.Backend is not IImplicitConvolution) return "im2col + GEMM, a few images at a time";
        if (CpuWinograd.Applies(g, c.OC)) return "Winograd F(2x2, 3x3), 16 GEMMs per image";
        return WideRows.Apply(g) ? "implicit im2col (wide rows of the padded image)" : "implicit im2col";
    }

    private static string Key((string What, int N, int C, int H, int W, int OC, int F, int S, int P) c) =>
        $"{c.N},{c.C},{c.H},{c.W},{c.OC},{c.F},{c.S},{c.P}";

    private static string Ms(double? seconds) => seconds is null ? "-" : $"{seconds.Value * 1e3:F2}";

    private static string Ratio(double? theirs, double ours) => theirs is null ? "-" : $"{theirs.Value / ours:F2}x";

    /// <summary>Best seconds per call of the forward pass, and of forward + the three gradients.</summary>
    private static (double Forward, double ForwardBackward) Measure(
        Device device, (string What, int N, int C, int H, int W, int OC, int F, int S, int P) c, int batches)
    {
        var random = new Random(0);
        var x = Random(random, device, c.N, c.C, c.H, c.W);
        var f = Random(random, device, c.OC, c.C, c.F, c.F);
        var b = Random(random, device, c.OC);
        var g = ConvolutionOperation.Geometry(x.Shape, f.Shape, c.S, c.P);
        var dy = Random(random, device, c.N, c.OC, g.OH, g.OW);

        // as the layer does it: from X, which it keeps for the filter gradient
        Tensor Forward() => ConvolutionOperation.Forward(x, f, b, c.S, c.P);
        Tensor ForwardBackward()
        {
            ConvolutionOperation.Forward(x, f, b, c.S, c.P);
            ConvolutionOperation.BackwardFilter(dy, x, f.Shape, c.S, c.P);
            ConvolutionOperation.BackwardBias(dy);
            return ConvolutionOperation.BackwardInput(dy, f, g);
        }
        return (Best(Forward, batches), Best(ForwardBackward, batches));
    }

    private static double Best(Func<Tensor> call, int batches)
    {
        BenchmarkDevices.Synchronize(call().Storage); // warm up
        int iterations = 1;
        double elapsed;
        while ((elapsed = Time(iterations)) < 0.1) iterations *= 2;
        double best = elapsed / iterations;
        for (int r = 1; r < batches; r++) best = Math.Min(best, Time(iterations) / iterations);
        return best;

        double Time(int count)
        {
            var clock = Stopwatch.StartNew();
            Tensor last = call();
            for (int i = 1; i < count; i++) last = call();
            BenchmarkDevices.Synchronize(last.Storage);
            return clock.Elapsed.TotalSeconds;
        }
    }

    private static Tensor Random(Random random, Device device, params int[] shape)
    {
        var data = new float[new Shape(shape).Size];
        for (int i = 0; i < data.Length; i++) data[i] = (float)(random.NextDouble() * 2 - 1);
        return new Tensor(shape, data).To(device);
    }
}
