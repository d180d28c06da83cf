using CourseKit.Data;
using CourseKit.Data.Augmentation;

namespace CourseKit.Tests.Data.Augmentation;

/// <summary>
/// Segmentation augments an image and its mask together (3-8): one geometric transform per pair, brightness on the
/// image only, one-hot targets still summing to 1.
/// </summary>
public sealed class PairedAugmentationTests
{
    private static readonly RandomAugmentation Strong = new() { Shift = 0.15f, Zoom = 0.2f, Rotation = 30, Shear = 0.1f, VerticalFlip = true, Brightness = 0 };

    /// <summary>Four 1-channel images whose one-hot masks (2 channels) mark a bright square.</summary>
    private static (Tensor Images, Tensor Targets) Squares()
    {
        int n = 4, h = 12, w = 16;
        var image = new float[n * h * w];
        var target = new float[n * 2 * h * w];
        for (int i = 0; i < n; i++)
            for (int y = 0; y < h; y++)
                for (int x = 0; x < w; x++)
                {
                    bool inside = y >= 2 + i && y < 7 + i && x >= 3 + i && x < 10;
                    image[(i * h + y) * w + x] = inside ? 1 : 0;
                    target[((i * 2 + 0) * h + y) * w + x] = inside ? 0 : 1;
                    target[((i * 2 + 1) * h + y) * w + x] = inside ? 1 : 0;
                }
        return (Tensor.FromData([n, 1, h, w], image), Tensor.FromData([n, 2, h, w], target));
    }

    [Fact]
    public void ImageAndMaskMoveTogether()
    {
        // The image equals the mask's foreground plane, so after the same warp they must still be equal, pixel by pixel.
        var (images, targets) = Squares();
        var (x, t) = Strong.ApplyToPairs(images, targets, seed: 7);
        var (xs, ts) = (x.ToArray(), t.ToArray());
        int plane = 12 * 16;
        for (int i = 0; i < 4; i++)
            Assert.Equal(xs.AsSpan(i * plane, plane).ToArray(), ts.AsSpan((i * 2 + 1) * plane, plane).ToArray());
        Assert.NotEqual(images.ToArray(), xs);   // something did move
    }

    [Fact]
    public void EachPairGetsTheTransformOfItsOwnSeed()
    {
        var (images, targets) = Squares();
        var (x, _) = Strong.ApplyToPairs(images, targets, seed: 11);
        for (int i = 0; i < 4; i++)
        {
            var expected = Augment.Warp(images[i..(i + 1)].Reshape(1, 12, 16), Strong.Draw(SeededShuffle.Combine(11, (ulong)i), 12, 16));
            Assert.Equal(expected.ToArray(), x[i..(i + 1)].ToArray());
        }
        Assert.Equal(x.ToArray(), Strong.ApplyToPairs(images, targets, seed: 11).Images.ToArray());
        Assert.NotEqual(x.ToArray(), Strong.ApplyToPairs(images, targets, seed: 12).Images.ToArray());
    }

    [Fact]
    public void OneHotTargetsStillSumToOneAndBrightnessLeavesThemAlone()
    {
        var (bright, targets) = Squares();
        var images = bright * 0.5f;   // mid-grey squares, so that brightening is not clamped away
        var (x, t) = (Strong with { Brightness = 0.5f }).ApplyToPairs(images, targets, seed: 3);
        var ts = t.ToArray();
        int plane = 12 * 16;
        for (int i = 0; i < 4; i++)
            for (int p = 0; p < plane; p++)
                Assert.Equal(1f, ts[(i * 2) * plane + p] + ts[(i * 2 + 1) * plane + p], 5);
        // brightness scales the image but not the mask: the two no longer agree where the square is
        var geometryOnly = Strong.ApplyToPairs(images, targets, seed: 3);
        Assert.Equal(geometryOnly.Targets.ToArray(), ts);
        Assert.NotEqual(geometryOnly.Images.ToArray(), x.ToArray());
    }

    [Fact]
    public void MismatchedShapesNameBoth()
    {
        var (images, _) = Squares();
        var error = Assert.Throws<ArgumentException>(() => Strong.ApplyToPairs(images, Tensor.Zeros(4, 2, 12, 15), seed: 0));
        Assert.Contains("(4, 1, 12, 16)", error.Message);
        Assert.Contains("(4, 2, 12, 15)", error.Message);
    }
}
