namespace CourseKit.Data.Augmentation;

/// <summary>
/// A geometric transformation of the image plane as an affine map of pixel coordinates (x to the right, y down, pixel
/// centres at whole numbers): a point (x, y) of the input goes to (Xx·x + Xy·y + X0, Yx·x + Yy·y + Y0) in the output.
/// Shift, zoom, cut, flips, rotation and shear (lecture 3.2) are all of this kind, so any composition of them is one map
/// and an augmented image is sampled once (<see cref="Augment.Warp"/>).
/// </summary>
public readonly record struct ImageTransform(float Xx, float Xy, float X0, float Yx, float Yy, float Y0)
{
    public static ImageTransform Identity => new(1, 0, 0, 0, 1, 0);

    /// <summary>The content moves <paramref name="dx"/> pixels right and <paramref name="dy"/> down.</summary>
    public static ImageTransform Shift(float dx, float dy) => new(1, 0, dx, 0, 1, dy);

    /// <summary>Scaling by <paramref name="scale"/> about the image centre: above 1 zooms in, below 1 zooms out.</summary>
    public static ImageTransform Zoom(float scale, int height, int width) => AboutCentre(new(scale, 0, 0, 0, scale, 0), height, width);

    /// <summary>
    /// The window of <paramref name="cutHeight"/>×<paramref name="cutWidth"/> pixels at (<paramref name="top"/>, <paramref name="left"/>)
    /// cut out and stretched to the whole image (its pixel edges onto the image's edges).
    /// </summary>
    public static ImageTransform Cut(int top, int left, int cutHeight, int cutWidth, int height, int width)
    {
        float sx = (float)width / cutWidth, sy = (float)height / cutHeight;
        // pixel edge left − ½ goes to −½ and left + cutWidth − ½ to width − ½
        return new(sx, 0, (0.5f - left) * sx - 0.5f, 0, sy, (0.5f - top) * sy - 0.5f);
    }

    /// <summary>Mirror left–right: x ↦ W − 1 − x.</summary>
    public static ImageTransform FlipHorizontal(int width) => new(-1, 0, width - 1, 0, 1, 0);

    /// <summary>Mirror upside down: y ↦ H − 1 − y.</summary>
    public static ImageTransform FlipVertical(int height) => new(1, 0, 0, 0, -1, height - 1);

    /// <summary>Rotation by <paramref name="degrees"/> about the centre, counter-clockwise as seen on the screen (y points down).</summary>
    public static ImageTransform Rotation(float degrees, int height, int width)
    {
        double a = degrees * Math.PI / 180;
        float c = (float)Math.Cos(a), s = (float)Math.Sin(a);
        return AboutCentre(new(c, s, 0, -s, c, 0), height, width);
    }

    /// <summary>Horizontal shear about the centre row: x ↦ x + k·(y − cy), rows below the centre move right for k &gt; 0.</summary>
    public static ImageTransform Shear(float k, int height, int width) => AboutCentre(new(1, k, 0, 0, 1, 0), height, width);

    /// <summary>This map, then <paramref name="next"/>.</summary>
    public ImageTransform Then(ImageTransform next) => new(
        next.Xx * Xx + next.Xy * Yx, next.Xx * Xy + next.Xy * Yy, next.Xx * X0 + next.Xy * Y0 + next.X0,
        next.Yx * Xx + next.Yy * Yx, next.Yx * Xy + next.Yy * Yy, next.Yx * X0 + next.Yy * Y0 + next.Y0);

    /// <summary>Where the input point (x, y) goes.</summary>
    public (float X, float Y) Apply(float x, float y) => (Xx * x + Xy * y + X0, Yx * x + Yy * y + Y0);

    /// <summary>The map back from output to input: what the warp samples for each output pixel.</summary>
    public ImageTransform Inverse()
    {
        float det = Xx * Yy - Xy * Yx;
        if (MathF.Abs(det) < 1e-12f) throw new InvalidOperationException($"ImageTransform {this} squashes the image to a line: it has no inverse.");
        float ixx = Yy / det, ixy = -Xy / det, iyx = -Yx / det, iyy = Xx / det;
        return new(ixx, ixy, -(ixx * X0 + ixy * Y0), iyx, iyy, -(iyx * X0 + iyy * Y0));
    }

    // A linear map applied about the image centre (cx, cy) = ((W − 1)/2, (H − 1)/2): p ↦ c + L·(p − c).
    private static ImageTransform AboutCentre(ImageTransform linear, int height, int width)
    {
        float cx = (width - 1) / 2f, cy = (height - 1) / 2f;
        return Shift(-cx, -cy).Then(linear).Then(Shift(cx, cy));
    }
}
