using CourseKit.Backends;
using CourseKit.Operations;

namespace CourseKit.Layers;

/// <summary>
/// Transposed convolution ("deconvolution", lecture 5.3) in PyTorch's ConvTranspose2d convention: weights
/// (C_in, C_out, FH, FW), output size OH = (H − 1)·S − 2P + FH + OP (OP the output padding), built on <see cref="TransposedConvolution"/>.
/// Its forward is the backward-to-input of a convolution: every input pixel scatters a weighted copy of the filter
/// into the output (col = Wᵀ·X, then col2im); its backward is that convolution's forward and filter gradient.
/// </summary>
public sealed class ConvolutionTranspose : Layer
{
    private readonly Parameter w, b;
    private Tensor? x;
    private ConvolutionGeometry geometry;  // of the convolution that maps the output back to the input

    public ConvolutionTranspose(int inChannels, int outChannels, int kernelSize, int stride = 1, int pad = 0,
                                WeightInit init = WeightInit.He, int seed = 0, int outputPadding = 0)
    {
        LayerMath.CheckConvolutionArguments("ConvolutionTranspose", inChannels, outChannels, kernelSize, stride, pad);
        if (outputPadding < 0 || outputPadding >= stride)
            throw new ArgumentException($"ConvolutionTranspose: output padding must be in 0..stride-1 = 0..{stride - 1}, got {outputPadding}.");
        int fanIn = inChannels * kernelSize * kernelSize, fanOut = outChannels * kernelSize * kernelSize;
        w = new Parameter("W", WeightInitializer.Create([inChannels, outChannels, kernelSize, kernelSize], init, fanIn, fanOut, seed));
        b = new Parameter("b", Tensor.Zeros(outChannels));
        Stride = stride;
        Pad = pad;
        OutputPadding = outputPadding;
    }

    public int Stride { get; }
    public int Pad { get; }
    /// <summary>Rows and columns added at the bottom and right (0 ≤ OP &lt; S): which of the S sizes that a stride-S convolution takes back to H.</summary>
    public int OutputPadding { get; }
    public int InChannels => w.Shape[0];
    public int OutChannels => w.Shape[1];
    public int KernelSize => w.Shape[2];
    public Parameter W => w;
    public Parameter B => b;

    public override IReadOnlyList<Parameter> Parameters => [w, b];

    public override Tensor Forward(Tensor x, bool training = false)
    {
        if (x.Rank != 4 || x.Shape[1] != InChannels)
            throw new ArgumentException($"{Name}: expects (N, {InChannels}, H, W) input for weights {w.Shape}, got {x.Shape}.");
        geometry = TransposedConvolution.Geometry(x.Shape, w.Shape, Stride, Pad, OutputPadding);
        this.x = x;
        return TransposedConvolution.Forward(x, w.Value, b.Value, Stride, Pad, OutputPadding);
    }

    public override Tensor Backward(Tensor dout)
    {
        var input = Saved(x);
        var g = geometry;
        ExpectGradient(dout, [g.N, OutChannels, g.H, g.W]);
        // Transposing twice gives back the convolution: im2col of dout serves both gradients.
        var col = Im2Col.Columns(dout, g);
        b.Grad = TransposedConvolution.BackwardBias(dout);
        w.Grad = ConvolutionOperation.BackwardFilter(input, col, g);  // dW: x plays the role of dY
        return ConvolutionOperation.Forward(col, g, w.Value);  // dX = dout ⊗ W
    }
}
