namespace CourseKit.Optimizers;

/// <summary>AdaGrad: h ← h + g⊙g; W ← W − η·g / (√h + ε), so often-moved weights slow down.</summary>
public sealed class AdaGrad(float learningRate = 0.01f, float epsilon = 1e-7f, float weightDecay = 0f) : Optimizer(learningRate, weightDecay)
{
    public float Epsilon { get; } = epsilon;

    protected override int StateCount => 1;

    protected override void Update(Tensor w, Tensor g, Tensor[] state)
    {
        var h = state[0];
        Set(h, h + g.Square());
        Set(w, w - LearningRate * g / (h.Sqrt() + Epsilon));
    }
}
