namespace CourseKit.Detection;

/// <summary>
/// Intersection over union (IoU, the Jaccard index) of two boxes: area(A ∩ B) / area(A ∪ B), in [0, 1].
/// The measure every part of detection is judged by: matching anchors to objects, non-maximum suppression, and
/// whether a detection counts as correct (IoU ≥ 0.5 in Pascal VOC's mAP@0.5).
/// </summary>
public static class IntersectionOverUnion
{
    /// <summary>IoU of two boxes in the continuous pixel convention of <see cref="Box"/> (width = x2 − x1).</summary>
    public static float Of(Box a, Box b)
    {
        Grading.LibraryTwin.Used("IntersectionOverUnion.Of");
        float iw = Math.Min(a.X2, b.X2) - Math.Max(a.X1, b.X1);
        float ih = Math.Min(a.Y2, b.Y2) - Math.Max(a.Y1, b.Y1);
        if (iw <= 0 || ih <= 0) return 0f;  // disjoint, or touching along an edge
        float intersection = iw * ih;
        float union = a.Area + b.Area - intersection;
        return union > 0 ? intersection / union : 0f;
    }

    /// <summary>The IoU of every box of <paramref name="a"/> (rows) with every box of <paramref name="b"/> (columns).</summary>
    public static float[,] Matrix(IReadOnlyList<Box> a, IReadOnlyList<Box> b)
    {
        var m = new float[a.Count, b.Count];
        for (int i = 0; i < a.Count; i++)
            for (int j = 0; j < b.Count; j++)
                m[i, j] = Of(a[i], b[j]);
        return m;
    }
}
