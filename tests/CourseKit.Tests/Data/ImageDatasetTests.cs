using CourseKit.Data;

namespace CourseKit.Tests.Data;

public sealed class ImageDatasetTests
{
    // Three images (1, 1, 2): pixels (0, 10), (20, 30), (40, 50); labels 2, 0, 1.
    private static ImageDataset Small() => new([0, 10, 20, 30, 40, 50], [1, 1, 2], [2, 0, 1], 3, "small");

    [Fact]
    public void ImagesTensorIsNCHWWithBytesDividedBy255()
    {
        var data = Small();
        Assert.Equal(new Shape(3, 1, 1, 2), data.Images.Shape);
        Assert.Equal(new[] { 0, 10, 20, 30, 40, 50 }.Select(b => b / 255f), data.Images.ToArray());
        Assert.Equal([1, 1, 1], data.ClassCounts());
    }

    [Fact]
    public void SubsetTakesImagesAndLabelsInTheGivenOrder()
    {
        var subset = Small().Subset([2, 0]);
        Assert.Equal(new byte[] { 40, 50, 0, 10 }, subset.Pixels);
        Assert.Equal([1, 2], subset.Labels);
        var first = Small().Take(2);
        Assert.Equal(new byte[] { 0, 10, 20, 30 }, first.Pixels);
        Assert.Equal([2, 0], first.Labels);
    }

    [Fact]
    public void SubsetIndexOutsideTheDataIsRefused()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => Small().Subset([3]));
        Assert.Contains("index 3 is outside 0..2", e.Message);
    }

    [Fact]
    public void ImageAndLabelCountsMustAgree()
    {
        var e = Assert.Throws<ArgumentException>(() => new ImageDataset(new byte[6], [1, 1, 2], [0, 1], 3, "odd"));
        Assert.Contains("3 images but 2 labels", e.Message);
    }

    [Fact]
    public void PixelsMustBeWholeImages()
    {
        var e = Assert.Throws<ArgumentException>(() => new ImageDataset(new byte[5], [1, 1, 2], [0, 1], 3));
        Assert.Contains("5 pixel bytes are not a whole number of (1, 1, 2) images", e.Message);
    }

    [Fact]
    public void LabelOutsideTheClassesIsRefused()
    {
        var e = Assert.Throws<ArgumentException>(() => new ImageDataset(new byte[2], [1, 1, 2], [3], 3));
        Assert.Contains("label 3 of image 0 is outside 0..2", e.Message);
    }
}
