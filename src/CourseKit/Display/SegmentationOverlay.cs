namespace CourseKit.Display;

/// <summary>
/// A segmentation mask drawn over its image (lecture 5.4 U-Net, 6.3 semantic segmentation: one class per pixel):
/// each pixel is blended towards <c>color</c> by alpha times the mask value.
/// </summary>
public static class SegmentationOverlay
{
    /// <summary>
    /// The image (H, W), (C, H, W) or (N, C, H, W) (first image) tinted where the mask (H, W) or (1, H, W) is on.
    /// Mask values are clipped to [0, 1], so a binary mask and a probability map both work.
    /// </summary>
    public static Image Create(Tensor image, Tensor mask, Rgb? color = null, double alpha = 0.5, ValueRange range = ValueRange.Auto)
    {
        if (alpha is < 0 or > 1) throw new ArgumentException($"SegmentationOverlay: alpha must be in [0, 1], got {alpha}.");
        var picture = Image.FromTensor(image, range);
        int h = picture.Height, w = picture.Width;
        bool fits = mask.Shape.Rank switch
        {
            2 => mask.Shape[0] == h && mask.Shape[1] == w,
            3 => mask.Shape[0] == 1 && mask.Shape[1] == h && mask.Shape[2] == w,
            4 => mask.Shape[0] == 1 && mask.Shape[1] == 1 && mask.Shape[2] == h && mask.Shape[3] == w,
            _ => false,
        };
        if (!fits)
            throw new ArgumentException($"SegmentationOverlay: the mask has shape {mask.Shape}, but the image {image.Shape} needs a mask of shape ({h}, {w}) or (1, {h}, {w}).");
        var tint = color ?? Rgb.Red;
        ReadOnlySpan<byte> rgb = [tint.R, tint.G, tint.B];
        var weights = mask.ToArray();
        var result = new byte[h * w * 3];
        for (int p = 0; p < h * w; p++)
        {
            float m = float.IsNaN(weights[p]) ? 0f : Math.Clamp(weights[p], 0f, 1f);
            double a = alpha * m;
            for (int c = 0; c < 3; c++)
            {
                byte under = picture.Pixels[p * picture.Channels + (picture.Channels == 3 ? c : 0)];
                result[p * 3 + c] = (byte)Math.Round((1 - a) * under + a * rgb[c]);
            }
        }
        return new Image(w, h, 3, result);
    }
    /// <summary>
    /// Truth and prediction over one image (H, W), (C, H, W) or (N, C, H, W) (first image), in one picture:
    /// yellow where both say "object" (hits), green where only the truth does (missed), red where only the prediction
    /// does (false alarms). Masks are on above 0.5, of shape (H, W), (1, H, W) or (1, 1, H, W).
    /// </summary>
    public static Image Compare(Tensor image, Tensor truth, Tensor predicted, double alpha = 0.6, ValueRange range = ValueRange.Auto)
    {
        if (alpha is < 0 or > 1) throw new ArgumentException($"SegmentationOverlay: alpha must be in [0, 1], got {alpha}.");
        var picture = Image.FromTensor(image, range);
        int h = picture.Height, w = picture.Width;
        CheckMask(truth, image, h, w, "true mask");
        CheckMask(predicted, image, h, w, "predicted mask");
        var (t, p) = (truth.ToArray(), predicted.ToArray());
        var result = new byte[h * w * 3];
        for (int q = 0; q < h * w; q++)
        {
            bool inTruth = t[q] > 0.5f, inPrediction = p[q] > 0.5f;
            Rgb? tint = (inTruth, inPrediction) switch { (true, true) => Rgb.Yellow, (true, false) => Rgb.Green, (false, true) => Rgb.Red, _ => null };
            double a = tint is null ? 0 : alpha;
            var c = tint ?? Rgb.Red;
            ReadOnlySpan<byte> rgb = [c.R, c.G, c.B];
            for (int k = 0; k < 3; k++)
            {
                byte under = picture.Pixels[q * picture.Channels + (picture.Channels == 3 ? k : 0)];
                result[q * 3 + k] = (byte)Math.Round((1 - a) * under + a * rgb[k]);
            }
        }
        return new Image(w, h, 3, result);
    }

    /// <summary>
    /// <see cref="Compare"/> for every image of (N, C, H, W) images and (N, 1, H, W) masks, as a grid with a caption per
    /// image (for example its Dice). Colours: yellow hit, green missed, red false alarm.
    /// </summary>
    public static ImageGrid CompareBatch(Tensor images, Tensor truth, Tensor predicted, IReadOnlyList<string>? captions = null,
                                         string? title = null, int? count = null)
    {
        if (images.Rank != 4 || truth.Rank != 4 || predicted.Rank != 4 || truth.Shape[0] != images.Shape[0] || predicted.Shape[0] != images.Shape[0])
            throw new ArgumentException($"SegmentationOverlay.CompareBatch: needs (N, C, H, W) images and (N, 1, H, W) masks of the same N, got {images.Shape}, {truth.Shape} and {predicted.Shape}.");
        int n = Math.Min(count ?? images.Shape[0], images.Shape[0]);
        var grid = new ImageGrid { Title = title ?? "yellow: hit, green: missed, red: false alarm" };
        for (int i = 0; i < n; i++)
            grid.Add(Compare(images[(Slice)i], truth[(Slice)i], predicted[(Slice)i]), captions is null ? null : captions[i]);
        return grid;
    }

    private static void CheckMask(Tensor mask, Tensor image, int h, int w, string what)
    {
        bool fits = mask.Shape.Rank switch
        {
            2 => mask.Shape[0] == h && mask.Shape[1] == w,
            3 => mask.Shape[0] == 1 && mask.Shape[1] == h && mask.Shape[2] == w,
            4 => mask.Shape[0] == 1 && mask.Shape[1] == 1 && mask.Shape[2] == h && mask.Shape[3] == w,
            _ => false,
        };
        if (!fits)
            throw new ArgumentException($"SegmentationOverlay: the {what} has shape {mask.Shape}, but the image {image.Shape} needs a mask of shape ({h}, {w}) or (1, {h}, {w}).");
    }
}
