namespace CourseKit.Detection;

/// <summary>
/// Mask R-CNN's mask targets (lecture 6.5): an object's mask is learned on a fixed M × M grid laid over its box (the
/// RoI align output's grid), and a predicted M × M mask is pasted back into the image inside its box.
/// </summary>
public static class InstanceMasks
{
    /// <summary>
    /// The mask sampled at the centres of an M × M grid of bins over <paramref name="box"/>: 1 where the image pixel under
    /// a bin's centre belongs to the object (pixel convention of <see cref="Box"/>), else 0.
    /// </summary>
    public static float[] Target(bool[] mask, int width, Box box, int m)
    {
        int height = mask.Length / width;
        var t = new float[m * m];
        for (int p = 0; p < m; p++)
            for (int q = 0; q < m; q++)
            {
                int y = (int)MathF.Floor(box.Y1 + (p + 0.5f) * box.Height / m), x = (int)MathF.Floor(box.X1 + (q + 0.5f) * box.Width / m);
                t[p * m + q] = (uint)y < (uint)height && (uint)x < (uint)width && mask[y * width + x] ? 1f : 0f;
            }
        return t;
    }

    /// <summary>
    /// An M × M mask of probabilities pasted into a <paramref name="width"/> × <paramref name="height"/> image: every pixel
    /// whose centre lies in <paramref name="box"/> takes the value of the bin it falls in; it is on when that is ≥ <paramref name="threshold"/>.
    /// </summary>
    public static bool[] Paste(ReadOnlySpan<float> probabilities, int m, Box box, int width, int height, float threshold = 0.5f)
    {
        var result = new bool[width * height];
        for (int y = Math.Max(0, (int)MathF.Floor(box.Y1)); y < Math.Min(height, (int)MathF.Ceiling(box.Y2)); y++)
            for (int x = Math.Max(0, (int)MathF.Floor(box.X1)); x < Math.Min(width, (int)MathF.Ceiling(box.X2)); x++)
            {
                float u = (x + 0.5f - box.X1) / box.Width * m, v = (y + 0.5f - box.Y1) / box.Height * m;
                if (u < 0 || v < 0 || u >= m || v >= m) continue;  // the pixel's centre is outside the box
                result[y * width + x] = probabilities[(int)v * m + (int)u] >= threshold;
            }
        return result;
    }

    /// <summary>IoU of two masks: pixels in both / pixels in either (1 when both are empty).</summary>
    public static float Iou(bool[] a, bool[] b)
    {
        int both = 0, either = 0;
        for (int i = 0; i < a.Length; i++) { if (a[i] && b[i]) both++; if (a[i] || b[i]) either++; }
        return either == 0 ? 1f : (float)both / either;
    }
}
