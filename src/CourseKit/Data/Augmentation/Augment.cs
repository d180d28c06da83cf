namespace CourseKit.Data.Augmentation;

/// <summary>
/// The seven transformations of lecture 3.2, each a function of one image (C, H, W) that returns a new image:
/// shift, zoom in and out, cut, flip, rotation, brightness and shear. The geometric ones move pixels by an
/// <see cref="ImageTransform"/> and sample the input by <b>bilinear interpolation</b> (the four nearest pixels, weighted
/// by distance); a point outside the input takes the <b>nearest edge pixel</b> (Keras's fill_mode="nearest"), so no black
/// corners appear. At whole-pixel positions (integer shifts, flips) the result is an exact copy of pixels.
/// </summary>
public static class Augment
{
    /// <summary>Moves the content <paramref name="dx"/> pixels right and <paramref name="dy"/> down.</summary>
    public static Tensor Shift(Tensor image, float dx, float dy) => Warp(image, ImageTransform.Shift(dx, dy));

    /// <summary>Zoom in (<paramref name="scale"/> &gt; 1) or out (&lt; 1) about the centre.</summary>
    public static Tensor Zoom(Tensor image, float scale) => Warp(image, ImageTransform.Zoom(scale, Height(image), Width(image)));

    /// <summary>Cuts out the window at (top, left) of height × width pixels and stretches it back to the image's size.</summary>
    public static Tensor Cut(Tensor image, int top, int left, int height, int width)
    {
        int h = Height(image), w = Width(image);
        if (height <= 0 || width <= 0 || top < 0 || left < 0 || top + height > h || left + width > w)
            throw new ArgumentOutOfRangeException(nameof(image), $"Augment.Cut: the window ({top}, {left}) of {height}×{width} does not lie inside the {h}×{w} image.");
        return Warp(image, ImageTransform.Cut(top, left, height, width, h, w));
    }

    /// <summary>Mirror image left–right.</summary>
    public static Tensor FlipHorizontal(Tensor image) => Warp(image, ImageTransform.FlipHorizontal(Width(image)));

    /// <summary>Upside down. Lecture 3.2: photos are rarely upside down, so this is off unless the data can be (cells, satellite images).</summary>
    public static Tensor FlipVertical(Tensor image) => Warp(image, ImageTransform.FlipVertical(Height(image)));

    /// <summary>Rotation by <paramref name="degrees"/> about the centre, counter-clockwise on the screen.</summary>
    public static Tensor Rotate(Tensor image, float degrees) => Warp(image, ImageTransform.Rotation(degrees, Height(image), Width(image)));

    /// <summary>Shear x ↦ x + k·(y − cy): a linear transformation that slants vertical lines.</summary>
    public static Tensor Shear(Tensor image, float k) => Warp(image, ImageTransform.Shear(k, Height(image), Width(image)));

    /// <summary>Every pixel times <paramref name="factor"/> (below 1 darker, above 1 brighter), clipped to [0, 1].</summary>
    public static Tensor Brightness(Tensor image, float factor)
    {
        CheckImage(image, "Brightness");
        var values = image.ToArray();
        Brighten(values, factor);
        return Tensor.FromData(image.Shape, values);
    }

    /// <summary>The image moved by <paramref name="transform"/>: output pixel p is the input sampled at transform⁻¹(p).</summary>
    public static Tensor Warp(Tensor image, ImageTransform transform)
    {
        CheckImage(image, "Warp");
        var result = new float[image.Length];
        Warp(image.ToArray(), result, image.Shape[0], image.Shape[1], image.Shape[2], transform);
        return Tensor.FromData(image.Shape, result);
    }

    /// <summary>
    /// The warp on raw (C, H, W) planes, as the augmentation pipeline runs it: bilinear interpolation, edge pixels
    /// repeated outside the image.
    /// </summary>
    public static void Warp(ReadOnlySpan<float> source, Span<float> target, int channels, int height, int width, ImageTransform transform)
    {
        var back = transform.Inverse();
        int plane = height * width;
        for (int y = 0; y < height; y++)
        {
            // the input position of output pixel (x, y) moves by (back.Xx, back.Yx) per step in x
            float sx = back.Xy * y + back.X0, sy = back.Yy * y + back.Y0;
            for (int x = 0; x < width; x++, sx += back.Xx, sy += back.Yx)
            {
                float cx = Math.Clamp(sx, 0, width - 1), cy = Math.Clamp(sy, 0, height - 1);  // nearest edge pixel outside
                int x0 = Math.Min((int)cx, width - 2 < 0 ? 0 : width - 2), y0 = Math.Min((int)cy, height - 2 < 0 ? 0 : height - 2);
                int x1 = Math.Min(x0 + 1, width - 1), y1 = Math.Min(y0 + 1, height - 1);
                float fx = cx - x0, fy = cy - y0;
                float w00 = (1 - fx) * (1 - fy), w01 = fx * (1 - fy), w10 = (1 - fx) * fy, w11 = fx * fy;
                int i00 = y0 * width + x0, i01 = y0 * width + x1, i10 = y1 * width + x0, i11 = y1 * width + x1, o = y * width + x;
                for (int c = 0, p = 0; c < channels; c++, p += plane)
                    target[p + o] = w00 * source[p + i00] + w01 * source[p + i01] + w10 * source[p + i10] + w11 * source[p + i11];
            }
        }
    }

    /// <summary>Brightness on raw values, in place.</summary>
    public static void Brighten(Span<float> values, float factor)
    {
        foreach (ref float v in values) v = Math.Clamp(v * factor, 0f, 1f);
    }

    private static int Height(Tensor image) => CheckImage(image, "augmentation").Shape[1];
    private static int Width(Tensor image) => CheckImage(image, "augmentation").Shape[2];

    private static Tensor CheckImage(Tensor image, string operation) =>
        image.Rank == 3 ? image
            : throw new ArgumentException($"Augment.{operation}: expects one image (C, H, W), got {image.Shape}; for a batch (N, C, H, W) take image[i] or use a DataLoader with augmentation.");
}
