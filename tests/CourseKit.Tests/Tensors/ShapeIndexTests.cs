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

public class ShapeSpreadTests
{
    [Fact]
    public void SpreadingAShapeInACollectionExpressionGivesItsAxes()
    {
        var shape = new Shape(2, 3, 5);
        int[] withBatch = [7, .. shape];
        Assert.Equal(new[] { 7, 2, 3, 5 }, withBatch);
        Assert.Equal(30, shape.Size);
    }
}
