namespace CourseKit.Tests.Tensors;

public class ShapeIndexTests
{
    [Fact]
    public void HatIndexCountsAxesFromTheEndNotElements()
    {
        var shape = new Shape(2, 3, 5);
        Assert.Equal(5, shape[^1]);
        Assert.Equal(2, shape[^3]);
        Assert.Equal(5, shape[-1]);
    }
}
