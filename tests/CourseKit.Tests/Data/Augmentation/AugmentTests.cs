using CourseKit.Data.Augmentation;

namespace CourseKit.Tests.Data.Augmentation;

/// <summary>
/// The geometry of every transformation of lecture 3.2: a known pixel goes where the formula says, flips and identity
/// maps are exact, interpolation is bilinear and the fill outside is the nearest edge pixel.
/// </summary>
public sealed class AugmentTests
{
    /// <summary>A (C, H, W) image whose every pixel is distinct: value = c·1000 + y·100 + x, scaled to stay below 1.</summary>
    private static Tensor Numbered(int c, int h, int w)
    {
        var values = new float[c * h * w];
        for (int k = 0; k < c; k++)
            for (int y = 0; y < h; y++)
                for (int x = 0; x < w; x++) values[(k * h + y) * w + x] = (k * 1000 + y * 100 + x) / 4096f;
        return Tensor.FromData([c, h, w], values);
    }

    private static float At(Tensor t, int c, int y, int x) => t[c, y, x];

    [Fact]
    public void IntegerShiftMovesEveryPixelAndRepeatsTheEdgeWhereNothingCameIn()
    {
        var image = Numbered(2, 5, 7);
        var shifted = Augment.Shift(image, 2, -1);  // 2 right, 1 up
        for (int c = 0; c < 2; c++)
            for (int y = 0; y < 5; y++)
                for (int x = 0; x < 7; x++)
                {
                    int sy = Math.Clamp(y + 1, 0, 4), sx = Math.Clamp(x - 2, 0, 6);  // output (y, x) = input (y − dy, x − dx), edges repeated
                    Assert.Equal(At(image, c, sy, sx), At(shifted, c, y, x));
                }
    }

    [Fact]
    public void HalfPixelShiftIsTheMeanOfTwoNeighboursBilinear()
    {
        var image = Numbered(1, 3, 4);
        var shifted = Augment.Shift(image, 0.5f, 0);
        Assert.Equal((At(image, 0, 1, 1) + At(image, 0, 1, 2)) / 2, At(shifted, 0, 1, 2), 6);
        var both = Augment.Shift(image, 0.25f, 0.5f);  // weights ¾·½, ¼·½ on rows 0 and 1
        float expected = 0.5f * (0.75f * At(image, 0, 0, 2) + 0.25f * At(image, 0, 0, 1)) + 0.5f * (0.75f * At(image, 0, 1, 2) + 0.25f * At(image, 0, 1, 1));
        Assert.Equal(expected, At(both, 0, 1, 2), 6);
    }

    [Fact]
    public void HorizontalFlipMirrorsColumnsAndTwiceIsTheIdentity()
    {
        var image = Numbered(3, 4, 5);
        var flipped = Augment.FlipHorizontal(image);
        Assert.Equal(At(image, 2, 1, 4), At(flipped, 2, 1, 0));
        Assert.Equal(At(image, 0, 3, 1), At(flipped, 0, 3, 3));
        Assert.Equal(image.ToArray(), Augment.FlipHorizontal(flipped).ToArray());
        var upsideDown = Augment.FlipVertical(image);
        Assert.Equal(At(image, 1, 0, 2), At(upsideDown, 1, 3, 2));
        Assert.Equal(image.ToArray(), Augment.FlipVertical(upsideDown).ToArray());
    }

    [Fact]
    public void RotationByZeroAndZoomByOneAndShearByZeroAreTheIdentity()
    {
        var image = Numbered(3, 6, 6);
        Assert.Equal(image.ToArray(), Augment.Rotate(image, 0).ToArray());
        Assert.Equal(image.ToArray(), Augment.Zoom(image, 1).ToArray());
        Assert.Equal(image.ToArray(), Augment.Shear(image, 0).ToArray());
        Assert.Equal(image.ToArray(), Augment.Brightness(image, 1).ToArray());
        Assert.Equal(image.ToArray(), Augment.Cut(image, 0, 0, 6, 6).ToArray());
    }

    [Fact]
    public void RotationBy90DegreesTurnsCounterClockwiseOnTheScreen()
    {
        // 5×5, centre (2, 2): counter-clockwise, the pixel right of the centre goes above it, (x, y) = (4, 2) → (2, 0).
        var image = Numbered(1, 5, 5);
        var turned = Augment.Rotate(image, 90);
        Assert.Equal(At(image, 0, 2, 4), At(turned, 0, 0, 2), 5);
        Assert.Equal(At(image, 0, 0, 0), At(turned, 0, 4, 0), 5);  // top left → bottom left
        Assert.Equal(At(image, 0, 2, 2), At(turned, 0, 2, 2), 5);  // the centre stays
        // Four quarter turns: every pixel back in place.
        var back = Augment.Rotate(Augment.Rotate(Augment.Rotate(turned, 90), 90), 90);
        Assert.Equal(image.ToArray(), back.ToArray(), new FloatTolerance(1e-5f));
    }

    [Fact]
    public void ZoomInByTwoSpreadsTheCentreAndZoomOutShrinks()
    {
        // 5×5, centre 2: zoom 2 sends input x to 2 + 2·(x − 2), so output x reads input 2 + (x − 2)/2: 4 reads 3, 0 reads 1.
        var image = Numbered(1, 5, 5);
        var zoomed = Augment.Zoom(image, 2);
        Assert.Equal(At(image, 0, 3, 3), At(zoomed, 0, 4, 4), 5);
        Assert.Equal(At(image, 0, 1, 1), At(zoomed, 0, 0, 0), 5);
        Assert.Equal((At(image, 0, 2, 2) + At(image, 0, 2, 3)) / 2, At(zoomed, 0, 2, 3), 5);  // x = 3 reads 2.5
        var small = Augment.Zoom(image, 0.5f);  // output x reads 2 + 2·(x − 2): x = 3 reads 4
        Assert.Equal(At(image, 0, 4, 4), At(small, 0, 3, 3), 5);
    }

    [Fact]
    public void ShearMovesEachRowInProportionToItsDistanceFromTheCentre()
    {
        var image = Numbered(1, 5, 7);
        var sheared = Augment.Shear(image, 1);  // x' = x + (y − 2): row 4 moves 2 right, row 0 moves 2 left, row 2 stays
        Assert.Equal(At(image, 0, 2, 3), At(sheared, 0, 2, 3));
        Assert.Equal(At(image, 0, 4, 1), At(sheared, 0, 4, 3));
        Assert.Equal(At(image, 0, 0, 5), At(sheared, 0, 0, 3));
    }

    [Fact]
    public void CutStretchesTheWindowOverTheWholeImage()
    {
        // The 2×2 window at (1, 1) of a 4×4 image, stretched ×2: output pixel centres 0..3 read the image at 0.75, 1.25, 1.75, 2.25.
        var image = Numbered(1, 4, 4);
        var cut = Augment.Cut(image, 1, 1, 2, 2);
        float Bilinear(float y, float x)
        {
            int y0 = (int)MathF.Floor(y), x0 = (int)MathF.Floor(x);
            float fy = y - y0, fx = x - x0;
            return (1 - fy) * ((1 - fx) * At(image, 0, y0, x0) + fx * At(image, 0, y0, x0 + 1)) + fy * ((1 - fx) * At(image, 0, y0 + 1, x0) + fx * At(image, 0, y0 + 1, x0 + 1));
        }
        Assert.Equal(Bilinear(0.75f, 0.75f), At(cut, 0, 0, 0), 5);
        Assert.Equal(Bilinear(1.25f, 2.25f), At(cut, 0, 1, 3), 5);
        Assert.Equal(Bilinear(1.75f, 1.25f), At(cut, 0, 2, 1), 5);
        Assert.Throws<ArgumentOutOfRangeException>(() => Augment.Cut(image, 3, 0, 2, 2));
    }

    [Fact]
    public void BrightnessMultipliesAndClipsToOne()
    {
        Tensor image = new float[,,] { { { 0.2f, 0.6f }, { 0.9f, 0f } } };
        Assert.Equal([0.3f, 0.9f, 1f, 0f], Augment.Brightness(image, 1.5f).ToArray(), new FloatTolerance(1e-6f));
        Assert.Equal([0.1f, 0.3f, 0.45f, 0f], Augment.Brightness(image, 0.5f).ToArray(), new FloatTolerance(1e-6f));
    }

    [Fact]
    public void ComposedTransformIsOneMapAndItsInverseUndoesIt()
    {
        var t = ImageTransform.Rotation(30, 32, 32).Then(ImageTransform.Shear(0.2f, 32, 32)).Then(ImageTransform.Shift(3, -2));
        var (x, y) = t.Apply(5, 7);
        var r = ImageTransform.Rotation(30, 32, 32).Apply(5, 7);
        var s = ImageTransform.Shear(0.2f, 32, 32).Apply(r.X, r.Y);
        Assert.Equal(s.X + 3, x, 4);
        Assert.Equal(s.Y - 2, y, 4);
        var back = t.Inverse().Apply(x, y);
        Assert.Equal(5, back.X, 4);
        Assert.Equal(7, back.Y, 4);
    }

    [Fact]
    public void AWholeBatchIsRefusedWithAHint()
    {
        var e = Assert.Throws<ArgumentException>(() => Augment.FlipHorizontal(Tensor.Zeros(2, 3, 4, 4)));
        Assert.Contains("(C, H, W)", e.Message);
    }

    private sealed class FloatTolerance(float tolerance) : IEqualityComparer<float>
    {
        public bool Equals(float a, float b) => Math.Abs(a - b) <= tolerance;
        public int GetHashCode(float value) => 0;
    }
}
