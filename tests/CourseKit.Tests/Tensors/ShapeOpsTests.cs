namespace CourseKit.Tests.Tensors;

public class ShapeOpsTests
{
    [Fact]
    public void ReshapeInfersTheMinusOneDimensionAndSharesStorage()
    {
        var x = Tensor.Arange(12);
        var y = x.Reshape(3, -1);
        Assert.Equal(new Shape(3, 4), y.Shape);
        y[0, 0] = 42f;
        Assert.Equal(42f, x[0]);
    }

    [Fact]
    public void ReshapeToTheWrongCountNamesBothShapes()
    {
        var e = Assert.Throws<ArgumentException>(() => Tensor.Zeros(2, 3).Reshape(4, 2));
        Assert.Contains("(2, 3)", e.Message);
        Assert.Contains("(4, 2)", e.Message);
        Assert.Throws<ArgumentException>(() => Tensor.Zeros(2, 3).Reshape(4, -1));
        Assert.Throws<ArgumentException>(() => Tensor.Zeros(2, 3).Reshape(-1, -1));
    }

    [Fact]
    public void SqueezeRemovesOnlySizeOneAxes()
    {
        var x = Tensor.Zeros(1, 3, 1, 2);
        Assert.Equal(new Shape(3, 2), x.Squeeze().Shape);
        Assert.Equal(new Shape(1, 3, 2), x.Squeeze(2).Shape);
        var e = Assert.Throws<ArgumentException>(() => x.Squeeze(1));
        Assert.Contains("size 3", e.Message);
    }

    [Fact]
    public void UnsqueezeAndExpandDimsInsertAnAxis()
    {
        var x = Tensor.Zeros(3, 4);
        Assert.Equal(new Shape(1, 3, 4), x.Unsqueeze(0).Shape);
        Assert.Equal(new Shape(3, 4, 1), x.ExpandDims(-1).Shape);
        Assert.Equal(new Shape(3, 1, 4), x.Unsqueeze(1).Shape);
        Assert.Throws<ArgumentOutOfRangeException>(() => x.Unsqueeze(4));
    }
}
