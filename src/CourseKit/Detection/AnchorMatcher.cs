namespace CourseKit.Detection;

/// <summary>
/// Which anchors learn which object (Faster R-CNN's labelling of the region proposal network's anchors):
/// an anchor is positive for the object it overlaps most when that IoU ≥ <c>positive</c> (0.7), and every object also
/// claims the anchor(s) with its highest IoU, so no object is left without one; an anchor whose best IoU is
/// below <c>negative</c> (0.3) is background; the rest are ignored by the loss.
/// </summary>
public static class AnchorMatcher
{
    /// <summary>Background: the anchor learns "no object".</summary>
    public const int Negative = -1;

    /// <summary>Between the thresholds: the anchor takes no part in the loss.</summary>
    public const int Ignored = -2;

    /// <summary>For each anchor the index of its object, or <see cref="Negative"/>, or <see cref="Ignored"/>.</summary>
    public static int[] Match(IReadOnlyList<Box> anchors, IReadOnlyList<Box> objects, float positive = 0.7f, float negative = 0.3f)
    {
        if (negative > positive)
            throw new ArgumentException($"AnchorMatcher.Match: the negative threshold {negative} must not exceed the positive one {positive}.");
        var iou = IntersectionOverUnion.Matrix(anchors, objects);
        var result = new int[anchors.Count];
        for (int a = 0; a < anchors.Count; a++)
        {
            int best = -1; float bestIou = 0f;
            for (int o = 0; o < objects.Count; o++)
                if (iou[a, o] > bestIou) { bestIou = iou[a, o]; best = o; }
            result[a] = best >= 0 && bestIou >= positive ? best : bestIou < negative ? Negative : Ignored;
        }
        // Each object's best anchors are positive for it even below the threshold (ties: all of them).
        for (int o = 0; o < objects.Count; o++)
        {
            float top = 0f;
            for (int a = 0; a < anchors.Count; a++) top = Math.Max(top, iou[a, o]);
            if (top <= 0f) continue;
            for (int a = 0; a < anchors.Count; a++)
                if (iou[a, o] == top) result[a] = o;
        }
        return result;
    }
}
