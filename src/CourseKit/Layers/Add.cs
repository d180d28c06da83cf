namespace CourseKit.Layers;

/// <summary>
/// The residual join ⊕ of lecture 4.2: z = x + y for two inputs of the same shape.
/// Backward hands dout unchanged to both inputs: ∂E/∂x = ∂E/∂y = ∂E/∂z.
/// </summary>
public sealed class Add
{
    private Shape? shape;

    public Tensor Forward(Tensor x, Tensor y)
    {
        if (x.Shape != y.Shape)
            throw new ArgumentException($"Add: both inputs must have the same shape, got {x.Shape} and {y.Shape}.");
        shape = x.Shape;
        return x + y;
    }

    public (Tensor Dx, Tensor Dy) Backward(Tensor dout)
    {
        if (shape is not { } s) throw new InvalidOperationException("Add.Backward was called before Add.Forward.");
        if (dout.Shape != s) throw new ArgumentException($"Add.Backward: dout has shape {dout.Shape}, but the output was {s}.");
        return (dout, dout);
    }
}
