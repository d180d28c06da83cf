namespace CourseKit.Detection;

/// <summary>
/// Greedy non-maximum suppression (R-CNN, YOLO): several boxes usually fire on one object; keep the highest-scoring
/// box, drop every remaining box that overlaps it by more than the threshold, and repeat with the next best survivor.
/// </summary>
public static class NonMaximumSuppression
{
    /// <summary>
    /// The indices of the boxes kept, highest score first. A box is suppressed when its IoU with a kept box of higher
    /// score is greater than <paramref name="iouThreshold"/>. Equal scores keep the earlier box first (a stable order).
    /// </summary>
    public static int[] Greedy(IReadOnlyList<Box> boxes, IReadOnlyList<float> scores, float iouThreshold = 0.5f)
    {
        Grading.LibraryTwin.Used("NonMaximumSuppression.Greedy");
        if (boxes.Count != scores.Count)
            throw new ArgumentException($"NonMaximumSuppression: {boxes.Count} boxes but {scores.Count} scores; each box needs one score.");
        var order = Enumerable.Range(0, boxes.Count).OrderByDescending(i => scores[i]).ToArray();  // OrderBy is stable
        var suppressed = new bool[boxes.Count];
        var kept = new List<int>();
        for (int a = 0; a < order.Length; a++)
        {
            int i = order[a];
            if (suppressed[i]) continue;
            kept.Add(i);
            for (int b = a + 1; b < order.Length; b++)  // only boxes of lower score can be suppressed by i
                if (IntersectionOverUnion.Of(boxes[i], boxes[order[b]]) > iouThreshold) suppressed[order[b]] = true;
        }
        return [.. kept];
    }

    /// <summary>
    /// NMS run separately for each class (a circle never suppresses an overlapping square), the survivors of all
    /// classes together, highest score first.
    /// </summary>
    public static DetectedObject[] PerClass(IReadOnlyList<DetectedObject> detections, float iouThreshold = 0.5f)
    {
        var result = new List<DetectedObject>();
        foreach (var group in detections.GroupBy(d => d.Class))
        {
            var list = group.ToList();
            foreach (int i in Greedy([.. list.Select(d => d.Box)], [.. list.Select(d => d.Score)], iouThreshold)) result.Add(list[i]);
        }
        return [.. result.OrderByDescending(d => d.Score)];
    }
}
