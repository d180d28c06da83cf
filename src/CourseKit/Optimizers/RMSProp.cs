namespace CourseKit.Optimizers;

/// <summary>RMSProp: h ← ρ·h + (1 − ρ)·g⊙g; W ← W − η·g / (√h + ε): AdaGrad that forgets old gradients.</summary>
public sealed class RMSProp(float learningRate = 0.01f, float decay = 0.99f, float epsilon = 1e-7f, float weightDecay = 0f) : Optimizer(learningRate, weightDecay)
{
    public float Decay { get; } = decay;
    public float Epsilon { get; } = epsilon;

    protected override int StateCount => 1;

    protected override void Update(Tensor w, Tensor g, Tensor[] state)
    {
        var h = state[0];
        Set(h, Decay * h + (1f - Decay) * g.Square());
        Set(w, w - LearningRate * g / (h.Sqrt() + Epsilon));
    }
}
