namespace CourseKit.Optimizers;

/// <summary>Momentum: v ← α·v − η·g; W ← W + v (v starts at 0).</summary>
public sealed class Momentum(float learningRate = 0.01f, float momentum = 0.9f, float weightDecay = 0f) : Optimizer(learningRate, weightDecay)
{
    public float Alpha { get; } = momentum;

    protected override int StateCount => 1;

    protected override void Update(Tensor w, Tensor g, Tensor[] state)
    {
        var v = state[0];
        Set(v, Alpha * v - LearningRate * g);
        Set(w, w + v);
    }
}
