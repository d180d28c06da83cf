using CourseKit.Layers;

namespace CourseKit.Optimizers;

/// <summary>
/// Updates parameters from their gradients, in place. Per-parameter state (velocities, squared-gradient sums)
/// is created on the first step. With weight decay λ the gradient used is g + λ·W (L2 regularisation).
/// </summary>
public abstract class Optimizer
{
    private readonly Dictionary<Parameter, Tensor[]> state = new(ReferenceEqualityComparer.Instance);

    protected Optimizer(float learningRate, float weightDecay)
    {
        if (!(learningRate > 0f)) throw new ArgumentOutOfRangeException(nameof(learningRate), $"{GetType().Name}: the learning rate must be positive, got {learningRate}.");
        if (weightDecay < 0f) throw new ArgumentOutOfRangeException(nameof(weightDecay), $"{GetType().Name}: weight decay cannot be negative, got {weightDecay}.");
        LearningRate = learningRate;
        WeightDecay = weightDecay;
    }

    public float LearningRate { get; set; }

    public float WeightDecay { get; }

    /// <summary>How many times <see cref="Step"/> has run (Adam's t).</summary>
    public int Steps { get; private set; }

    /// <summary>One update of every parameter from its current gradient.</summary>
    public void Step(IEnumerable<Parameter> parameters)
    {
        Steps++;
        foreach (var p in parameters)
        {
            if (p.Frozen) continue;  // lecture 3.4: a frozen (transferred) parameter keeps its value
            if (p.Grad.Shape != p.Value.Shape)
                throw new InvalidOperationException($"{GetType().Name}: parameter {p.Name} has shape {p.Value.Shape} but its gradient {p.Grad.Shape}.");
            if (!state.TryGetValue(p, out var s))
            {
                s = new Tensor[StateCount];
                for (int i = 0; i < s.Length; i++) s[i] = Tensor.ZerosLike(p.Value);
                state[p] = s;
            }
            var g = WeightDecay > 0f ? p.Grad + WeightDecay * p.Value : p.Grad;
            Update(p.Value, g, s);
        }
    }

    /// <summary>Number of state tensors kept per parameter (0 for SGD, 1 for Momentum, 2 for Adam).</summary>
    protected abstract int StateCount { get; }

    /// <summary>Updates <paramref name="w"/> in place from gradient <paramref name="g"/> and the parameter's state.</summary>
    protected abstract void Update(Tensor w, Tensor g, Tensor[] state);

    /// <summary>Writes <paramref name="value"/> into <paramref name="target"/> (in place).</summary>
    protected static void Set(Tensor target, Tensor value) => LayerMath.Assign(target, value);
}
