using CourseKit.Backends;

namespace CourseKit.Benchmarks;

/// <summary>
/// The fast elementwise and reduction kernels against their reference loops, measured in turns, every fast result
/// checked against the reference's: <c>dotnet run -c Release --project tests/CourseKit.Benchmarks -- elementwise [N C H W]</c>.
/// Runs the tuned shape (32, 64, 32, 32) and a held-out one of odd sizes (no multiple of a vector), or the shape given.
/// Prints the best time of each and the speed-up (reference / fast).
/// </summary>
internal sealed class ElementwiseBenchmark : IBenchmark
{
    public string Name => "elementwise";
    public string Description => "SIMD/parallel elementwise and reduction kernels vs their reference loops (ratios, results checked)  [N C H W]";

    // exp and sigmoid: the fast kernels' polynomial approximations against MathF (a few ulp); sums in another order
    private const double Tolerance = 1e-5;

    public int Run(string[] args)
    {
        Machine.Describe("elementwise", "cpu", $"reference loops on one thread, fast kernels on 1 and on {CpuElementwise.Cores}");
        var shapes = args.Length == 4
            ? new[] { (args.Select(int.Parse).ToArray(), ShapeSet.HeldOut) }
            : [([32, 64, 32, 32], ShapeSet.Tuned), ([7, 33, 17, 19], ShapeSet.HeldOut)];
        var verdict = new Verdict();
        var rows = new List<string[]> { new[] { "kernel", "shape", "set", "reference ms", "1 core ms", "fast ms", "speed-up", "max rel err" } };
        foreach (var (shape, set) in shapes) Measure(shape, set, rows, verdict);
        Table.Print(rows);
        Console.WriteLine($"best ms per call, the three taking turns; speed-up = reference / fast on {CpuElementwise.Cores} cores. " + ShapeSets.Legend);
        return verdict.Finish(Console.Out);
    }

    private static void Measure(int[] s, ShapeSet set, List<string[]> rows, Verdict verdict)
    {
        int n = s[0], c = s[1], h = s[2], w = s[3], total = n * c * h * w;
        string label = $"({n},{c},{h},{w})";
        var x = Tensor.RandN([total], seed: 1).ToArray();
        var z = Tensor.RandN([total], seed: 2).ToArray();
        var bias = Tensor.RandN([c], seed: 3).ToArray();
        var (y, yRef) = (new float[total], new float[total]);
        int[] shape = [n, c, h, w];
        int[] own = new Shape(shape).Strides();
        int[] biasStrides = [0, 1, 0, 0];
        int[] nhwc = [n, h, w, c];
        int[] nhwcRead = [own[0], own[2], own[3], own[1]];
        int[] nhwcWrite = new Shape(nhwc).Strides();
        var (rowSums, rowSumsRef) = (new float[n * c * h], new float[n * c * h]);
        var (colSums, colSumsRef) = (new float[c * h * w], new float[c * h * w]);

        Compare("add, same shape", () => CpuElementwise.BinaryReference(BinaryOp.Add, x, own, z, own, yRef, shape),
                                   () => CpuElementwise.Binary(BinaryOp.Add, x, own, z, own, y, shape), y, yRef);
        Compare("add channel bias (1, C, 1, 1)", () => CpuElementwise.BinaryReference(BinaryOp.Add, x, own, bias, biasStrides, yRef, shape),
                                                 () => CpuElementwise.Binary(BinaryOp.Add, x, own, bias, biasStrides, y, shape), y, yRef);
        Compare("multiply by a scalar", () => CpuElementwise.BinaryScalarReference(BinaryOp.Multiply, x, 0.5f, false, yRef),
                                        () => CpuElementwise.BinaryScalar(BinaryOp.Multiply, x, 0.5f, false, y), y, yRef);
        Compare("relu", () => CpuElementwise.UnaryReference(UnaryOp.Relu, x, yRef, 0f), () => CpuElementwise.Unary(UnaryOp.Relu, x, y, 0f), y, yRef);
        Compare("exp", () => CpuElementwise.UnaryReference(UnaryOp.Exp, x, yRef, 0f), () => CpuElementwise.Unary(UnaryOp.Exp, x, y, 0f), y, yRef);
        Compare("sigmoid", () => CpuElementwise.UnaryReference(UnaryOp.Sigmoid, x, yRef, 0f), () => CpuElementwise.Unary(UnaryOp.Sigmoid, x, y, 0f), y, yRef);
        Compare("sum over the last axis (W)", () => CpuElementwise.ReduceReference(ReduceOp.Sum, x, n * c * h, w, 1, rowSumsRef),
                                              () => CpuElementwise.Reduce(ReduceOp.Sum, x, n * c * h, w, 1, rowSums), rowSums, rowSumsRef);
        Compare("sum over axis 0 (N)", () => CpuElementwise.ReduceReference(ReduceOp.Sum, x, 1, n, c * h * w, colSumsRef),
                                       () => CpuElementwise.Reduce(ReduceOp.Sum, x, 1, n, c * h * w, colSums), colSums, colSumsRef);
        Compare("max over axis 0 (N)", () => CpuElementwise.ReduceReference(ReduceOp.Max, x, 1, n, c * h * w, colSumsRef),
                                       () => CpuElementwise.Reduce(ReduceOp.Max, x, 1, n, c * h * w, colSums), colSums, colSumsRef);
        Compare("copy a slice x[:, :C/2]", () => CpuElementwise.StridedCopyReference(x, 0, own, yRef, 0, own, [n, c / 2, h, w]),
                                           () => CpuElementwise.StridedCopy(x, 0, own, y, 0, own, [n, c / 2, h, w]), y, yRef);
        Compare("transpose NCHW -> NHWC", () => CpuElementwise.StridedCopyReference(x, 0, nhwcRead, yRef, 0, nhwcWrite, nhwc),
                                          () => CpuElementwise.StridedCopy(x, 0, nhwcRead, y, 0, nhwcWrite, nhwc), y, yRef);

        // Reference, fast on one core (SIMD alone), fast on all cores, in turns; then the fast result against the reference's.
        void Compare(string name, Action reference, Action fast, float[] result, float[] referenceResult)
        {
            int cores = CpuElementwise.Cores;
            void Single()
            {
                CpuElementwise.Cores = 1;
                try { fast(); }
                finally { CpuElementwise.Cores = cores; }
            }
            Array.Clear(result);
            Array.Clear(referenceResult);
            var best = Timing.InTurns(15, reference, Single, fast);
            double error = verdict.Check($"{name} {label}", result, referenceResult, Tolerance);
            rows.Add([name, label, set.Label(), $"{best[0]:F3}", $"{best[1]:F3}", $"{best[2]:F3}", Ratio.Text(best[0], best[2]), Verdict.Error(error)]);
        }
    }
}
