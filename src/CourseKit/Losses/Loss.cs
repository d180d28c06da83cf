using CourseKit.Backends;
using CourseKit.Layers;

namespace CourseKit.Losses;

/// <summary>
/// The last block of a network: Forward turns the network's output y and the target t into one number E;
/// Backward returns ∂E/∂y (for dout = 1), which starts backpropagation.
/// </summary>
public abstract class Loss
{
    public string Name => GetType().Name;

    /// <summary>E(y, t), a mean over the mini-batch. t has the shape of y.</summary>
    public abstract float Forward(Tensor y, Tensor t);

    /// <summary>∂E/∂y of the last Forward.</summary>
    public abstract Tensor Backward();

    /// <summary>
    /// Integer class labels as one-hot rows: labels of length N give (N, K). Losses that take labels
    /// call this, so the integer and the one-hot form give the same numbers.
    /// </summary>
    public static Tensor OneHot(int[] labels, int classes, Device? device = null)
    {
        var data = new float[labels.Length * classes];
        for (int i = 0; i < labels.Length; i++)
        {
            if ((uint)labels[i] >= (uint)classes)
                throw new ArgumentOutOfRangeException(nameof(labels), $"OneHot: label {labels[i]} at position {i} is not a class index in 0..{classes - 1}.");
            data[i * classes + labels[i]] = 1f;
        }
        return LayerMath.Upload([labels.Length, classes], data, device ?? Device.Cpu);
    }

    protected static void ExpectSameShape(string operation, Tensor y, Tensor t)
    {
        if (y.Shape != t.Shape)
            throw new ArgumentException($"{operation}: the output has shape {y.Shape} but the target has shape {t.Shape}; they must match.");
    }

    protected T Saved<T>(T? value) where T : class =>
        value ?? throw new InvalidOperationException($"{Name}.Backward was called before {Name}.Forward.");
}
