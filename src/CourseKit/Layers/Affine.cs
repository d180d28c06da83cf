namespace CourseKit.Layers;

/// <summary>
/// Fully connected layer y = x·W + b with W (in, out). A 4-D input (N, C, H, W) is flattened to (N, C·H·W)
/// and Backward gives dx back in the input's shape.
/// </summary>
public sealed class Affine : Layer
{
    private readonly Parameter w, b;
    private Tensor? x2;
    private Tensor? yBuffer, dxBuffer;  // results a container reads only until our next call (MayReuseResults)
    private Shape inputShape;

    public Affine(int inFeatures, int outFeatures, WeightInit init = WeightInit.He, int seed = 0)
    {
        if (inFeatures <= 0 || outFeatures <= 0)
            throw new ArgumentException($"Affine: sizes must be positive, got in={inFeatures}, out={outFeatures}.");
        w = new Parameter("W", WeightInitializer.Create([inFeatures, outFeatures], init, inFeatures, outFeatures, seed));
        b = new Parameter("b", Tensor.Zeros(outFeatures));
    }

    public int InFeatures => w.Shape[0];
    public int OutFeatures => w.Shape[1];
    public Parameter W => w;
    public Parameter B => b;

    public override IReadOnlyList<Parameter> Parameters => [w, b];

    public override Tensor Forward(Tensor x, bool training = false)
    {
        int n = x.Shape[0];
        if (x.Length != n * InFeatures)
            throw new ArgumentException($"{Name}: expects {InFeatures} features per sample, but input {x.Shape} has {x.Length / Math.Max(n, 1)}.");
        Tensor.SameDevice(Name, x, w.Value);
        inputShape = x.Shape;
        x2 = x.Reshape(n, InFeatures);
        // y = x·W + b as MatMul(x2, W) + b, without a second tensor for the sum: every row of y starts as b,
        // and the GEMM adds x·W onto it.
        var y = ResultTensor(ref yBuffer, [n, OutFeatures], x.Device);
        LayerMath.CopyBroadcast(b.Value, y);
        LayerMath.MatMul(x2, w.Value, y, beta: 1f);
        return y;
    }

    public override Tensor Backward(Tensor dout)
    {
        var input = Saved(x2);
        ExpectGradient(dout, [input.Shape[0], OutFeatures]);
        if (!w.Frozen) LayerMath.MatMul(input, dout, w.GradToOverwrite(), transposeA: true);  // dW = xᵀ·dout
        if (!b.Frozen) b.Grad = dout.Sum(axis: 0);                                           // db = Σ over the batch
        var dx = ResultTensor(ref dxBuffer, inputShape, dout.Device);                   // in the input's shape
        LayerMath.MatMul(dout, w.Value, dx, transposeB: true);                         // dx = dout·Wᵀ
        return dx;
    }
}
