namespace CourseKit.Training;

/// <summary>
/// How well a predicted mask covers the true one (lecture 5.4–5.5, semantic segmentation). With A the predicted and
/// B the true pixels of a class:
/// Dice = 2|A ∩ B| / (|A| + |B|), IoU (Jaccard) = |A ∩ B| / |A ∪ B|; both are 1 for a perfect mask and 0 when the
/// masks do not meet, and Dice = 2·IoU / (1 + IoU). Pixel accuracy would say 98 % for a mask that misses a left
/// ventricle covering 2 % of the image: these two only count the class's own pixels.
/// Masks are read as on where the value is above 0.5 (0/1 masks and probability maps both work).
/// When both masks are empty the prediction is perfect: 1.
/// </summary>
public static class SegmentationMetrics
{
    /// <summary>Dice over all pixels of all images together (one big A and B).</summary>
    public static double Dice(Tensor predicted, Tensor truth)
    {
        var (both, a, b) = Count(predicted, truth, 0, predicted.Length);
        return a + b == 0 ? 1 : 2.0 * both / (a + b);
    }

    /// <summary>IoU over all pixels of all images together.</summary>
    public static double IoU(Tensor predicted, Tensor truth)
    {
        var (both, a, b) = Count(predicted, truth, 0, predicted.Length);
        long union = a + b - both;
        return union == 0 ? 1 : (double)both / union;
    }

    /// <summary>Dice of each image of (N, …) masks.</summary>
    public static double[] DicePerImage(Tensor predicted, Tensor truth) => PerImage(predicted, truth, (both, a, b) => a + b == 0 ? 1 : 2.0 * both / (a + b));

    /// <summary>IoU of each image of (N, …) masks.</summary>
    public static double[] IoUPerImage(Tensor predicted, Tensor truth) => PerImage(predicted, truth, (both, a, b) => a + b - both == 0 ? 1 : (double)both / (a + b - both));

    /// <summary>
    /// The mask a network's output predicts: for (N, K, H, W) scores with K ≥ 2 the pixels whose highest score is
    /// <paramref name="classIndex"/> (default class 1, the foreground); for K = 1 logits the pixels with a logit above 0
    /// (probability above ½). Returns (N, 1, H, W) of 0 and 1.
    /// </summary>
    public static Tensor PredictedMask(Tensor scores, int classIndex = 1)
    {
        if (scores.Rank != 4) throw new ArgumentException($"PredictedMask: expects scores (N, K, H, W), got {scores.Shape}.");
        var (n, k, h, w) = scores.Shape;
        var s = scores.ToArray();
        var mask = new float[n * h * w];
        if (k == 1)
        {
            for (int i = 0; i < mask.Length; i++) mask[i] = s[i] > 0 ? 1 : 0;
        }
        else
        {
            if ((uint)classIndex >= (uint)k) throw new ArgumentException($"PredictedMask: class {classIndex} is not one of the {k} channels of {scores.Shape}.");
            int plane = h * w;
            for (int a = 0; a < n; a++)
                for (int p = 0; p < plane; p++)
                {
                    int best = 0;
                    for (int c = 1; c < k; c++) if (s[(a * k + c) * plane + p] > s[(a * k + best) * plane + p]) best = c;
                    mask[a * plane + p] = best == classIndex ? 1 : 0;
                }
        }
        return new Tensor([n, 1, h, w], mask).To(scores.Device);
    }

    private static double[] PerImage(Tensor predicted, Tensor truth, Func<long, long, long, double> score)
    {
        if (predicted.Rank < 2) throw new ArgumentException($"Segmentation metrics per image need (N, …) masks, got {predicted.Shape}.");
        int n = predicted.Shape[0], per = predicted.Length / n;
        var p = predicted.ToArray();
        var t = Check(predicted, truth).ToArray();
        var result = new double[n];
        for (int i = 0; i < n; i++)
        {
            var (both, a, b) = Count(p, t, i * per, per);
            result[i] = score(both, a, b);
        }
        return result;
    }

    private static (long Both, long Predicted, long True) Count(Tensor predicted, Tensor truth, int start, int count) =>
        Count(predicted.ToArray(), Check(predicted, truth).ToArray(), start, count);

    // |A ∩ B|, |A|, |B|
    private static (long Both, long Predicted, long True) Count(float[] p, float[] t, int start, int count)
    {
        long both = 0, a = 0, b = 0;
        for (int i = start; i < start + count; i++)
        {
            bool inA = p[i] > 0.5f, inB = t[i] > 0.5f;
            if (inA) a++;
            if (inB) b++;
            if (inA && inB) both++;
        }
        return (both, a, b);
    }

    private static Tensor Check(Tensor predicted, Tensor truth)
    {
        if (predicted.Shape != truth.Shape)
            throw new ArgumentException($"Segmentation metrics: the predicted mask has shape {predicted.Shape} but the true mask {truth.Shape}; " +
                                        "they must match (turn scores into a mask with SegmentationMetrics.PredictedMask first).");
        return truth;
    }
}
