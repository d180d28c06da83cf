namespace CourseKit.Layers;

/// <summary>(N, C, H, W) → (N, C·H·W); backward restores the shape. No copy: only the view changes.</summary>
public sealed class Flatten : Layer
{
    private Shape? inputShape;

    public override Tensor Forward(Tensor x, bool training = false)
    {
        inputShape = x.Shape;
        return x.Reshape(x.Shape[0], -1);
    }

    public override Tensor Backward(Tensor dout) =>
        dout.Reshape((inputShape ?? throw new InvalidOperationException($"{Name}.Backward was called before Forward.")).ToArray());
}
