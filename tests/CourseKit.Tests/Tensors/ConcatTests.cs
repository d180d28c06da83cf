namespace CourseKit.Tests.Tensors;

public class ConcatTests
{
    [Fact]
    public void ConcatAlongChannelsKeepsEachInputInItsBlock()
    {
        // U-Net skip connection (lecture 5.4): (N, C1, H, W) and (N, C2, H, W) -> (N, C1 + C2, H, W).
        var a = Tensor.Uniform([2, 3, 2, 2], seed: 1);
        var b = Tensor.Uniform([2, 1, 2, 2], seed: 2);
        var y = Tensor.Concat([a, b], axis: 1);
        Assert.Equal(new Shape(2, 4, 2, 2), y.Shape);
        Assert.True(Tensor.AllClose(a, y[.., 0..3]));
        Assert.True(Tensor.AllClose(b, y[.., 3..]));
    }

    [Fact]
    public void ConcatOfMismatchedShapesNamesThem()
    {
        var e = Assert.Throws<ArgumentException>(() => Tensor.Concat([Tensor.Zeros(2, 3), Tensor.Zeros(3, 3)], axis: 1));
        Assert.Contains("(2, 3), (3, 3)", e.Message);
    }

    [Fact]
    public void StackAddsANewAxis()
    {
        var a = new Tensor([2], [1, 2]);
        var b = new Tensor([2], [3, 4]);
        Assert.Equal(new float[] { 1, 2, 3, 4 }, Tensor.Stack([a, b]).ToArray());
        var columns = Tensor.Stack([a, b], axis: 1);
        Assert.Equal(new Shape(2, 2), columns.Shape);
        Assert.Equal(new float[] { 1, 3, 2, 4 }, columns.ToArray());
    }
}
