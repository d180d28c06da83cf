namespace CourseKit.Tests.Tensors;

public class ReductionTests
{
    // x[n, i, j] = 12n + 4i + j
    private static Tensor Grid() => Tensor.Arange(24).Reshape(2, 3, 4);

    /// <summary>The plain loop the reductions must agree with: value at (n, i, j) reduced over the chosen axes.</summary>
    private static float NaiveSum(Tensor x, Func<int, int, int, bool> include)
    {
        double sum = 0;
        for (int n = 0; n < 2; n++) for (int i = 0; i < 3; i++) for (int j = 0; j < 4; j++)
            if (include(n, i, j)) sum += x[n, i, j];
        return (float)sum;
    }

    [Fact]
    public void SumOfAllElementsIsAZeroDimensionalTensor()
    {
        var s = Grid().Sum();
        Assert.Equal(0, s.Rank);
        Assert.Equal(276f, s.Item());
        Assert.Equal(276f, (float)s);
    }

    [Fact]
    public void SumOverEachAxisMatchesANaiveLoop()
    {
        var x = Grid();
        var s0 = x.Sum(0);
        Assert.Equal(new Shape(3, 4), s0.Shape);
        for (int i = 0; i < 3; i++) for (int j = 0; j < 4; j++)
            Assert.Equal(NaiveSum(x, (n, a, b) => a == i && b == j), s0[i, j]);
        var s1 = x.Sum(1);
        Assert.Equal(new Shape(2, 4), s1.Shape);
        for (int n = 0; n < 2; n++) for (int j = 0; j < 4; j++)
            Assert.Equal(NaiveSum(x, (m, a, b) => m == n && b == j), s1[n, j]);
        var s2 = x.Sum(-1);
        Assert.Equal(new Shape(2, 3), s2.Shape);
        for (int n = 0; n < 2; n++) for (int i = 0; i < 3; i++)
            Assert.Equal(NaiveSum(x, (m, a, b) => m == n && a == i), s2[n, i]);
    }

    [Fact]
    public void KeepDimsLeavesSizeOneAxesForBroadcasting()
    {
        var x = Grid();
        var m = x.Mean(1, keepDims: true);
        Assert.Equal(new Shape(2, 1, 4), m.Shape);
        var centered = x - m;
        Assert.True(Tensor.AllClose(centered.Sum(1), Tensor.Zeros(2, 4), atol: 1e-5));
    }

    [Fact]
    public void SumOverSeveralAxesGivesTheBiasGradientShape()
    {
        var dy = Tensor.Uniform([2, 3, 4, 5], seed: 3);
        var db = dy.Sum([0, 2, 3]);
        Assert.Equal(new Shape(3), db.Shape);
        for (int c = 0; c < 3; c++)
            Assert.Equal((float)dy[.., c].Sum(), db[c], 4);
        Assert.Equal(new Shape(1, 3, 1, 1), dy.Sum([0, 2, 3], keepDims: true).Shape);
    }

    [Fact]
    public void NeighbouringAndSeparateAxesReduceLikeNaiveLoops()
    {
        var x = Grid();
        var s12 = x.Sum([1, 2]);
        Assert.Equal(new Shape(2), s12.Shape);
        for (int n = 0; n < 2; n++) Assert.Equal(NaiveSum(x, (m, _, _) => m == n), s12[n]);
        var s02 = x.Sum([2, 0], keepDims: true);
        Assert.Equal(new Shape(1, 3, 1), s02.Shape);
        for (int i = 0; i < 3; i++) Assert.Equal(NaiveSum(x, (_, a, _) => a == i), s02[0, i, 0]);
        var max01 = x.Max([0, 1]);
        Assert.Equal(new float[] { 20, 21, 22, 23 }, max01.ToArray());
        Assert.Equal(276f, x.Sum([0, 1, 2]).Item());
    }

    [Fact]
    public void MeanAndVarianceAgreeWithTheirDefinitions()
    {
        var x = new Tensor([2, 2], [1, 2, 3, 6]);
        Assert.Equal(3f, x.Mean().Item());
        Assert.Equal(new float[] { 2, 4 }, x.Mean(0).ToArray());
        Assert.Equal(new float[] { 1, 4 }, x.Var(0).ToArray()); // ((1-2)^2 + (3-2)^2)/2, ((2-4)^2 + (6-4)^2)/2
        Assert.Equal(3.5f, x.Var().Item(), 5);
    }

    [Fact]
    public void MaxMinAndTheirPositions()
    {
        var x = new Tensor([2, 3], [3, 9, 9, -1, 0, -7]);
        Assert.Equal(9f, x.Max().Item());
        Assert.Equal(-7f, x.Min().Item());
        Assert.Equal(1, x.ArgMax());  // first of the ties, as NumPy
        Assert.Equal(5, x.ArgMin());
        Assert.Equal(new float[] { 9, 0 }, x.Max(1).ToArray());
        Assert.Equal(new float[] { 1, 1 }, x.ArgMax(1).ToArray());
        Assert.Equal(new float[] { 0, 0, 0 }, x.ArgMax(0).ToArray());
        Assert.Equal(new float[] { -1, 0, -7 }, x.Min(0).ToArray());
    }

    [Fact]
    public void NanWinsTheMaximumAsInNumPy()
    {
        var x = new Tensor([4], [1, float.NaN, 5, float.NaN]);
        Assert.True(float.IsNaN(x.Max().Item()));
        Assert.Equal(1, x.ArgMax());
    }

    [Fact]
    public void BadAxesAreExplained()
    {
        var x = Grid();
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => x.Sum(3));
        Assert.Contains("(2, 3, 4)", e.Message);
        Assert.Throws<ArgumentException>(() => x.Sum([1, 1]));
        Assert.Throws<InvalidOperationException>(() => Tensor.Zeros(0).Max());
        Assert.Equal(0f, Tensor.Zeros(0, 3).Sum().Item());
    }
}
