using CourseKit.Backends;

namespace CourseKit.Layers;

/// <summary>
/// An elementwise activation y = f(x). Forward keeps x and y; Backward is dx = f'(x)·dout, one backend call
/// (<see cref="IComputeBackend.ActivationBackward"/>).
/// </summary>
public abstract class Activation(UnaryOp function, float alpha = 0f) : Layer
{
    private Tensor? x, y;
    private Tensor? yBuffer, dxBuffer;  // results a container reads only until our next call (MayReuseResults)

    /// <summary>The parameter of the function (LeakyReLU's slope, ELU's α); 0 when it has none.</summary>
    public float Alpha { get; } = alpha;

    public override Tensor Forward(Tensor x, bool training = false)
    {
        this.x = x;
        y = ResultTensor(ref yBuffer, x.Shape, x.Device);
        x.Backend.Unary(function, x.Storage, y.Storage, x.Length, Alpha);  // y = f(x), like x.Map(function)
        return y;
    }

    public override Tensor Backward(Tensor dout)
    {
        var output = Saved(y);
        ExpectGradient(dout, output.Shape);
        var dx = ResultTensor(ref dxBuffer, dout.Shape, dout.Device);
        dout.Backend.ActivationBackward(function, Saved(x).Storage, output.Storage, dout.Storage, dx.Storage, dout.Length, Alpha);
        return dx;
    }
}
