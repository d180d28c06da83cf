using CourseKit.Backends;

namespace CourseKit.Tests.Backends.Cpu;

/// <summary>Each fast kernel of <see cref="CpuElementwise"/> against its plain reference loop, on awkward and large sizes.</summary>
public class CpuElementwiseTests
{
    // Lengths around SIMD widths and odd ones; the transcendental functions (8 units of work per element)
    // split across cores from ParallelThreshold / 8 elements on.
    public static TheoryData<int> Lengths => [0, 1, 3, 7, 8, 9, 17, 33, 1000, CpuElementwise.ParallelThreshold / 8 + 13];

    /// <summary>More than the parallel threshold of simple element operations, an awkward number.</summary>
    private const int Large = CpuElementwise.ParallelThreshold + 13;

    [Fact]
    public void LargeArraysSplitAcrossCoresAgreeWithTheReference()
    {
        var x = Random(Large, seed: 1);
        foreach (var op in new[] { UnaryOp.Relu, UnaryOp.Negate })
        {
            var (expected, actual) = (new float[Large], new float[Large]);
            CpuElementwise.UnaryReference(op, x, expected, 0f);
            CpuElementwise.Unary(op, x, actual, 0f);
            Assert.Equal(expected, actual);
        }
        foreach (bool scalarFirst in new[] { false, true })
        {
            var (expected, actual) = (new float[Large], new float[Large]);
            CpuElementwise.BinaryScalarReference(BinaryOp.Subtract, x, 0.5f, scalarFirst, expected);
            CpuElementwise.BinaryScalar(BinaryOp.Subtract, x, 0.5f, scalarFirst, actual);
            Assert.Equal(expected, actual);
        }
    }

    private static float[] Random(int n, long seed, float scale = 3f) => (Tensor.RandN([n], seed: seed) * scale).ToArray();

    private static void AssertClose(float[] expected, float[] actual, double rtol, double atol)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            bool close = float.IsNaN(expected[i]) ? float.IsNaN(actual[i])
                : float.IsInfinity(expected[i]) ? expected[i] == actual[i]
                : Math.Abs(expected[i] - actual[i]) <= atol + rtol * Math.Abs(expected[i]);
            if (!close) Assert.Fail($"element {i}: expected {expected[i]}, got {actual[i]}");
        }
    }

    [Theory]
    [MemberData(nameof(Lengths))]
    public void EveryUnaryOpAgreesWithTheReference(int n)
    {
        foreach (var op in Enum.GetValues<UnaryOp>())
        {
            var x = Random(n, seed: n + (int)op);
            if (op is UnaryOp.Sqrt or UnaryOp.Log) x = x.Select(v => MathF.Abs(v) + 0.01f).ToArray();
            var expected = new float[n];
            var actual = new float[n];
            CpuElementwise.UnaryReference(op, x, expected, 0.1f);
            CpuElementwise.Unary(op, x, actual, 0.1f);
            AssertClose(expected, actual, rtol: 1e-5, atol: 1e-6);
        }
    }

    [Fact]
    public void UnaryOpsMayWriteInPlace()
    {
        foreach (var op in new[] { UnaryOp.Elu, UnaryOp.Relu, UnaryOp.Exp, UnaryOp.LeakyRelu })
        {
            var x = Random(1000, seed: 5);
            var expected = new float[x.Length];
            CpuElementwise.UnaryReference(op, x, expected, 0.2f);
            CpuElementwise.Unary(op, x, x, 0.2f);
            AssertClose(expected, x, rtol: 1e-5, atol: 1e-6);
        }
    }

    [Fact]
    public void ReluOfNanAndNegativeZeroIsZeroLikeTheReference()
    {
        float[] x = [float.NaN, -0f, -1f, 2f];
        var y = new float[4];
        CpuElementwise.Unary(UnaryOp.Relu, x, y, 0f);
        Assert.Equal(new float[] { 0, 0, 0, 2 }, y);
        Assert.False(float.IsNegative(y[1]));
    }

    [Theory]
    [MemberData(nameof(Lengths))]
    public void EveryScalarBinaryAgreesWithTheReference(int n)
    {
        foreach (var op in Enum.GetValues<BinaryOp>())
            foreach (bool scalarFirst in new[] { false, true })
                foreach (float s in new[] { 2f, -0.7f })
                {
                    var a = Random(n, seed: 7 * n + (int)op);
                    if (op == BinaryOp.Power) a = a.Select(v => MathF.Abs(v) + 0.1f).ToArray();
                    var expected = new float[n];
                    var actual = new float[n];
                    CpuElementwise.BinaryScalarReference(op, a, s, scalarFirst, expected);
                    CpuElementwise.BinaryScalar(op, a, s, scalarFirst, actual);
                    AssertClose(expected, actual, rtol: op == BinaryOp.Power ? 1e-5 : 0, atol: op == BinaryOp.Power ? 1e-6 : 0);
                }
    }

    /// <summary>Runs one broadcast binary both ways, from the two operand shapes, like Tensor's operators do.</summary>
    private static void CheckBinary(BinaryOp op, int[] aShape, int[] bShape, long seed)
    {
        var shape = Tensor.BroadcastShape(aShape, bShape);
        var a = Random(new Shape(aShape).Size, seed);
        var b = Random(new Shape(bShape).Size, seed + 1);
        if (op == BinaryOp.Power) a = a.Select(v => MathF.Abs(v) + 0.1f).ToArray();
        var aStrides = Tensor.BroadcastStrides(aShape, shape);
        var bStrides = Tensor.BroadcastStrides(bShape, shape);
        int total = new Shape(shape).Size;
        var expected = new float[total];
        var actual = new float[total];
        CpuElementwise.BinaryReference(op, a, aStrides, b, bStrides, expected, shape);
        CpuElementwise.Binary(op, a, aStrides, b, bStrides, actual, shape);
        bool exact = op != BinaryOp.Power;
        AssertClose(expected, actual, rtol: exact ? 0 : 1e-5, atol: exact ? 0 : 1e-6);
    }

    [Theory]
    [InlineData(new[] { 1001, 1050 }, new[] { 1001, 1050 })]      // same shape, past the parallel threshold: one run cut in pieces
    [InlineData(new[] { 3, 1000, 350 }, new[] { 1, 1, 350 })]     // few rows, each long: parallel over rows
    [InlineData(new[] { 8, 16, 17, 19 }, new[] { 1, 16, 1, 1 })]  // channel bias (N, C, H, W) + (1, C, 1, 1)
    [InlineData(new[] { 1, 16, 1, 1 }, new[] { 8, 16, 17, 19 })]  // the same with the bias first
    [InlineData(new[] { 300, 257 }, new[] { 257 })]               // row vector added to every row
    [InlineData(new[] { 300, 1 }, new[] { 300, 257 })]            // column broadcast
    [InlineData(new[] { 5, 1, 7 }, new[] { 1, 6, 1 })]            // both operands broadcast
    [InlineData(new int[0], new[] { 3, 4 })]                      // 0-d scalar tensor
    [InlineData(new[] { 2, 0, 3 }, new[] { 3 })]                  // empty
    public void BroadcastPatternsAgreeWithTheReference(int[] aShape, int[] bShape)
    {
        // Every operation on the small patterns; two on the large ones, whose reference loop is slow.
        bool large = Tensor.BroadcastShape(aShape, bShape).Aggregate(1L, (p, d) => p * d) > 100_000;
        var ops = large ? [BinaryOp.Subtract, BinaryOp.Maximum] : Enum.GetValues<BinaryOp>();
        foreach (var op in ops) CheckBinary(op, aShape, bShape, seed: aShape.Sum());
    }

    [Fact]
    public void RandomBroadcastShapesAgreeWithTheReference()
    {
        var rng = new Xoshiro256(11);
        int[] sizes = [1, 2, 3, 5, 8, 17];
        for (int trial = 0; trial < 200; trial++)
        {
            int rank = 1 + rng.NextInt(4);
            var shape = Enumerable.Range(0, rank).Select(_ => sizes[rng.NextInt(sizes.Length)]).ToArray();
            // Each operand drops some leading axes and sets some others to 1.
            int[] Operand() => shape.Skip(rng.NextInt(rank)).Select(d => rng.NextInt(3) == 0 ? 1 : d).ToArray();
            var op = (BinaryOp)rng.NextInt(Enum.GetValues<BinaryOp>().Length);
            CheckBinary(op, Operand(), Operand(), seed: trial);
        }
    }

    [Fact]
    public void StridedCopyAgreesWithTheReferenceOnTransposesAndSlices()
    {
        var rng = new Xoshiro256(3);
        for (int trial = 0; trial < 100; trial++)
        {
            int rank = 1 + rng.NextInt(4);
            var shape = Enumerable.Range(0, rank).Select(_ => 1 + rng.NextInt(9)).ToArray();
            var x = Random(new Shape(shape).Size + 5, seed: trial);
            // A random permutation of the source strides read from offset 2: a transposed, shifted view.
            var perm = Enumerable.Range(0, rank).ToArray();
            rng.Shuffle<int>(perm);
            var own = new Shape(shape).Strides();
            var outShape = perm.Select(p => shape[p]).ToArray();
            var readStrides = perm.Select(p => own[p]).ToArray();
            var writeStrides = new Shape(outShape).Strides();
            var expected = new float[x.Length + 3];
            var actual = new float[x.Length + 3];
            CpuElementwise.StridedCopyReference(x, 2, readStrides, expected, 3, writeStrides, outShape);
            CpuElementwise.StridedCopy(x, 2, readStrides, actual, 3, writeStrides, outShape);
            Assert.Equal(expected, actual);
        }
        // A bias broadcast: b (C) into every row of every channel of (N, C, L); the last axis reads one value (stride 0).
        var bias = Random(30, seed: 2);
        var (rowsExpected, rowsActual) = (new float[4 * 30 * 37], new float[4 * 30 * 37]);
        CpuElementwise.StridedCopyReference(bias, 0, [0, 1, 0], rowsExpected, 0, [30 * 37, 37, 1], [4, 30, 37]);
        CpuElementwise.StridedCopy(bias, 0, [0, 1, 0], rowsActual, 0, [30 * 37, 37, 1], [4, 30, 37]);
        Assert.Equal(rowsExpected, rowsActual);
        var big = Random(1100 * 1000, seed: 1); // a transpose past the parallel threshold
        var (bigExpected, bigActual) = (new float[big.Length], new float[big.Length]);
        CpuElementwise.StridedCopyReference(big, 0, [1, 1000], bigExpected, 0, [1100, 1], [1000, 1100]);
        CpuElementwise.StridedCopy(big, 0, [1, 1000], bigActual, 0, [1100, 1], [1000, 1100]);
        Assert.Equal(bigExpected, bigActual);
    }

    [Theory]
    [InlineData(3, 37, 5, 9)]    // awkward sizes: partial tiles
    [InlineData(2, 64, 16, 16)]  // NCHW -> NHWC of a small feature map
    [InlineData(1, 8, 1, 8)]     // the smallest tiled case
    public void TiledTransposeAgreesWithTheReference(int n, int c, int h, int w)
    {
        int[] shape = [n, c, h, w];
        var own = new Shape(shape).Strides();
        var x = Random(n * c * h * w + 4, seed: c);
        int[] outShape = [n, h, w, c];
        int[] read = [own[0], own[2], own[3], own[1]];
        var write = new Shape(outShape).Strides();
        var expected = new float[x.Length + 2];
        var actual = new float[x.Length + 2];
        CpuElementwise.StridedCopyReference(x, 4, read, expected, 2, write, outShape);
        CpuElementwise.StridedCopy(x, 4, read, actual, 2, write, outShape);
        Assert.Equal(expected, actual);
    }

    [Fact]
    public void CoalesceMergesContiguousAxesAndDropsSizeOne()
    {
        // (N, C, H, W) + (1, C, 1, 1): H and W merge into one run of length H·W where the bias has stride 0.
        var (dims, a, b) = CpuElementwise.Coalesce([2, 3, 4, 5], [60, 20, 5, 1], [0, 1, 0, 0]);
        Assert.Equal(new[] { 2, 3, 20 }, dims);
        Assert.Equal(new[] { 60, 20, 1 }, a);
        Assert.Equal(new[] { 0, 1, 0 }, b);
        var (same, _, _) = CpuElementwise.Coalesce([2, 1, 3], [3, 3, 1], [3, 3, 1]);
        Assert.Equal(new[] { 6 }, same);
    }

    [Theory]
    [InlineData(1, 1, 1)]
    [InlineData(1, 7, 1)]
    [InlineData(13, 10, 1)]        // softmax-like: reduce each short row
    [InlineData(3, 400_003, 1)]     // long rows, past the parallel threshold
    [InlineData(1, 300, 257)]       // axis 0 of a matrix
    [InlineData(1, 2, 5000)]        // axis 0 with wide rows, split into column blocks
    [InlineData(1, 300, 4000)]      // axis 0 past the parallel threshold
    [InlineData(70_000, 17, 1)]     // many short rows past the parallel threshold
    [InlineData(300, 576, 1)]       // rows of 24·24, as in the bias gradient of the MNIST network's convolution
    [InlineData(4, 130, 33)]        // a middle axis, more than one group of 64 rows
    [InlineData(5, 3, 2)]
    public void EveryReductionAgreesWithTheReference(int outer, int axis, int inner)
    {
        var x = Random(outer * axis * inner, seed: outer + axis + inner);
        var absSum = new float[outer * inner];
        CpuElementwise.ReduceReference(ReduceOp.Sum, x.Select(MathF.Abs).ToArray(), outer, axis, inner, absSum);
        // Every reduction on the small cases; one of each kind (sum, value, position) on the large ones.
        var ops = outer * axis * inner > 100_000 ? [ReduceOp.Sum, ReduceOp.Min, ReduceOp.ArgMax] : Enum.GetValues<ReduceOp>();
        foreach (var op in ops)
        {
            var expected = new float[outer * inner];
            var actual = new float[outer * inner];
            CpuElementwise.ReduceReference(op, x, outer, axis, inner, expected);
            CpuElementwise.Reduce(op, x, outer, axis, inner, actual);
            if (op == ReduceOp.Sum)
                for (int i = 0; i < expected.Length; i++)
                {
                    if (!(Math.Abs(expected[i] - actual[i]) <= 1e-6 * absSum[i] + 1e-6)) Assert.Fail($"sum {i}: expected {expected[i]}, got {actual[i]}");
                }
            else Assert.Equal(expected, actual);
        }
    }

    [Fact]
    public void ReductionsTreatNanAndTiesLikeTheReference()
    {
        // Two rows as (2, 5, 1) and the same data as columns (1, 5, 2).
        float[] rows = [1, float.NaN, 3, float.NaN, 0, 4, 4, -1, 4, 2];
        float[] columns = new float[10];
        for (int r = 0; r < 2; r++) for (int a = 0; a < 5; a++) columns[a * 2 + r] = rows[r * 5 + a];
        foreach (var op in Enum.GetValues<ReduceOp>())
        {
            foreach (var (x, outer, inner) in new[] { (rows, 2, 1), (columns, 1, 2) })
            {
                var expected = new float[2];
                var actual = new float[2];
                CpuElementwise.ReduceReference(op, x, outer, 5, inner, expected);
                CpuElementwise.Reduce(op, x, outer, 5, inner, actual);
                Assert.Equal(expected, actual);
            }
        }
        var argmax = new float[2];
        CpuElementwise.Reduce(ReduceOp.ArgMax, rows, 2, 5, 1, argmax);
        Assert.Equal(new float[] { 1, 0 }, argmax); // the first NaN; the first of the tied 4s
    }
}
