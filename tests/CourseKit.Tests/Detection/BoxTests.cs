using CourseKit.Detection;

namespace CourseKit.Tests.Detection;

public class BoxTests
{
    [Fact]
    public void CornersAndCentreSizeDescribeTheSameBox()
    {
        var box = new Box(2, 3, 10, 7);
        Assert.Equal((6f, 5f, 8f, 4f), box.ToCenter());
        Assert.Equal(box, Box.FromCenter(6, 5, 8, 4));
        Assert.Equal(32f, box.Area);
    }

    [Fact]
    public void InclusivePixelIndicesAddOneToTheFarEdge()
    {
        // Pascal VOC's box (3, 1)–(7, 2) covers columns 3..7 and rows 1..2: 5 × 2 pixels.
        var box = Box.FromInclusivePixels(3, 1, 7, 2);
        Assert.Equal(new Box(3, 1, 8, 3), box);
        Assert.Equal(5f, box.Width);
        Assert.Equal(2f, box.Height);
        Assert.Equal(1f, Box.FromInclusivePixels(4, 4, 4, 4).Area);  // a single pixel
        Assert.Throws<ArgumentException>(() => Box.FromInclusivePixels(5, 0, 4, 0));
    }

    [Fact]
    public void AnEmptyBoxHasNoArea()
    {
        Assert.Equal(0f, new Box(5, 5, 3, 9).Area);
        Assert.Equal(new Box(0, 1, 4, 4), new Box(-2, 1, 7, 9).Clip(4, 4));
    }
}
