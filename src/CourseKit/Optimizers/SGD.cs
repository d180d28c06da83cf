namespace CourseKit.Optimizers;

/// <summary>Stochastic gradient descent: W ← W − η·g.</summary>
public sealed class SGD(float learningRate = 0.01f, float weightDecay = 0f) : Optimizer(learningRate, weightDecay)
{
    protected override int StateCount => 0;

    protected override void Update(Tensor w, Tensor g, Tensor[] state) => Set(w, w - LearningRate * g);
}
