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
}
