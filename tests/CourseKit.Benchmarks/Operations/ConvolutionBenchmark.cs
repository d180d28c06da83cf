using System.Diagnostics;
using CourseKit.Operations;

namespace CourseKit.Benchmarks.Operations;

/// <summary>
/// Convolution through im2col + GEMM against the lecture's direct loops (<see cref="ConvolutionOperation.Naive"/>),
/// measured in the same run; also the backward passes, as multiples of the forward time.
/// </summary>
internal sealed class ConvolutionBenchmark : IBenchmark
{
    public string Name => "conv-naive";
    public string Description => "convolution: im2col + GEMM vs the naive loops, and backward vs forward";

    public int Run(string[] args)
    {
        var rng = new Random(1);
        var layers = new (string Name, int N, int C, int H, int W, int OC, int F, int S, int P)[]
        {
            ("MNIST conv1: N=32 1x28x28 -> 16, 5x5", 32, 1, 28, 28, 16, 5, 1, 0),
            ("CIFAR mid:   N=32 16x16x16 -> 32, 3x3 P1", 32, 16, 16, 16, 32, 3, 1, 1),
            ("stride 2:    N=32 32x16x16 -> 32, 3x3 S2 P1", 32, 32, 16, 16, 32, 3, 2, 1),
        };
        Console.WriteLine($"{"layer",-46} {"naive ms",9} {"im2col ms",10} {"speed-up",9} {"dX/fwd",7} {"dF/fwd",7}");
        foreach (var l in layers)
        {
            var x = Random(rng, l.N, l.C, l.H, l.W);
            var f = Random(rng, l.OC, l.C, l.F, l.F);
            var b = Random(rng, l.OC);
            var g = ConvolutionOperation.Geometry(x.Shape, f.Shape, l.S, l.P);
            var dy = Random(rng, l.N, l.OC, g.OH, g.OW);
            var col = Im2Col.Columns(x, g);
            double naive = Time(() => ConvolutionOperation.Naive(x, f, b, l.S, l.P));
            double fast = Time(() => ConvolutionOperation.Forward(x, f, b, l.S, l.P));
            double dx = Time(() => ConvolutionOperation.BackwardInput(dy, f, g));
            double df = Time(() => ConvolutionOperation.BackwardFilter(dy, col, g));
            Console.WriteLine($"{l.Name,-46} {naive,9:F1} {fast,10:F1} {naive / fast,8:F1}x {dx / fast,7:F2} {df / fast,7:F2}");
        }
        return 0;
    }

    private static Tensor Random(Random rng, params int[] shape)
    {
        var data = new float[new Shape(shape).Size];
        for (int i = 0; i < data.Length; i++) data[i] = (float)(rng.NextDouble() * 2 - 1);
        return new Tensor(shape, data);
    }

    // Best of five runs after two warm-up runs, in milliseconds.
    private static double Time(Action action)
    {
        action();
        action();
        double best = double.MaxValue;
        for (int i = 0; i < 5; i++)
        {
            var sw = Stopwatch.StartNew();
            action();
            best = Math.Min(best, sw.Elapsed.TotalMilliseconds);
        }
        return best;
    }
}
