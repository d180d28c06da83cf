using System.Diagnostics;
using CourseKit.Backends;

namespace CourseKit.Benchmarks.Operations;

/// <summary>
/// The CPU im2col/col2im and pooling kernels against their reference loops on typical CNN layer sizes,
/// measured in the same run and reported as speed-ups (reference time / fast time).
/// </summary>
internal sealed class Im2ColPoolingBenchmark : IBenchmark
{
    public string Name => "im2col";
    public string Description => "im2col, col2im and pooling kernels: fast vs reference loops (speed-up ratios)";

    public int Run(string[] args)
    {
        var rng = new Random(1);
        // (name, geometry): MNIST-like first layers and a CIFAR-like middle layer.
        var convs = new (string, ConvolutionGeometry)[]
        {
            ("N=100 C=1 28x28 5x5 S1 P0", new(100, 1, 28, 28, 5, 5, 1, 0)),
            ("N=100 C=16 14x14 3x3 S1 P1", new(100, 16, 14, 14, 3, 3, 1, 1)),
            ("N=64 C=32 16x16 3x3 S2 P1", new(64, 32, 16, 16, 3, 3, 2, 1)),
        };
        Console.WriteLine($"{"kernel",-40} {"ref ms",8} {"fast ms",8} {"speed-up",9}");
        foreach (var (name, g) in convs)
        {
            var x = Random(rng, g.N * g.C * g.H * g.W);
            var col = new float[g.PatchLength * g.Positions];
            var dx = new float[x.Length];
            Report($"im2col {name}", () => CpuIm2Col.Im2ColReference(x, g, col), () => CpuIm2Col.Im2Col(x, g, col));
            Report($"col2im {name}", () => CpuIm2Col.Col2ImReference(col, g, dx), () => CpuIm2Col.Col2Im(col, g, dx));
        }
        var pools = new (string, PoolingGeometry)[]
        {
            ("N=100 C=16 24x24 2x2 S2", new(100, 16, 24, 24, 2, 2, 2, 0)),
            ("N=64 C=32 32x32 3x3 S2 P1", new(64, 32, 32, 32, 3, 3, 2, 1)),
        };
        foreach (var (name, g) in pools)
        {
            var x = Random(rng, g.N * g.C * g.H * g.W);
            var y = new float[g.N * g.C * g.OH * g.OW];
            var argmax = new float[y.Length];
            var dx = new float[x.Length];
            Report($"max fwd {name}", () => CpuPooling.MaxForwardReference(x, g, y, argmax), () => CpuPooling.MaxForward(x, g, y, argmax));
            Report($"max bwd {name}", () => CpuPooling.MaxBackwardReference(y, argmax, g, dx), () => CpuPooling.MaxBackward(y, argmax, g, dx));
            Report($"avg fwd {name}", () => CpuPooling.AverageForwardReference(x, g, y), () => CpuPooling.AverageForward(x, g, y));
        }
        return 0;
    }

    private static float[] Random(Random rng, int length)
    {
        var a = new float[length];
        for (int i = 0; i < length; i++) a[i] = (float)rng.NextDouble();
        return a;
    }

    private static void Report(string name, Action reference, Action fast)
    {
        double r = Time(reference), f = Time(fast);
        Console.WriteLine($"{name,-40} {r,8:F2} {f,8:F2} {r / f,8:F1}x");
    }

    // Best of several runs after a warm-up long enough for the JIT to optimize both versions, in milliseconds.
    private static double Time(Action action)
    {
        var warmUp = Stopwatch.StartNew();
        for (int i = 0; i < 40 || warmUp.ElapsedMilliseconds < 200; i++) action();
        double best = double.MaxValue;
        for (int i = 0; i < 7; i++)
        {
            var sw = Stopwatch.StartNew();
            action();
            best = Math.Min(best, sw.Elapsed.TotalMilliseconds);
        }
        return best;
    }
}
