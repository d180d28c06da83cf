using CourseKit.Display;

namespace CourseKit.Tests.Display;

public sealed class SegmentationOverlayTests
{
    [Fact]
    public void Overlay_blends_masked_pixels_towards_the_colour_by_alpha_and_keeps_the_rest()
    {
        var image = TestImages.RandomTensor(30, 6, 7);
        var maskValues = new float[42];
        for (int p = 0; p < 42; p++) maskValues[p] = p % 3 == 0 ? 1f : 0f;
        var color = new Rgb(10, 200, 90);
        var overlay = SegmentationOverlay.Create(image, new Tensor([6, 7], maskValues), color, alpha: 0.25);
        var gray = Image.FromTensor(image);
        Assert.Equal(3, overlay.Channels);
        byte[] tint = [color.R, color.G, color.B];
        for (int y = 0; y < 6; y++)
            for (int x = 0; x < 7; x++)
                for (int c = 0; c < 3; c++)
                {
                    double a = maskValues[y * 7 + x] * 0.25;
                    Assert.Equal((byte)Math.Round((1 - a) * gray[y, x] + a * tint[c]), overlay[y, x, c]);
                }
    }

    [Fact]
    public void Overlay_rejects_a_mask_of_another_size_naming_both_shapes()
    {
        var error = Assert.Throws<ArgumentException>(() =>
            SegmentationOverlay.Create(Tensor.Zeros(3, 8, 8), Tensor.Zeros(4, 4)));
        Assert.Contains("(4, 4)", error.Message);
        Assert.Contains("(3, 8, 8)", error.Message);
    }
}

public sealed class SegmentationComparisonTests
{
    [Fact]
    public void Compare_colours_hits_misses_and_false_alarms()
    {
        var image = Tensor.Full([1, 2, 2], 0.5f);
        var truth = new Tensor([2, 2], new float[] { 1, 1, 0, 0 });
        var predicted = new Tensor([2, 2], new float[] { 1, 0, 1, 0 });
        var picture = SegmentationOverlay.Compare(image, truth, predicted, alpha: 1, range: ValueRange.ZeroToOne);
        Assert.Equal(Rgb.Yellow, new Rgb(picture[0, 0, 0], picture[0, 0, 1], picture[0, 0, 2]));   // both
        Assert.Equal(Rgb.Green, new Rgb(picture[0, 1, 0], picture[0, 1, 1], picture[0, 1, 2]));    // missed
        Assert.Equal(Rgb.Red, new Rgb(picture[1, 0, 0], picture[1, 0, 1], picture[1, 0, 2]));      // false alarm
        byte gray = picture[1, 1, 0];
        Assert.Equal((gray, gray), (picture[1, 1, 1], picture[1, 1, 2]));                          // untouched
        Assert.InRange(gray, 127, 128);
    }

    [Fact]
    public void Compare_batch_makes_one_captioned_picture_per_image()
    {
        var grid = SegmentationOverlay.CompareBatch(Tensor.Zeros(3, 1, 4, 4), Tensor.Zeros(3, 1, 4, 4), Tensor.Ones(3, 1, 4, 4), ["a", "b", "c"], count: 2);
        Assert.Equal(2, grid.Items.Count);
        Assert.Equal("b", grid.Items[1].Caption);
        Assert.Contains("(1, 4, 4)", Assert.Throws<ArgumentException>(() => SegmentationOverlay.Compare(Tensor.Zeros(1, 4, 4), Tensor.Zeros(1, 4, 4), Tensor.Zeros(1, 3, 4))).Message);
    }
}
