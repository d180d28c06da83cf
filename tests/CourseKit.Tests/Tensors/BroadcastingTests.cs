namespace CourseKit.Tests.Tensors;

public class BroadcastingTests
{
    [Fact]
    public void RowVectorIsAddedToEveryRow()
    {
        Tensor a = new float[,] { { 1, 2, 3 }, { 4, 5, 6 } };
        Tensor b = new float[] { 10, 20, 30 };
        Assert.Equal(new float[] { 11, 22, 33, 14, 25, 36 }, (a + b).ToArray());
    }

    [Fact]
    public void ColumnAndRowBroadcastToAnOuterProductShape()
    {
        var column = new Tensor([3, 1], [1, 2, 3]);
        var row = new Tensor([1, 4], [10, 20, 30, 40]);
        var y = column * row;
        Assert.Equal(new Shape(3, 4), y.Shape);
        for (int i = 0; i < 3; i++)
            for (int j = 0; j < 4; j++)
                Assert.Equal((i + 1) * 10f * (j + 1), y[i, j]);
    }

    [Fact]
    public void ChannelBiasBroadcastsOverBatchAndSpace()
    {
        // lecture 1.2: one bias per output channel, added at every position of every image.
        var x = Tensor.Zeros(2, 3, 4, 5);
        var bias = new Tensor([1, 3, 1, 1], [1, 2, 3]);
        var y = x + bias;
        for (int n = 0; n < 2; n++)
            for (int c = 0; c < 3; c++)
                for (int h = 0; h < 4; h++)
                    for (int w = 0; w < 5; w++)
                        Assert.Equal(c + 1f, y[n, c, h, w]);
    }

    [Fact]
    public void ScalarOperatorsWorkOnBothSides()
    {
        var x = new Tensor([3], [1, 2, 4]);
        Assert.Equal(new float[] { 3, 2, 0 }, (4f - x).ToArray());
        Assert.Equal(new float[] { 4, 2, 1 }, (4f / x).ToArray());
        Assert.Equal(new float[] { -1, 0, 2 }, (x - 2f).ToArray());
    }

    [Fact]
    public void IncompatibleShapesAreNamedInTheError()
    {
        var e = Assert.Throws<ArgumentException>(() => Tensor.Zeros(2, 3) + Tensor.Zeros(4));
        Assert.Contains("(2, 3)", e.Message);
        Assert.Contains("(4,)", e.Message);
        Assert.Contains("'+'", e.Message);
    }

    [Fact]
    public void BroadcastToMaterializesRepeatedRows()
    {
        var y = new Tensor([3], [1, 2, 3]).BroadcastTo([2, 3]);
        Assert.Equal(new float[] { 1, 2, 3, 1, 2, 3 }, y.ToArray());
        var e = Assert.Throws<ArgumentException>(() => Tensor.Zeros(3).BroadcastTo([2, 4]));
        Assert.Contains("(3,)", e.Message);
        Assert.Contains("(2, 4)", e.Message);
    }

    [Fact]
    public void ClipLimitsBothSides()
    {
        Assert.Equal(new float[] { -1, -0.5f, 0, 1, 1 }, new Tensor([5], [-3, -0.5f, 0, 1, 7]).Clip(-1, 1).ToArray());
        Assert.Throws<ArgumentException>(() => Tensor.Zeros(2).Clip(1, 0));
    }

    [Fact]
    public void ScalarTensorsBroadcastLikeNumbers()
    {
        var x = new Tensor([3], [-1, 0, 2]);
        Assert.Equal(new float[] { 0, 0, 2 }, Tensor.Maximum(x, 0f).ToArray());
        Assert.Equal(new float[] { -2, 0, 4 }, (x * (Tensor)2f).ToArray());
    }
}
