namespace CourseKit.Optimizers;

/// <summary>
/// Nesterov's accelerated gradient (in the form of Bengio et al. 2012, as in deep-learning-from-scratch):
/// v ← α·v − η·g; W ← W + α·v − η·g (a momentum step that looks ahead along v).
/// </summary>
public sealed class Nesterov(float learningRate = 0.01f, float momentum = 0.9f, float weightDecay = 0f) : Optimizer(learningRate, weightDecay)
{
    public float Alpha { get; } = momentum;

    protected override int StateCount => 1;

    protected override void Update(Tensor w, Tensor g, Tensor[] state)
    {
        var v = state[0];
        Set(v, Alpha * v - LearningRate * g);
        Set(w, w + Alpha * v - LearningRate * g);
    }
}
