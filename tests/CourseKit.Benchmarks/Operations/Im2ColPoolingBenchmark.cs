using CourseKit.Backends;

namespace CourseKit.Benchmarks.Operations;

/// <summary>
/// The CPU im2col/col2im and pooling kernels against their reference loops (the lecture's definitions) on typical CNN
/// layer sizes and on held-out ones, the two taking turns; reported as speed-ups (reference time / fast time), every
/// fast result checked against the reference's.
/// </summary>
internal sealed class Im2ColPoolingBenchmark : IBenchmark
{
    public string Name => "im2col";
    public string Description => "im2col, col2im and pooling kernels: fast vs reference loops (speed-up ratios, results checked)";

    // copies and maxima are exact; col2im sums up to FH·FW entries per pixel, in another order
    private const double Tolerance = 1e-6;

    public int Run(string[] args)
    {
        Machine.Describe("im2col", "cpu", $"reference loops on one thread, fast kernels on {Machine.Threads}");
        var rng = new Random(1);
        var verdict = new Verdict();
        var convs = new (string, ShapeSet, ConvolutionGeometry)[]
        {
            ("N=100 C=1 28x28 5x5 S1 P0", ShapeSet.Tuned, new(100, 1, 28, 28, 5, 5, 1, 0)),
            ("N=100 C=16 14x14 3x3 S1 P1", ShapeSet.Tuned, new(100, 16, 14, 14, 3, 3, 1, 1)),
            ("N=64 C=32 16x16 3x3 S2 P1", ShapeSet.Tuned, new(64, 32, 16, 16, 3, 3, 2, 1)),
            ("N=50 C=7 19x19 4x4 S3 P2", ShapeSet.HeldOut, new(50, 7, 19, 19, 4, 4, 3, 2)),
            ("N=20 C=24 11x13 5x5 S1 P2", ShapeSet.HeldOut, new(20, 24, 11, 13, 5, 5, 1, 2)),
        };
        var rows = new List<string[]> { new[] { "kernel", "set", "ref ms", "fast ms", "speed-up", "max rel err" } };
        foreach (var (name, set, g) in convs)
        {
            var x = Random(rng, g.N * g.C * g.H * g.W);
            var (col, colRef) = (new float[g.PatchLength * g.Positions], new float[g.PatchLength * g.Positions]);
            var (dx, dxRef) = (new float[x.Length], new float[x.Length]);
            Report($"im2col {name}", set, () => CpuIm2Col.Im2ColReference(x, g, colRef), () => CpuIm2Col.Im2Col(x, g, col), [(col, colRef)]);
            Report($"col2im {name}", set, () => CpuIm2Col.Col2ImReference(colRef, g, dxRef), () => CpuIm2Col.Col2Im(colRef, g, dx), [(dx, dxRef)]);
        }
        var pools = new (string, ShapeSet, PoolingGeometry)[]
        {
            ("N=100 C=16 24x24 2x2 S2", ShapeSet.Tuned, new(100, 16, 24, 24, 2, 2, 2, 0)),
            ("N=64 C=32 32x32 3x3 S2 P1", ShapeSet.Tuned, new(64, 32, 32, 32, 3, 3, 2, 1)),
            ("N=30 C=10 17x17 3x3 S2 P0", ShapeSet.HeldOut, new(30, 10, 17, 17, 3, 3, 2, 0)),
            ("N=16 C=40 9x9 2x2 S1 P1", ShapeSet.HeldOut, new(16, 40, 9, 9, 2, 2, 1, 1)),
        };
        foreach (var (name, set, g) in pools)
        {
            var x = Random(rng, g.N * g.C * g.H * g.W);
            int outputs = g.N * g.C * g.OH * g.OW;
            var (y, yRef) = (new float[outputs], new float[outputs]);
            var (argmax, argmaxRef) = (new float[outputs], new float[outputs]);
            var (dx, dxRef) = (new float[x.Length], new float[x.Length]);
            Report($"max fwd {name}", set, () => CpuPooling.MaxForwardReference(x, g, yRef, argmaxRef), () => CpuPooling.MaxForward(x, g, y, argmax),
                   [(y, yRef), (argmax, argmaxRef)]);
            Report($"max bwd {name}", set, () => CpuPooling.MaxBackwardReference(yRef, argmaxRef, g, dxRef), () => CpuPooling.MaxBackward(yRef, argmaxRef, g, dx),
                   [(dx, dxRef)]);
            Report($"avg fwd {name}", set, () => CpuPooling.AverageForwardReference(x, g, yRef), () => CpuPooling.AverageForward(x, g, y), [(y, yRef)]);
        }
        Table.Print(rows);
        Console.WriteLine("best ms per call, the two taking turns; speed-up = reference time / fast time. " + ShapeSets.Legend);
        return verdict.Finish(Console.Out);

        void Report(string name, ShapeSet set, Action reference, Action fast, (float[] Fast, float[] Reference)[] results)
        {
            var best = Timing.InTurns(7, reference, fast);
            double error = results.Max(r => verdict.Check(name, r.Fast, r.Reference, Tolerance));
            rows.Add([name, set.Label(), $"{best[0]:F2}", $"{best[1]:F2}", Ratio.Text(best[0], best[1]), Verdict.Error(error)]);
        }
    }

    private static float[] Random(Random rng, int length)
    {
        var a = new float[length];
        for (int i = 0; i < length; i++) a[i] = (float)rng.NextDouble();
        return a;
    }
}
