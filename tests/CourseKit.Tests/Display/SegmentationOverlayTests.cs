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
