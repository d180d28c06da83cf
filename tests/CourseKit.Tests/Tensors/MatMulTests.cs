using CourseKit.Backends;

namespace CourseKit.Tests.Tensors;

public class MatMulTests
{
    private static float[] Naive(float[] a, float[] b, int m, int k, int n)
    {
        var c = new float[m * n];
        for (int i = 0; i < m; i++) for (int j = 0; j < n; j++)
        {
            double s = 0;
            for (int p = 0; p < k; p++) s += (double)a[i * k + p] * b[p * n + j];
            c[i * n + j] = (float)s;
        }
        return c;
    }

    [Theory]
    [InlineData(1, 1, 1)]
    [InlineData(2, 3, 4)]
    [InlineData(17, 31, 5)]
    [InlineData(64, 7, 33)]
    public void MatrixProductMatchesANaiveLoop(int m, int k, int n)
    {
        var a = Tensor.RandN([m, k], seed: m);
        var b = Tensor.RandN([k, n], seed: n + 100);
        var c = Tensor.MatMul(a, b);
        Assert.Equal(new Shape(m, n), c.Shape);
        Assert.True(Tensor.AllClose(c, new Tensor([m, n], Naive(a.ToArray(), b.ToArray(), m, k, n)), rtol: 1e-4, atol: 1e-4));
    }

    [Fact]
    public void TransposeFlagsEqualExplicitTransposes()
    {
        var a = Tensor.RandN([5, 3], seed: 1);
        var b = Tensor.RandN([4, 3], seed: 2);
        Assert.True(Tensor.AllClose(Tensor.MatMul(a, b.T), Tensor.MatMul(a, b, transposeA: false, transposeB: true), atol: 1e-6));
        Assert.True(Tensor.AllClose(Tensor.MatMul(a.T, a), Tensor.MatMul(a, a, transposeA: true, transposeB: false), atol: 1e-6));
    }

    [Fact]
    public void VectorsFollowNumPy()
    {
        var m = new Tensor([2, 3], [1, 2, 3, 4, 5, 6]);
        var v = new Tensor([3], [1, 0, -1]);
        Assert.Equal(new float[] { -2, -2 }, Tensor.MatMul(m, v).ToArray());
        Assert.Equal(new Shape(3), Tensor.MatMul(new Tensor([2], [1, 1]), m).Shape);
        Assert.Equal(new float[] { 5, 7, 9 }, Tensor.MatMul(new Tensor([2], [1, 1]), m).ToArray());
        Assert.Equal(-2f, Tensor.Dot(new Tensor([3], [1, 2, 3]), v).Item());
    }

    [Fact]
    public void BatchedProductMultipliesEachPair()
    {
        var a = Tensor.RandN([3, 4, 5], seed: 4);
        var b = Tensor.RandN([3, 5, 2], seed: 5);
        var c = a.MatMul(b);
        Assert.Equal(new Shape(3, 4, 2), c.Shape);
        for (int i = 0; i < 3; i++)
            Assert.True(Tensor.AllClose(c[i, ..], Tensor.MatMul(a[i, ..], b[i, ..]), atol: 1e-5));
        var w = Tensor.RandN([5, 6], seed: 6);
        var d = a.MatMul(w);
        Assert.Equal(new Shape(3, 4, 6), d.Shape);
        Assert.True(Tensor.AllClose(d[2, ..], Tensor.MatMul(a[2, ..], w), atol: 1e-5));
    }

    [Fact]
    public void InnerSizeMismatchNamesTheShapes()
    {
        var e = Assert.Throws<ArgumentException>(() => Tensor.MatMul(Tensor.Zeros(2, 3), Tensor.Zeros(4, 5)));
        Assert.Contains("(2, 3)", e.Message);
        Assert.Contains("(4, 5)", e.Message);
        Assert.Contains("3 and 4", e.Message);
    }

    [Fact]
    public void GemmReferenceAgreesWithNaiveLoop()
    {
        // The oracle itself, through the backend's interface with offsets.
        var a = Tensor.RandN([3, 4], seed: 9);
        var b = Tensor.RandN([4, 2], seed: 10);
        var c = new float[6];
        GemmReference.Run(false, false, 3, 2, 4, 1f, a.ToArray(), 4, b.ToArray(), 2, 0f, c, 2);
        Assert.True(Tensor.AllClose(new Tensor([3, 2], c), new Tensor([3, 2], Naive(a.ToArray(), b.ToArray(), 3, 4, 2)), atol: 1e-6));
    }
}
