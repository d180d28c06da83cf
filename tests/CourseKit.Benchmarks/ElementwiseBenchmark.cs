using System.Diagnostics;
using CourseKit.Backends;

namespace CourseKit.Benchmarks;

/// <summary>
/// The fast elementwise and reduction kernels against their reference loops, measured in the same run:
/// <c>dotnet run -c Release --project tests/CourseKit.Benchmarks -- elementwise [N C H W]</c>.
/// Prints the median time of each and the speed-up (reference / fast).
/// </summary>
internal sealed class ElementwiseBenchmark : IBenchmark
{
    public string Name => "elementwise";
    public string Description => "SIMD/parallel elementwise and reduction kernels vs their reference loops (ratios)";

    public int Run(string[] args)
    {
        int[] s = args.Length == 4 ? args.Select(int.Parse).ToArray() : [32, 64, 32, 32];
        int n = s[0], c = s[1], h = s[2], w = s[3], total = n * c * h * w;
        var x = Tensor.RandN([total], seed: 1).ToArray();
        var z = Tensor.RandN([total], seed: 2).ToArray();
        var bias = Tensor.RandN([c], seed: 3).ToArray();
        var y = new float[total];
        int[] shape = [n, c, h, w];
        int[] own = new Shape(shape).Strides();
        int[] biasStrides = [0, 1, 0, 0];
        int[] nhwc = [n, h, w, c];
        int[] nhwcRead = [own[0], own[2], own[3], own[1]];
        int[] nhwcWrite = new Shape(nhwc).Strides();
        var rowSums = new float[n * c * h];
        var colSums = new float[c * h * w];

        Console.WriteLine($"elementwise kernels on (N, C, H, W) = ({n}, {c}, {h}, {w}), {total:N0} floats, {Environment.ProcessorCount} cores");
        Console.WriteLine($"{"kernel",-34} {"reference ms",12} {"1 core ms",10} {"fast ms",9} {"speed-up",9}");
        Compare("add, same shape", () => CpuElementwise.BinaryReference(BinaryOp.Add, x, own, z, own, y, shape),
                                   () => CpuElementwise.Binary(BinaryOp.Add, x, own, z, own, y, shape));
        Compare("add channel bias (1, C, 1, 1)", () => CpuElementwise.BinaryReference(BinaryOp.Add, x, own, bias, biasStrides, y, shape),
                                                 () => CpuElementwise.Binary(BinaryOp.Add, x, own, bias, biasStrides, y, shape));
        Compare("multiply by a scalar", () => CpuElementwise.BinaryScalarReference(BinaryOp.Multiply, x, 0.5f, false, y),
                                        () => CpuElementwise.BinaryScalar(BinaryOp.Multiply, x, 0.5f, false, y));
        Compare("relu", () => CpuElementwise.UnaryReference(UnaryOp.Relu, x, y, 0f), () => CpuElementwise.Unary(UnaryOp.Relu, x, y, 0f));
        Compare("exp", () => CpuElementwise.UnaryReference(UnaryOp.Exp, x, y, 0f), () => CpuElementwise.Unary(UnaryOp.Exp, x, y, 0f));
        Compare("sigmoid", () => CpuElementwise.UnaryReference(UnaryOp.Sigmoid, x, y, 0f), () => CpuElementwise.Unary(UnaryOp.Sigmoid, x, y, 0f));
        Compare("sum over the last axis (W)", () => CpuElementwise.ReduceReference(ReduceOp.Sum, x, n * c * h, w, 1, rowSums),
                                              () => CpuElementwise.Reduce(ReduceOp.Sum, x, n * c * h, w, 1, rowSums));
        Compare("sum over axis 0 (N)", () => CpuElementwise.ReduceReference(ReduceOp.Sum, x, 1, n, c * h * w, colSums),
                                       () => CpuElementwise.Reduce(ReduceOp.Sum, x, 1, n, c * h * w, colSums));
        Compare("max over axis 0 (N)", () => CpuElementwise.ReduceReference(ReduceOp.Max, x, 1, n, c * h * w, colSums),
                                       () => CpuElementwise.Reduce(ReduceOp.Max, x, 1, n, c * h * w, colSums));
        Compare("copy a slice x[:, :C/2]", () => CpuElementwise.StridedCopyReference(x, 0, own, y, 0, own, [n, c / 2, h, w]),
                                           () => CpuElementwise.StridedCopy(x, 0, own, y, 0, own, [n, c / 2, h, w]));
        Compare("transpose NCHW -> NHWC", () => CpuElementwise.StridedCopyReference(x, 0, nhwcRead, y, 0, nhwcWrite, nhwc),
                                          () => CpuElementwise.StridedCopy(x, 0, nhwcRead, y, 0, nhwcWrite, nhwc));
        return 0;
    }

    /// <summary>Reference, fast on one core (SIMD alone), fast on all cores; the speed-up is reference / fast.</summary>
    private static void Compare(string name, Action reference, Action fast)
    {
        double r = Median(reference);
        int cores = CpuElementwise.Cores;
        CpuElementwise.Cores = 1;
        double single = Median(fast);
        CpuElementwise.Cores = cores;
        double f = Median(fast);
        Console.WriteLine($"{name,-34} {r,12:F2} {single,10:F2} {f,9:F2} {r / f,8:F1}x");
    }

    private static double Median(Action run)
    {
        // Warm up for a while: the JIT recompiles hot methods with full optimization only after some calls.
        var clock = Stopwatch.StartNew();
        for (int i = 0; i < 3 || clock.ElapsedMilliseconds < 300; i++) run();
        var times = new List<double>();
        clock.Restart();
        while (times.Count < 5 || (clock.ElapsedMilliseconds < 400 && times.Count < 50))
        {
            long start = Stopwatch.GetTimestamp();
            run();
            times.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
        }
        times.Sort();
        return times[times.Count / 2];
    }
}
