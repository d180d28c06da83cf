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

    /// <summary>
    /// A frozen parameter stops learning (lecture 3.4, transfer of features): optimizers leave it as it is, and the
    /// layers skip computing its gradient in Backward (<see cref="Grad"/> then keeps its last value).
    /// </summary>
    public bool Frozen { get; set; }

    /// <summary>
    /// <see cref="Grad"/> for a layer's Backward to overwrite: the same tensor every time (like PyTorch's <c>.grad</c>;
    /// a new one of several MB per step costs more than the GEMM that fills it), or a new one if Grad was replaced by
    /// a tensor of another shape or device.
    /// </summary>
    internal Tensor GradToOverwrite()
    {
        if (Grad.Shape != Value.Shape || Grad.Device != Value.Device) Grad = Tensor.ZerosLike(Value);
        return Grad;
    }

    /// <summary>Moves value and gradient to <paramref name="device"/> (a copy when they live elsewhere).</summary>
    internal void MoveTo(Device device)
    {
        Value = Value.To(device);
        Grad = Grad.To(device);
    }

    public override string ToString() => $"{Name} {Shape}{(Frozen ? " (frozen)" : "")}";
}
