using CourseKit.Backends;

namespace CourseKit.Layers;

/// <summary>
/// Transposed convolution ("deconvolution", lecture 5.3) in PyTorch's ConvTranspose2d convention: weights
/// (C_in, C_out, FH, FW), output size OH = (H − 1)·S − 2P + FH. Its forward is the backward-to-input of a
/// convolution: every input pixel scatters a weighted copy of the filter into the output, col = Wᵀ·X then col2im.
/// </summary>
public sealed class ConvolutionTranspose : Layer
{
    private readonly Parameter w, b;
    private Tensor? x2;
    private ConvolutionGeometry geometry;   // of the convolution that maps the output back to the input

    public ConvolutionTranspose(int inChannels, int outChannels, int kernelSize, int stride = 1, int pad = 0,
                                WeightInit init = WeightInit.He, int seed = 0)
    {
        if (inChannels <= 0 || outChannels <= 0 || kernelSize <= 0)
            throw new ArgumentException($"ConvolutionTranspose: channels and kernel size must be positive, got C={inChannels}, OC={outChannels}, kernel={kernelSize}.");
        if (stride <= 0 || pad < 0)
            throw new ArgumentException($"ConvolutionTranspose: stride must be at least 1 and padding at least 0, got stride={stride}, pad={pad}.");
        int fanIn = inChannels * kernelSize * kernelSize, fanOut = outChannels * kernelSize * kernelSize;
        w = new Parameter("W", WeightInitializer.Create([inChannels, outChannels, kernelSize, kernelSize], init, fanIn, fanOut, seed));
        b = new Parameter("b", Tensor.Zeros(outChannels));
        Stride = stride;
        Pad = pad;
    }

    public int Stride { get; }
    public int Pad { get; }
    public int InChannels => w.Shape[0];
    public int OutChannels => w.Shape[1];
    public int KernelSize => w.Shape[2];
    public Parameter W => w;
    public Parameter B => b;

    public override IReadOnlyList<Parameter> Parameters => [w, b];

    private int PatchLength => OutChannels * KernelSize * KernelSize;

    public override Tensor Forward(Tensor x, bool training = false)
    {
        if (x.Rank != 4 || x.Shape[1] != InChannels)
            throw new ArgumentException($"{Name}: expects (N, {InChannels}, H, W) input for weights {w.Shape}, got {x.Shape}.");
        var (n, _, h, wd) = x.Shape;
        int oh = (h - 1) * Stride - 2 * Pad + KernelSize, ow = (wd - 1) * Stride - 2 * Pad + KernelSize;
        if (oh <= 0 || ow <= 0)
            throw new ArgumentException($"{Name}: OH = ({h} - 1)*{Stride} - 2*{Pad} + {KernelSize} = {oh} and OW = {ow}; padding {Pad} is too large for this input {x.Shape}.");
        geometry = new ConvolutionGeometry(n, OutChannels, oh, ow, KernelSize, KernelSize, Stride, Pad).Validate(Name);
        // X as (C_in, N·H·W): one column per input pixel, the layout col2im expects.
        x2 = x.Reshape(n, InChannels, h * wd).Transpose(1, 0, 2).Reshape(InChannels, n * h * wd);
        var col = LayerMath.MatMul(w.Value.Reshape(InChannels, PatchLength), x2, transA: true, operation: Name); // (C_out·FH·FW, N·H·W)
        var y = new Tensor([n, OutChannels, oh, ow], x.Device);
        x.Backend.Col2Im(col.Storage, geometry, y.Storage);
        return y + b.Value.Reshape(OutChannels, 1, 1);
    }

    public override Tensor Backward(Tensor dout)
    {
        var input = Saved(x2);
        var g = geometry;
        ExpectGradient(dout, [g.N, OutChannels, g.H, g.W]);
        var dcol = new Tensor([PatchLength, g.Positions], dout.Device);
        dout.Backend.Im2Col(dout.Storage, g, dcol.Storage);                                                    // the adjoint of col2im
        b.Grad = LayerMath.SumPerChannel(dout);
        w.Grad = LayerMath.MatMul(input, dcol, transB: true, operation: Name).Reshape(w.Shape.ToArray());     // dW = X·dcolᵀ
        var dx2 = LayerMath.MatMul(w.Value.Reshape(InChannels, PatchLength), dcol, operation: Name);          // dX = W·dcol
        return dx2.Reshape(InChannels, g.N, g.OH * g.OW).Transpose(1, 0, 2).Reshape(g.N, InChannels, g.OH, g.OW);
    }
}
