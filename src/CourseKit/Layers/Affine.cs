namespace CourseKit.Layers;

/// <summary>
/// Fully connected layer y = x·W + b with W (in, out). A 4-D input (N, C, H, W) is flattened to (N, C·H·W)
/// and Backward gives dx back in the input's shape.
/// </summary>
public sealed class Affine : Layer
{
    private readonly Parameter w, b;
    private Tensor? x2;
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
        inputShape = x.Shape;
        x2 = x.Reshape(n, InFeatures);
        return Tensor.MatMul(x2, w.Value) + b.Value;                  // b broadcasts over the rows
    }

    public override Tensor Backward(Tensor dout)
    {
        var input = Saved(x2);
        ExpectGradient(dout, [input.Shape[0], OutFeatures]);
        w.Grad = Tensor.MatMul(input, dout, transposeA: true, transposeB: false);     // dW = xᵀ·dout
        b.Grad = dout.Sum(axis: 0);                                                    // db = Σ over the batch
        return Tensor.MatMul(dout, w.Value, transposeA: false, transposeB: true)       // dx = dout·Wᵀ
            .Reshape(inputShape.ToArray());
    }
}
