namespace CourseKit.Losses;

/// <summary>
/// Softmax followed by cross entropy for class scores x (N, K): E = −(1/N) Σₙ Σₖ tₙₖ log yₙₖ with y = softmax(x).
/// Together their gradient is simply ∂E/∂x = (y − t) / N.
/// </summary>
public sealed class SoftmaxWithLoss : Loss
{
    // log(y + δ) keeps log(0) finite, as in the lecture's cross_entropy_error.
    private const float Delta = 1e-7f;

    private Tensor? y, t;

    /// <summary>The softmax probabilities of the last Forward, (N, K).</summary>
    public Tensor? Probabilities => y;

    /// <summary>E with integer class labels, one per row of x.</summary>
    public float Forward(Tensor x, int[] labels)
    {
        if (x.Rank != 2 || labels.Length != x.Shape[0])
            throw new ArgumentException($"{Name}: needs scores (N, K) and N labels, got scores {x.Shape} and {labels.Length} labels.");
        return Forward(x, OneHot(labels, x.Shape[1], x.Device));
    }

    /// <summary>E with one-hot (or soft) targets t of the shape of x.</summary>
    public override float Forward(Tensor x, Tensor t)
    {
        if (x.Rank != 2) throw new ArgumentException($"{Name}: needs scores of shape (N, K), got {x.Shape}.");
        ExpectSameShape(Name, x, t);
        this.t = t;
        y = new Tensor(x.Shape, x.Device);
        x.Backend.Softmax(x.Storage, x.Shape[0], x.Shape[1], 1, y.Storage);
        return -(t * (y + Delta).Log()).Sum().Item() / x.Shape[0];
    }

    public override Tensor Backward() => (Saved(y) - Saved(t)) / Saved(y).Shape[0];
}
