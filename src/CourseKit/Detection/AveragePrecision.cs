namespace CourseKit.Detection;

/// <summary>
/// Average precision of one class and its mean over classes (mAP), the figure the lecture's tables compare detectors by
/// (Faster R-CNN 73.2, YOLO 63.4, SSD300 74.3 mAP on Pascal VOC).
/// <para>Matching (Pascal VOC): the detections of a class, over all images, are taken by decreasing score; each is a true
/// positive when its best-overlapping ground-truth object of that class in its image has IoU ≥ the threshold and was
/// not matched before, otherwise a false positive (a second detection of one object counts against the detector).
/// Precision and recall are taken after each detection; AP is the area under the precision–recall curve with VOC's
/// all-point interpolation (VOC 2010 onward): AP = Σₖ (rₖ − rₖ₋₁) · maxⱼ≥ₖ pⱼ, the precision made monotone from the right.</para>
/// </summary>
public static class AveragePrecision
{
    /// <summary>
    /// AP of class <paramref name="classIndex"/>: <paramref name="detections"/> and <paramref name="truths"/> hold one list per image.
    /// NaN when the class has no ground-truth object (recall is undefined).
    /// </summary>
    public static double Of(IReadOnlyList<IReadOnlyList<DetectedObject>> detections, IReadOnlyList<IReadOnlyList<DetectedObject>> truths,
                            int classIndex, float iouThreshold = 0.5f)
    {
        var (recall, precision) = Curve(detections, truths, classIndex, iouThreshold);
        return recall is null ? double.NaN : AllPointInterpolated(recall, precision);
    }

    /// <summary>The mean of the classes' AP over the classes that have ground truth (mAP@threshold, 0.5 as in VOC).</summary>
    public static double Mean(IReadOnlyList<IReadOnlyList<DetectedObject>> detections, IReadOnlyList<IReadOnlyList<DetectedObject>> truths,
                              int classCount, float iouThreshold = 0.5f)
    {
        var aps = Enumerable.Range(0, classCount).Select(c => Of(detections, truths, c, iouThreshold)).Where(ap => !double.IsNaN(ap)).ToList();
        return aps.Count == 0 ? double.NaN : aps.Average();
    }

    /// <summary>
    /// Recall and precision after each detection of the class, by decreasing score (null when the class has no ground truth).
    /// </summary>
    public static (double[]? Recall, double[] Precision) Curve(IReadOnlyList<IReadOnlyList<DetectedObject>> detections,
        IReadOnlyList<IReadOnlyList<DetectedObject>> truths, int classIndex, float iouThreshold = 0.5f)
    {
        if (detections.Count != truths.Count)
            throw new ArgumentException($"AveragePrecision: detections for {detections.Count} images but ground truth for {truths.Count}; give one list per image for both.");
        int total = truths.Sum(t => t.Count(o => o.Class == classIndex));
        var ranked = detections.SelectMany((list, image) => list.Where(d => d.Class == classIndex).Select(d => (Image: image, d.Box, d.Score)))
                               .OrderByDescending(d => d.Score).ToList();  // stable: ties keep image order
        if (total == 0) return (null, []);
        var matched = truths.Select(t => new bool[t.Count]).ToArray();
        var recall = new double[ranked.Count];
        var precision = new double[ranked.Count];
        int tp = 0;
        for (int k = 0; k < ranked.Count; k++)
        {
            var (image, box, _) = ranked[k];
            int best = -1; float bestIou = -1f;
            for (int o = 0; o < truths[image].Count; o++)
            {
                if (truths[image][o].Class != classIndex) continue;
                float iou = IntersectionOverUnion.Of(box, truths[image][o].Box);
                if (iou > bestIou) { bestIou = iou; best = o; }
            }
            if (best >= 0 && bestIou >= iouThreshold && !matched[image][best]) { matched[image][best] = true; tp++; }
            recall[k] = (double)tp / total;
            precision[k] = (double)tp / (k + 1);
        }
        return (recall, precision);
    }

    /// <summary>VOC's all-point interpolated area under a precision–recall curve (recall non-decreasing).</summary>
    public static double AllPointInterpolated(IReadOnlyList<double> recall, IReadOnlyList<double> precision)
    {
        if (recall.Count != precision.Count)
            throw new ArgumentException($"AveragePrecision: {recall.Count} recall values but {precision.Count} precision values.");
        double ap = 0, previousRecall = 0;
        for (int k = 0; k < recall.Count; k++)
        {
            if (recall[k] <= previousRecall) continue;  // precision only counts where recall grows
            double best = 0;
            for (int j = k; j < precision.Count; j++) best = Math.Max(best, precision[j]);
            ap += (recall[k] - previousRecall) * best;
            previousRecall = recall[k];
        }
        return ap;
    }
}
