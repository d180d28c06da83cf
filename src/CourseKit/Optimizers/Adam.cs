namespace CourseKit.Optimizers;

/// <summary>
/// Adam (Kingma &amp; Ba 2015): m ← β1·m + (1 − β1)·g; v ← β2·v + (1 − β2)·g⊙g;
/// W ← W − η·m̂ / (√v̂ + ε) with the bias corrections m̂ = m / (1 − β1ᵗ), v̂ = v / (1 − β2ᵗ).
/// One fused backend pass per parameter (the update the training loop runs most).
/// </summary>
public sealed class Adam(float learningRate = 0.001f, float beta1 = 0.9f, float beta2 = 0.999f, float epsilon = 1e-8f, float weightDecay = 0f)
    : Optimizer(learningRate, weightDecay)
{
    public float Beta1 { get; } = beta1;
    public float Beta2 { get; } = beta2;
    public float Epsilon { get; } = epsilon;

    protected override int StateCount => 2;

    protected override void Update(Tensor w, Tensor g, Tensor[] state)
    {
        float c1 = 1f - MathF.Pow(Beta1, Steps), c2 = 1f - MathF.Pow(Beta2, Steps);
        w.Backend.AdamUpdate(w.Storage, g.Storage, state[0].Storage, state[1].Storage, w.Length,
                             LearningRate, Beta1, Beta2, Epsilon, c1, c2);
    }
}
