namespace CourseKit.Layers;

/// <summary>Gives every sample the shape <c>sampleShape</c> (the batch axis stays); backward restores the input's shape.</summary>
public sealed class Reshape(params int[] sampleShape) : Layer
{
    private Shape? inputShape;

    public override Tensor Forward(Tensor x, bool training = false)
    {
        inputShape = x.Shape;
        return x.Reshape([x.Shape[0], .. sampleShape]);
    }

    public override Tensor Backward(Tensor dout) =>
        dout.Reshape((inputShape ?? throw new InvalidOperationException($"{Name}.Backward was called before Forward.")).ToArray());
}
