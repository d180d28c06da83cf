namespace CourseKit.Detection;

/// <summary>
/// Per-pixel intersection over union of semantic segmentation (lecture 6.3): for each class, the pixels both the
/// prediction and the truth give that class, over the pixels either gives it; the mean over classes is "mean IoU".
/// </summary>
public static class SegmentationScore
{
    /// <summary>The class of every pixel of scores (N, K, H, W): the argmax over the K channels, row-major (N·H·W).</summary>
    public static int[] Predict(Tensor scores)
    {
        if (scores.Rank != 4) throw new ArgumentException($"SegmentationScore.Predict: expects scores (N, K, H, W), got {scores.Shape}.");
        var (n, k, h, w) = scores.Shape;
        var s = scores.ToArray();
        var labels = new int[n * h * w];
        for (int image = 0; image < n; image++)
            for (int p = 0; p < h * w; p++)
            {
                int best = 0;
                for (int c = 1; c < k; c++)
                    if (s[(image * k + c) * h * w + p] > s[(image * k + best) * h * w + p]) best = c;
                labels[image * h * w + p] = best;
            }
        return labels;
    }

    /// <summary>IoU of each class 0..K−1 (NaN for a class neither side uses).</summary>
    public static double[] PerClassIou(int[] predicted, int[] truth, int classCount)
    {
        if (predicted.Length != truth.Length)
            throw new ArgumentException($"SegmentationScore: {predicted.Length} predicted labels but {truth.Length} true ones.");
        var both = new long[classCount]; var either = new long[classCount];
        for (int i = 0; i < truth.Length; i++)
        {
            if (predicted[i] == truth[i]) { both[truth[i]]++; either[truth[i]]++; }
            else { either[truth[i]]++; either[predicted[i]]++; }
        }
        return [.. Enumerable.Range(0, classCount).Select(c => either[c] == 0 ? double.NaN : (double)both[c] / either[c])];
    }

    /// <summary>The mean of the classes' IoU over the classes present in the prediction or the truth.</summary>
    public static double MeanIou(int[] predicted, int[] truth, int classCount) =>
        PerClassIou(predicted, truth, classCount).Where(v => !double.IsNaN(v)).Average();
}
