using CourseKit.Backends;

namespace CourseKit.Tests.OnDevice;

/// <summary>
/// Unary, binary (with broadcasting), scalar binary, strided copy and fill against the CPU backend.
/// Bound: |Δ| ≤ 1e-5·|cpu| + 1e-6. OpenCL C allows up to 4 ulp for exp/log, 5 for tanh and 16 for pow
/// (spec 7.4), CUDA a few ulp, all far inside 1e-5 relative; the absolute part covers results that cancel to near zero.
/// </summary>
public abstract class DeviceElementwiseTests(IDeviceFixture fixture)
{
    private const float Relative = 1e-5f, Absolute = 1e-6f;

    public static TheoryData<UnaryOp> UnaryOps => new(Enum.GetValues<UnaryOp>());

    public static TheoryData<BinaryOp> BinaryOps => new(Enum.GetValues<BinaryOp>());

    [Theory]
    [MemberData(nameof(UnaryOps))]
    public void EveryUnaryOpMatchesTheCpu(UnaryOp op)
    {
        // Positive inputs where the function needs them (sqrt, log); both signs elsewhere.
        bool positive = op is UnaryOp.Sqrt or UnaryOp.Log;
        var x = Numbers.Random(new Random((int)op), 1037, positive ? 0.01f : -6f, 6f);
        var expected = new float[x.Length];
        CpuBackend.Instance.Unary(op, new CpuStorage(x), new CpuStorage(expected), x.Length, 0.1f);

        var y = fixture.Device.Allocate(x.Length);
        fixture.Backend.Unary(op, fixture.Upload(x), y, x.Length, 0.1f);
        Numbers.Close(expected, fixture.Download(y), Relative, Absolute, $"Unary({op})");
    }

    [Fact]
    public void UnaryTouchesOnlyTheFirstLengthElements()
    {
        var y = fixture.Upload([9, 9, 9, 9]);
        fixture.Backend.Unary(UnaryOp.Negate, fixture.Upload([1, 2, 3, 4]), y, 2);
        fixture.Backend.Unary(UnaryOp.Copy, fixture.Upload([5, 6, 7, 8]), y, 1);
        Assert.Equal([5f, -2f, 9f, 9f], fixture.Download(y));
    }

    [Theory]
    [MemberData(nameof(BinaryOps))]
    public void EveryBinaryOpBroadcastsLikeTheCpu(BinaryOp op)
    {
        var random = new Random(100 + (int)op);
        // (a shape, b shape, result shape): same shape, a row over a matrix, a column against a row, channels of NCHW.
        int[][][] cases =
        [
            [[7, 13], [7, 13], [7, 13]],
            [[5, 9], [1, 9], [5, 9]],
            [[6, 1], [1, 11], [6, 11]],
            [[3, 4, 5, 7], [1, 4, 1, 1], [3, 4, 5, 7]],
            [[1], [2, 3, 1, 2, 1, 3], [2, 3, 1, 2, 1, 3]],
        ];
        foreach (var c in cases)
        {
            bool positive = op == BinaryOp.Power;
            var a = Numbers.Random(random, Length(c[0]), positive ? 0.1f : -3f, 3f);
            var b = Numbers.Random(random, Length(c[1]), positive ? -2f : -3f, 3f);
            var aStrides = BroadcastStrides(c[0], c[2]);
            var bStrides = BroadcastStrides(c[1], c[2]);
            var expected = new float[Length(c[2])];
            CpuBackend.Instance.Binary(op, new CpuStorage(a), aStrides, new CpuStorage(b), bStrides, new CpuStorage(expected), c[2]);

            var y = fixture.Device.Allocate(expected.Length);
            fixture.Backend.Binary(op, fixture.Upload(a), aStrides, fixture.Upload(b), bStrides, y, c[2]);
            Numbers.Close(expected, fixture.Download(y), Relative, Absolute, $"Binary({op}) on ({string.Join(", ", c[2])})");
        }
    }

    [Theory]
    [MemberData(nameof(BinaryOps))]
    public void EveryScalarBinaryOpMatchesTheCpuInBothOrders(BinaryOp op)
    {
        var a = Numbers.Random(new Random(200 + (int)op), 333, 0.1f, 4f);
        foreach (bool scalarFirst in new[] { false, true })
        {
            var expected = new float[a.Length];
            CpuBackend.Instance.BinaryScalar(op, new CpuStorage(a), 1.7f, scalarFirst, new CpuStorage(expected), a.Length);
            var y = fixture.Device.Allocate(a.Length);
            fixture.Backend.BinaryScalar(op, fixture.Upload(a), 1.7f, scalarFirst, y, a.Length);
            Numbers.Close(expected, fixture.Download(y), Relative, Absolute, $"BinaryScalar({op}, scalarFirst: {scalarFirst})");
        }
    }

    [Fact]
    public void MaximumAndMinimumLetNaNWinAsOnTheCpu()
    {
        float[] a = [float.NaN, 1f, 2f], b = [0f, float.NaN, 3f];
        int[] strides = [1], shape = [3];
        var y = fixture.Device.Allocate(3);
        fixture.Backend.Binary(BinaryOp.Maximum, fixture.Upload(a), strides, fixture.Upload(b), strides, y, shape);
        var max = fixture.Download(y);
        Assert.True(float.IsNaN(max[0]) && float.IsNaN(max[1]));
        Assert.Equal(3f, max[2]);
    }

    [Fact]
    public void StridedCopyTransposesSlicesAndPadsLikeTheCpu()
    {
        var random = new Random(31);
        var x = Numbers.Random(random, 2 * 3 * 5 * 7);
        // (x offset, x strides, y offset, y strides, shape, y length)
        (int, int[], int, int[], int[], int)[] cases =
        [
            (0, [105, 35, 7, 1], 0, [105, 35, 7, 1], [2, 3, 5, 7], 210),     // plain copy: merges to one axis
            (0, [105, 1, 21, 3], 0, [105, 35, 7, 1], [2, 3, 5, 7], 210),     // a transpose
            (8, [35, 7, 1], 3, [1, 6, 18], [5, 3, 6], 110),                  // a slice into a transposed layout
            (0, [105, 35, 7, 1], 1 * 9 + 1, [3 * 81, 81, 9, 1], [2, 3, 5, 7], 2 * 3 * 81), // padding: into row 1, column 1 of 9×9 planes
            (4 * 7 + 6, [105, 35, -7, -1], 0, [105, 35, 7, 1], [2, 3, 5, 7], 210),  // each plane rotated by 180° (Rotate180)
            (0, [105, 35, 7, 1], 209, [-105, -35, -7, -1], [2, 3, 5, 7], 210),      // the whole tensor written backwards
            (4 * 7, [105, 35, -7, 1], 6, [105, 35, 7, -1], [2, 3, 5, 7], 210),      // rows flipped on read, columns on write
        ];
        foreach (var (xOffset, xStrides, yOffset, yStrides, shape, yLength) in cases)
        {
            var expected = new float[yLength];
            CpuBackend.Instance.StridedCopy(new CpuStorage(x), xOffset, xStrides, new CpuStorage(expected), yOffset, yStrides, shape);
            var y = fixture.Device.Allocate(yLength);
            fixture.Backend.StridedCopy(fixture.Upload(x), xOffset, xStrides, y, yOffset, yStrides, shape);
            Assert.Equal(expected, fixture.Download(y));
        }
    }

    [Fact]
    public void StridedCopyWithANegativeStrideThatLeavesTheBufferIsRefused()
    {
        var x = fixture.Upload(new float[12]);
        var y = fixture.Device.Allocate(12);
        // stride −4 over 3 rows from offset 0 would read elements −4 and −8
        var error = Assert.Throws<ArgumentException>(() => fixture.Backend.StridedCopy(x, 0, [-4, 1], y, 0, [4, 1], [3, 4]));
        Assert.Contains("StridedCopy", error.Message);
        Assert.Contains("-8", error.Message);
    }

    [Fact]
    public void StridedCopyOfMoreThanEightUnmergeableAxesExplainsTheLimit()
    {
        int[] shape = [2, 2, 2, 2, 2, 2, 2, 2, 2];
        int[] transposed = [1, 2, 4, 8, 16, 32, 64, 128, 256];   // all axes reversed: nothing merges
        int[] contiguous = [256, 128, 64, 32, 16, 8, 4, 2, 1];
        var x = fixture.Device.Allocate(512);
        var error = Assert.Throws<NotSupportedException>(() => fixture.Backend.StridedCopy(x, 0, transposed, x, 0, contiguous, shape));
        Assert.Contains("StridedCopy", error.Message);
        Assert.Contains("8 axes", error.Message);
    }

    [Fact]
    public void FillSetsOnlyTheRequestedRange()
    {
        var y = fixture.Upload([1, 2, 3, 4, 5, 6]);
        fixture.Backend.Fill(y, 2, 3, -0.5f);
        Assert.Equal([1f, 2f, -0.5f, -0.5f, -0.5f, 6f], fixture.Download(y));
    }

    private static int Length(int[] shape) => shape.Aggregate(1, (p, d) => p * d);

    // Strides of `shape` read as `target` (shapes right-aligned; broadcast axes have stride 0).
    private static int[] BroadcastStrides(int[] shape, int[] target)
    {
        var strides = new int[target.Length];
        int stride = 1;
        for (int d = target.Length - 1, s = shape.Length - 1; d >= 0; d--, s--)
        {
            int size = s >= 0 ? shape[s] : 1;
            strides[d] = size == 1 ? 0 : stride;
            stride *= size;
        }
        return strides;
    }
}
