using CourseKit.Display;

namespace CourseKit.Tests.Display;

public class BoxOverlayTests
{
    [Fact]
    public void TheOutlineLiesOnTheBoxEdgesOfTheEnlargedImage()
    {
        var image = Tensor.Zeros(1, 8, 8);
        var red = new Rgb(255, 0, 0);
        var picture = BoxOverlay.Create(image, [new Rectangle(2, 1, 5, 4, red)], scale: 2, range: ValueRange.ZeroToOne);
        Assert.Equal(16, picture.Width);
        Assert.Equal(3, picture.Channels);
        // columns [4, 10), rows [2, 8): the outline is on columns 4 and 9, rows 2 and 7
        Assert.Equal(255, picture[2, 4, 0]);
        Assert.Equal(255, picture[7, 9, 0]);
        Assert.Equal(255, picture[5, 4, 0]);
        Assert.Equal(0, picture[5, 5, 0]);   // inside
        Assert.Equal(0, picture[2, 10, 0]);  // just right of the box
        Assert.Equal(0, picture[8, 4, 0]);   // just below
    }

    [Fact]
    public void BoxesOutsideTheImageAreCutNotAnError()
    {
        var picture = BoxOverlay.Create(Tensor.Zeros(3, 4, 4), [new Rectangle(-2, -2, 10, 2, BoxOverlay.ClassColor(1))], scale: 1);
        Assert.Equal(BoxOverlay.ClassColor(1).G, picture[1, 0, 1]);  // the bottom edge (row 1) across the image
        Assert.NotEqual(BoxOverlay.ClassColor(0), BoxOverlay.ClassColor(1));
    }
}
