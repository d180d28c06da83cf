using CourseKit.Operations;

namespace CourseKit.Layers;

/// <summary>
/// (N, C, H, W) → (N, C): the mean of each channel's map (the head of GoogLeNet and ResNet, lecture 4).
/// Backward gives every pixel of a map dout / (H·W).
/// </summary>
public sealed class GlobalAveragePooling : Layer
{
    private Shape? inputShape;

    public override Tensor Forward(Tensor x, bool training = false)
    {
        if (x.Rank != 4) throw new ArgumentException($"{Name}: expects (N, C, H, W) input, got {x.Shape}.");
        inputShape = x.Shape;
        return PoolingOperation.GlobalAverage(x);
    }

    public override Tensor Backward(Tensor dout)
    {
        var s = inputShape ?? throw new InvalidOperationException($"{Name}.Backward was called before {Name}.Forward: run Forward on a mini-batch first.");
        ExpectGradient(dout, [s[0], s[1]]);
        return PoolingOperation.GlobalAverageBackward(dout, s);
    }
}
