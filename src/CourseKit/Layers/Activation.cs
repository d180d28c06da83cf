using CourseKit.Backends;

namespace CourseKit.Layers;

/// <summary>
/// An elementwise activation y = f(x). Forward keeps x and y; Backward is dx = f'(x)·dout, one backend call
/// (<see cref="IComputeBackend.ActivationBackward"/>).
/// </summary>
public abstract class Activation(UnaryOp function, float alpha = 0f) : Layer
{
    private Tensor? x, y;

    /// <summary>The parameter of the function (LeakyReLU's slope, ELU's α); 0 when it has none.</summary>
    public float Alpha { get; } = alpha;

    public override Tensor Forward(Tensor x, bool training = false)
    {
        this.x = x;
        y = x.Map(function, Alpha);
        return y;
    }

    public override Tensor Backward(Tensor dout)
    {
        var output = Saved(y);
        ExpectGradient(dout, output.Shape);
        var dx = new Tensor(dout.Shape, dout.Device);
        dout.Backend.ActivationBackward(function, Saved(x).Storage, output.Storage, dout.Storage, dx.Storage, dout.Length, Alpha);
        return dx;
    }
}
