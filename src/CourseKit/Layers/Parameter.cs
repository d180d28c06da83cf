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

    /// <summary>
    /// ∂E/∂Value from the last Backward; same shape as <see cref="Value"/>. A layer of one's own sets it with
    /// <see cref="SetGrad"/> or <see cref="AccumulateGrad"/>, which check the shape: <c>W.Grad[..] = dF</c> would
    /// broadcast a wrong shape silently.
    /// </summary>
    public Tensor Grad { get; internal set; } = Tensor.ZerosLike(value);

    public Shape Shape => Value.Shape;

    /// <summary>
    /// Writes <paramref name="values"/> into <see cref="Value"/> (the same tensor, so an optimizer's state still fits),
    /// from any device to the parameter's. The shapes must be equal: nothing is broadcast or reshaped.
    /// </summary>
    public void Set(Tensor values)
    {
        Expect(values, "Set", "the values");
        LayerMath.Assign(Value, values.To(Value.Device));
    }

    /// <summary>Sets <see cref="Grad"/> = <paramref name="gradient"/> (∂E/∂Value, e.g. dW of lecture 2.1), shape-checked.</summary>
    public void SetGrad(Tensor gradient)
    {
        Expect(gradient, "SetGrad", "the gradient");
        LayerMath.Assign(GradToOverwrite(), gradient.To(Value.Device));
    }

    /// <summary>
    /// <see cref="Grad"/> += <paramref name="gradient"/>, shape-checked: for a parameter used in two places, whose
    /// gradient is the sum of both paths (lecture 2, the branch of a computational graph).
    /// </summary>
    public void AccumulateGrad(Tensor gradient)
    {
        Expect(gradient, "AccumulateGrad", "the gradient");
        var grad = GradToOverwrite();
        LayerMath.AddInto(grad, gradient.To(Value.Device), grad);
    }

    private void Expect(Tensor given, string method, string what)
    {
        if (given.Shape != Value.Shape)
            throw new ArgumentException(
                $"Parameter {Name}.{method}: {what} have shape {given.Shape}, but {Name} has shape {Value.Shape}; they must be equal (nothing is broadcast).");
    }

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
