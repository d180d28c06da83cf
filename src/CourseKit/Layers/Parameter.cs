using CourseKit.Backends;

namespace CourseKit.Layers;

/// <summary>
/// A learnable tensor of a layer together with its gradient (DLFS's <c>params['W1']</c> and <c>grads['W1']</c>).
/// Optimizers update <see cref="Value"/> in place; the layer's Backward sets <see cref="Grad"/>.
/// </summary>
public sealed class Parameter(string name, Tensor value)
{
    /// <summary>The name inside its layer: W, b, gamma, beta.</summary>
    public string Name { get; } = name;

    public Tensor Value { get; private set; } = value;

    /// <summary>∂E/∂Value from the last Backward; same shape as <see cref="Value"/>.</summary>
    public Tensor Grad { get; internal set; } = Tensor.ZerosLike(value);

    public Shape Shape => Value.Shape;

    /// <summary>Moves value and gradient to <paramref name="device"/> (a copy when they live elsewhere).</summary>
    internal void MoveTo(Device device)
    {
        Value = Value.To(device);
        Grad = Grad.To(device);
    }

    public override string ToString() => $"{Name} {Shape}";
}
