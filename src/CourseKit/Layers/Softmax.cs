namespace CourseKit.Layers;

/// <summary>
/// Softmax over axis 1 (the classes of an (N, K) score matrix, or the channels of an (N, K, H, W) map):
/// yₖ = exp(xₖ) / Σⱼ exp(xⱼ). Backward: dx = y ⊙ (dout − Σₖ dout ⊙ y).
/// For classification, <see cref="Losses.SoftmaxWithLoss"/> joins softmax and cross entropy into the simpler (y − t)/N.
/// </summary>
public sealed class Softmax : Layer
{
    private Tensor? y;

    public override Tensor Forward(Tensor x, bool training = false)
    {
        if (x.Rank < 2) throw new ArgumentException($"{Name}: needs (N, K, …) input with classes on axis 1, got shape {x.Shape}.");
        var (outer, axis, inner) = Axis1(x.Shape);
        y = new Tensor(x.Shape, x.Device);
        x.Backend.Softmax(x.Storage, outer, axis, inner, y.Storage);
        return y;
    }

    public override Tensor Backward(Tensor dout)
    {
        var output = Saved(y);
        ExpectGradient(dout, output.Shape);
        return output * (dout - (dout * output).Sum(axis: 1, keepDims: true));
    }

    private static (int Outer, int Axis, int Inner) Axis1(Shape s) => (s[0], s[1], s.Size / (s[0] * s[1]));
}
