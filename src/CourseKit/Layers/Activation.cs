using CourseKit.Backends;

namespace CourseKit.Layers;

/// <summary>
/// An elementwise activation y = f(x). Backward is dx = f'(x)·dout, one backend call
/// (<see cref="IComputeBackend.ActivationBackward"/>). Forward keeps y only where f' can be read from it (ReLU, leaky
/// ReLU and ELU with α ≥ 0: y &gt; 0 exactly where x &gt; 0; sigmoid and tanh: σ' = σ(1 − σ), tanh' = 1 − tanh²), so the
/// input is not held a second time when the next layer keeps y as its own input; softsign keeps x as well.
/// </summary>
public abstract class Activation(UnaryOp function, float alpha = 0f) : Layer
{
    private readonly bool fromOutput = function is UnaryOp.Sigmoid or UnaryOp.Tanh
        || (function is UnaryOp.Relu or UnaryOp.LeakyRelu or UnaryOp.Elu && alpha >= 0f);
    private Tensor? x, y;
    private Tensor? yBuffer, dxBuffer;  // results a container reads only until our next call (MayReuseResults)

    /// <summary>The parameter of the function (LeakyReLU's slope, ELU's α); 0 when it has none.</summary>
    public float Alpha { get; } = alpha;

    public override Tensor Forward(Tensor x, bool training = false)
    {
        this.x = fromOutput ? null : x;
        y = ResultTensor(ref yBuffer, x.Shape, x.Device);
        x.Backend.Unary(function, x.Storage, y.Storage, x.Length, Alpha);  // y = f(x), like x.Map(function)
        return y;
    }

    public override Tensor Backward(Tensor dout)
    {
        var output = Saved(y);
        ExpectGradient(dout, output.Shape);
        var dx = ResultTensor(ref dxBuffer, dout.Shape, dout.Device);
        var input = fromOutput ? output : Saved(x);   // the sign of y is the sign of x for the functions read from y
        dout.Backend.ActivationBackward(function, input.Storage, output.Storage, dout.Storage, dx.Storage, dout.Length, Alpha);
        return dx;
    }
}
