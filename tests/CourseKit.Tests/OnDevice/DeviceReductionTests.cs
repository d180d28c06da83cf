using CourseKit.Backends;

namespace CourseKit.Tests.OnDevice;

/// <summary>
/// Reduce over (outer, axis, inner) against the CPU backend. Max, Min and the arg versions must agree
/// exactly (they only compare); sums are within 1e-5·Σ|x| + 1e-6 of the CPU's double accumulation
/// (Kahan-compensated float on the device).
/// </summary>
public abstract class DeviceReductionTests(IDeviceFixture fixture)
{
    public static TheoryData<ReduceOp> Ops => new(Enum.GetValues<ReduceOp>());

    [Theory]
    [MemberData(nameof(Ops))]
    public void EveryReductionMatchesTheCpuOnShortAndLongAxes(ReduceOp op)
    {
        var random = new Random(40 + (int)op);
        // Many short axes (one work-item per output) and a few very long ones (one work-group per output).
        int[][] shapes = [[1, 1, 1], [7, 5, 3], [1, 13, 1], [10, 10, 1], [1, 5000, 1], [2, 3001, 3], [1, 100_003, 1]];
        foreach (var s in shapes) Check(op, s[0], s[1], s[2], Numbers.Random(random, s[0] * s[1] * s[2], -4f, 4f));
    }

    [Theory]
    [InlineData(ReduceOp.ArgMax, 17)]
    [InlineData(ReduceOp.ArgMin, 17)]
    [InlineData(ReduceOp.ArgMax, 9000)]
    [InlineData(ReduceOp.ArgMin, 9000)]
    public void TiesGoToTheFirstIndexLikeTheCpu(ReduceOp op, int axis)
    {
        // Few distinct values, so every output has ties at its extreme.
        var random = new Random(axis);
        var x = Enumerable.Range(0, 3 * axis).Select(_ => (float)random.Next(3)).ToArray();
        Check(op, 3, axis, 1, x);
    }

    [Theory]
    [InlineData(ReduceOp.Max, 11)]
    [InlineData(ReduceOp.ArgMax, 11)]
    [InlineData(ReduceOp.ArgMin, 7000)]
    public void TheFirstNaNWinsLikeOnTheCpu(ReduceOp op, int axis)
    {
        var x = Numbers.Random(new Random(3), axis);
        x[2] = float.NaN;
        x[axis - 3] = float.NaN;
        Check(op, 1, axis, 1, x);
    }

    private void Check(ReduceOp op, int outer, int axis, int inner, float[] x)
    {
        var expected = new float[outer * inner];
        CpuBackend.Instance.Reduce(op, new CpuStorage(x), outer, axis, inner, new CpuStorage(expected));
        var y = fixture.Device.Allocate(expected.Length);
        fixture.Backend.Reduce(op, fixture.Upload(x), outer, axis, inner, y);
        var actual = fixture.Download(y);
        string what = $"Reduce({op}) over (outer {outer}, axis {axis}, inner {inner})";
        if (op != ReduceOp.Sum)
        {
            Assert.True(expected.SequenceEqual(actual), $"{what}: CPU [{string.Join(", ", expected.Take(8))}], {fixture.Name} [{string.Join(", ", actual.Take(8))}]");
            return;
        }
        for (int i = 0; i < expected.Length; i++)
        {
            double magnitude = 0;
            for (int a = 0; a < axis; a++) magnitude += Math.Abs(x[(i / inner * axis + a) * inner + i % inner]);
            double bound = 1e-5 * magnitude + 1e-6;
            Assert.True(Math.Abs(actual[i] - expected[i]) <= bound, $"{what}: element {i} is {actual[i]}, the CPU gives {expected[i]} (bound {bound}).");
        }
    }
}
