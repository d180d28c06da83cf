namespace CourseKit.Losses;

/// <summary>
/// Softmax cross entropy at every pixel, for segmentation (U-Net): scores (N, K, H, W), a class per pixel.
/// E = −(1/(N·H·W)) Σ t log softmaxₖ(x) with the softmax over the K channels of each pixel;
/// ∂E/∂x = (y − t) / (N·H·W).
/// </summary>
public sealed class PixelwiseSoftmaxCrossEntropy : Loss
{
    private const float Delta = 1e-7f;

    private Tensor? y, t;

    /// <summary>E with integer labels (N, H, W) flattened row-major: one class index per pixel.</summary>
    public float Forward(Tensor x, int[] labels)
    {
        if (x.Rank != 4 || labels.Length != x.Shape[0] * x.Shape[2] * x.Shape[3])
            throw new ArgumentException($"{Name}: needs scores (N, K, H, W) and N·H·W labels, got scores {x.Shape} and {labels.Length} labels.");
        var (n, k, h, w) = x.Shape;
        // One-hot as (N, H·W, K), then moved to the channel axis: (N, K, H, W).
        var oneHot = OneHot(labels, k, x.Device).Reshape(n, h * w, k).Transpose(0, 2, 1).Reshape(n, k, h, w);
        return Forward(x, oneHot);
    }

    /// <summary>E with one-hot targets t (N, K, H, W).</summary>
    public override float Forward(Tensor x, Tensor t)
    {
        if (x.Rank != 4) throw new ArgumentException($"{Name}: needs scores of shape (N, K, H, W), got {x.Shape}.");
        ExpectSameShape(Name, x, t);
        var (n, k, h, w) = x.Shape;
        this.t = t;
        y = new Tensor(x.Shape, x.Device);
        x.Backend.Softmax(x.Storage, n, k, h * w, y.Storage);
        return -(t * (y + Delta).Log()).Sum().Item() / (n * h * w);
    }

    public override Tensor Backward()
    {
        var probabilities = Saved(y);
        var (n, _, h, w) = probabilities.Shape;
        return (probabilities - Saved(t)) / (n * h * w);
    }
}
