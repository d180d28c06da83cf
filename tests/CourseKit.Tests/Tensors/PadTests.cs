namespace CourseKit.Tests.Tensors;

public class PadTests
{
    [Fact]
    public void SpatialPaddingSurroundsEachImageWithZeros()
    {
        var x = Tensor.Arange(1, 9).Reshape(1, 2, 2, 2); // values 1..8
        var y = x.Pad([(0, 0), (0, 0), (1, 1), (1, 1)]);
        Assert.Equal(new Shape(1, 2, 4, 4), y.Shape);
        for (int c = 0; c < 2; c++)
            for (int h = 0; h < 4; h++)
                for (int w = 0; w < 4; w++)
                {
                    bool inside = h is >= 1 and <= 2 && w is >= 1 and <= 2;
                    Assert.Equal(inside ? x[0, c, h - 1, w - 1] : 0f, y[0, c, h, w]);
                }
        Assert.True(Tensor.AllClose(y, x.PadSpatial(1)));
    }

    [Fact]
    public void UnevenPaddingWithAConstant()
    {
        var y = new Tensor([2], [5, 6]).Pad([(2, 1)], value: -1f);
        Assert.Equal(new float[] { -1, -1, 5, 6, -1 }, y.ToArray());
    }

    [Fact]
    public void WrongNumberOfWidthsIsExplained()
    {
        var e = Assert.Throws<ArgumentException>(() => Tensor.Zeros(2, 3).Pad([(1, 1)]));
        Assert.Contains("(2, 3)", e.Message);
        Assert.Contains("2 (before, after) pairs", e.Message);
    }
}
