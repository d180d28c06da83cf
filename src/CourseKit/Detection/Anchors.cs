namespace CourseKit.Detection;

/// <summary>
/// Anchor boxes of Faster R-CNN's region proposal network (lecture 6.1; SSD's default boxes are the same idea): at every
/// cell of a feature map, boxes of several scales and aspect ratios centred on the cell's centre in the image.
/// </summary>
public static class Anchors
{
    /// <summary>
    /// The anchors over a <paramref name="featureHeight"/> × <paramref name="featureWidth"/> feature map whose cells are
    /// <paramref name="stride"/> image pixels apart. Cell (i, j) is centred at ((j + ½)·stride, (i + ½)·stride).
    /// A scale s and an aspect ratio r = h / w give a box of area s² with w = s / √r and h = s·√r.
    /// Order: cells row by row, and within a cell scales in the outer loop, ratios in the inner one, so anchor
    /// k of cell (i, j) is number (i·W + j)·A + k with A = scales × ratios.
    /// </summary>
    public static Box[] Generate(int featureHeight, int featureWidth, float stride, IReadOnlyList<float> scales, IReadOnlyList<float> aspectRatios)
    {
        if (featureHeight <= 0 || featureWidth <= 0 || stride <= 0)
            throw new ArgumentException($"Anchors.Generate: the feature map {featureHeight}x{featureWidth} and the stride {stride} must be positive.");
        if (scales.Count == 0 || aspectRatios.Count == 0 || scales.Any(s => s <= 0) || aspectRatios.Any(r => r <= 0))
            throw new ArgumentException("Anchors.Generate: needs at least one scale and one aspect ratio, all positive.");
        var anchors = new Box[featureHeight * featureWidth * scales.Count * aspectRatios.Count];
        int k = 0;
        for (int i = 0; i < featureHeight; i++)
            for (int j = 0; j < featureWidth; j++)
            {
                float cx = (j + 0.5f) * stride, cy = (i + 0.5f) * stride;
                foreach (float s in scales)
                    foreach (float r in aspectRatios)
                    {
                        float root = MathF.Sqrt(r);
                        anchors[k++] = Box.FromCenter(cx, cy, s / root, s * root);
                    }
            }
        return anchors;
    }
}
