using System.Net;

namespace CourseKit.Display;

/// <summary>
/// An 8-bit picture (grayscale or RGB) made from a tensor, ready to show in a notebook as a PNG.
/// Pixels are interleaved row-major: gray per pixel, or R, G, B per pixel.
/// </summary>
[TypeFormatterSource(typeof(DisplayFormatterSource), PreferredMimeTypes = [Formatting.Html])]
public sealed class Image
{
    private readonly byte[] pixels;

    public Image(int width, int height, int channels, byte[] pixels)
    {
        Png.ColorType(channels); // validates 1 or 3
        if (width <= 0 || height <= 0)
            throw new ArgumentException($"Image: the size must be positive, got {width}x{height}.");
        if (pixels.Length != width * height * channels)
            throw new ArgumentException($"Image: {width}x{height} with {channels} channel(s) needs {width * height * channels} bytes, but {pixels.Length} were given.");
        Width = width;
        Height = height;
        Channels = channels;
        this.pixels = pixels;
    }

    public int Width { get; }
    public int Height { get; }

    /// <summary>1 for grayscale, 3 for RGB.</summary>
    public int Channels { get; }

    public ReadOnlySpan<byte> Pixels => pixels;

    /// <summary>The 0..255 level of channel <paramref name="c"/> at row <paramref name="y"/>, column <paramref name="x"/>.</summary>
    public byte this[int y, int x, int c = 0] => pixels[(y * Width + x) * Channels + c];

    /// <summary>
    /// An image from a tensor of shape (H, W), (C, H, W) with C = 1 or 3, or (N, C, H, W) (the first image;
    /// use <see cref="Mosaic"/> for all of them).
    /// </summary>
    public static Image FromTensor(Tensor tensor, ValueRange range = ValueRange.Auto)
    {
        var (c, h, w) = ImageShape(tensor.Shape, "Image.FromTensor");
        var values = tensor.ToArray();
        return FromPlanes(values.AsSpan(0, c * h * w), c, h, w, range);
    }

    /// <summary>
    /// One picture with all images of a batch (N, C, H, W) or (N, H, W) side by side, <paramref name="columns"/>
    /// per row, separated by <paramref name="padding"/> black pixels. The value range is shared by the batch.
    /// </summary>
    public static Image Mosaic(Tensor batch, int columns = 8, ValueRange range = ValueRange.Auto, int padding = 1)
    {
        var (n, c, h, w) = BatchShape(batch.Shape, "Image.Mosaic");
        if (columns <= 0) throw new ArgumentException($"Image.Mosaic: columns must be positive, got {columns}.");
        var values = batch.ToArray();
        var (lo, hi) = Limits(values, range);
        int cols = Math.Min(columns, n), rows = (n + cols - 1) / cols;
        int width = cols * w + (cols - 1) * padding, height = rows * h + (rows - 1) * padding;
        var result = new byte[width * height * c];
        for (int i = 0; i < n; i++)
        {
            var tile = FromPlanes(values.AsSpan(i * c * h * w, c * h * w), c, h, w, lo, hi);
            int top = i / cols * (h + padding), left = i % cols * (w + padding);
            for (int y = 0; y < h; y++)
                tile.Pixels.Slice(y * w * c, w * c).CopyTo(result.AsSpan(((top + y) * width + left) * c));
        }
        return new Image(width, height, c, result);
    }

    /// <summary>Splits a batch (N, C, H, W) or (N, H, W) into one image per item.</summary>
    public static Image[] Split(Tensor batch, ValueRange range = ValueRange.Auto)
    {
        var (n, c, h, w) = BatchShape(batch.Shape, "Image.Split");
        var values = batch.ToArray();
        var images = new Image[n];
        for (int i = 0; i < n; i++)
            images[i] = FromPlanes(values.AsSpan(i * c * h * w, c * h * w), c, h, w, range);
        return images;
    }

    /// <summary>Planar (C, H, W) values to an interleaved image, with the range taken from these values.</summary>
    internal static Image FromPlanes(ReadOnlySpan<float> planes, int c, int h, int w, ValueRange range)
    {
        var (lo, hi) = Limits(planes, range);
        return FromPlanes(planes, c, h, w, lo, hi);
    }

    private static Image FromPlanes(ReadOnlySpan<float> planes, int c, int h, int w, float lo, float hi)
    {
        var bytes = new byte[c * h * w];
        for (int ch = 0; ch < c; ch++)
            for (int p = 0; p < h * w; p++)
                bytes[p * c + ch] = ToLevel(planes[ch * h * w + p], lo, hi);
        return new Image(w, h, c, bytes);
    }

    /// <summary>The values that become black and white.</summary>
    internal static (float Lo, float Hi) Limits(ReadOnlySpan<float> values, ValueRange range)
    {
        switch (range)
        {
            case ValueRange.ZeroToOne: return (0f, 1f);
            case ValueRange.MinusOneToOne: return (-1f, 1f);
        }
        float lo = float.PositiveInfinity, hi = float.NegativeInfinity;
        foreach (float v in values)
        {
            if (float.IsNaN(v) || float.IsInfinity(v)) continue;
            lo = Math.Min(lo, v);
            hi = Math.Max(hi, v);
        }
        return lo <= hi ? (lo, hi) : (0f, 1f);
    }

    /// <summary>Maps v from [lo, hi] to 0..255, clipping outside values; a constant image (lo == hi) is mid-gray.</summary>
    internal static byte ToLevel(float v, float lo, float hi)
    {
        if (float.IsNaN(v)) return 0;
        if (hi <= lo) return 128;
        float t = Math.Clamp((v - lo) / (hi - lo), 0f, 1f);
        return (byte)MathF.Round(t * 255f);
    }

    /// <summary>This image enlarged <paramref name="factor"/> times, each pixel becoming a factor x factor block (nearest neighbour).</summary>
    public Image Scale(int factor)
    {
        if (factor < 1) throw new ArgumentException($"Image.Scale: the factor must be at least 1, got {factor}.");
        if (factor == 1) return this;
        int width = Width * factor, height = Height * factor, c = Channels;
        var result = new byte[width * height * c];
        for (int y = 0; y < height; y++)
        {
            var source = pixels.AsSpan(y / factor * Width * c, Width * c);
            var target = result.AsSpan(y * width * c, width * c);
            for (int x = 0; x < width; x++)
                source.Slice(x / factor * c, c).CopyTo(target[(x * c)..]);
        }
        return new Image(width, height, c, result);
    }

    /// <summary>The PNG file bytes.</summary>
    public byte[] ToPng() => Png.Encode(this);

    /// <summary>A data: URI to put in an img src, no file needed.</summary>
    public string ToDataUri() => "data:image/png;base64," + Convert.ToBase64String(ToPng());

    /// <summary>Writes the image as a PNG file.</summary>
    public void Save(string path) => File.WriteAllBytes(path, ToPng());

    /// <summary>An img element with the PNG inline; pixelated so that small images stay sharp when enlarged by CSS.</summary>
    public string ToHtml(string? alt = null) =>
        $"<img src=\"{ToDataUri()}\" class=\"coursekit-image\" width=\"{Width}\" height=\"{Height}\" alt=\"{WebUtility.HtmlEncode(alt ?? $"{Width}x{Height} image")}\" style=\"image-rendering:pixelated\"/>";

    public override string ToString() => $"Image {Width}x{Height} ({(Channels == 1 ? "grayscale" : "RGB")})";

    /// <summary>(C, H, W) of one image shape; (N, C, H, W) means the first image.</summary>
    internal static (int C, int H, int W) ImageShape(Shape shape, string operation)
    {
        var (c, h, w) = shape.Rank switch
        {
            2 => (1, shape[0], shape[1]),
            3 => (shape[0], shape[1], shape[2]),
            4 when shape[0] > 0 => (shape[1], shape[2], shape[3]),
            _ => throw new ArgumentException($"{operation}: an image tensor has shape (H, W), (C, H, W) or (N, C, H, W), but this one has shape {shape}."),
        };
        if (c != 1 && c != 3)
            throw new ArgumentException($"{operation}: shape {shape} has {c} channels; an image needs 1 (grayscale) or 3 (RGB). Show the channels one by one with NetworkViews.FeatureMaps.");
        if (h <= 0 || w <= 0) throw new ArgumentException($"{operation}: shape {shape} has an empty image.");
        return (c, h, w);
    }

    /// <summary>(N, C, H, W) of a batch shape; (N, H, W) means grayscale.</summary>
    internal static (int N, int C, int H, int W) BatchShape(Shape shape, string operation)
    {
        var (n, c, h, w) = shape.Rank switch
        {
            3 => (shape[0], 1, shape[1], shape[2]),
            4 => (shape[0], shape[1], shape[2], shape[3]),
            _ => throw new ArgumentException($"{operation}: a batch of images has shape (N, C, H, W) or (N, H, W), but this one has shape {shape}."),
        };
        if (c != 1 && c != 3)
            throw new ArgumentException($"{operation}: shape {shape} has {c} channels; images need 1 (grayscale) or 3 (RGB).");
        if (n <= 0 || h <= 0 || w <= 0) throw new ArgumentException($"{operation}: shape {shape} holds no image.");
        return (n, c, h, w);
    }
}
