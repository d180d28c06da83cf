namespace CourseKit.Layers;

/// <summary>
/// Inverted dropout: in training each unit is kept with probability 1 − p and scaled by 1 / (1 − p), so that
/// inference is the identity. The mask is drawn on the host from a seeded generator (the same numbers on every
/// device) and kept for backward, which lets dout through the same units with the same scale.
/// </summary>
public sealed class Dropout : Layer
{
    private readonly Random rng;
    private Tensor? mask;

    public Dropout(float rate = 0.5f, int seed = 0)
    {
        if (rate is < 0f or >= 1f) throw new ArgumentOutOfRangeException(nameof(rate), $"Dropout: the rate must be in [0, 1), got {rate}.");
        Rate = rate;
        rng = new Random(seed);
    }

    /// <summary>The probability p of dropping a unit.</summary>
    public float Rate { get; }

    public override Tensor Forward(Tensor x, bool training = false)
    {
        if (!training)
        {
            mask = null;
            return x;
        }
        var keep = new float[x.Length];
        float scale = 1f / (1f - Rate);
        for (int i = 0; i < keep.Length; i++) keep[i] = rng.NextSingle() >= Rate ? scale : 0f;
        mask = LayerMath.Upload(x.Shape, keep, x.Device);
        return x * mask;
    }

    public override Tensor Backward(Tensor dout)
    {
        if (mask is null) return dout;   // after an inference forward the layer was the identity
        ExpectGradient(dout, mask.Shape);
        return dout * mask;
    }
}
