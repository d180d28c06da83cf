using CourseKit.Backends;
using CourseKit.Operations;

namespace CourseKit.Layers;

/// <summary>
/// Transposed convolution ("deconvolution", lecture 5.3) in PyTorch's ConvTranspose2d convention: weights
/// (C_in, C_out, FH, FW), output size OH = (H − 1)·S − 2P + FH + OP (OP the output padding), built on <see cref="TransposedConvolution"/>.
/// Stride, padding and output padding are square or per axis (PyTorch's <c>stride=(sh, sw), padding=(ph, pw), output_padding=(oph, opw)</c>).
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
        : this(inChannels, outChannels, (kernelSize, kernelSize), (stride, stride), (pad, pad), init, seed, (outputPadding, outputPadding)) { }

    /// <summary>
    /// A (FH, FW) filter with stride, padding and output padding per axis: PyTorch's
    /// <c>ConvTranspose2d(c_in, c_out, (fh, fw), stride=(sh, sw), padding=(ph, pw), output_padding=(oph, opw))</c>.
    /// </summary>
    public ConvolutionTranspose(int inChannels, int outChannels, (int Height, int Width) kernel, (int H, int W) stride, (int H, int W) pad,
                                WeightInit init = WeightInit.He, int seed = 0, (int H, int W) outputPadding = default)
    {
        var (fh, fw) = kernel;
        LayerMath.CheckConvolutionArguments("ConvolutionTranspose", inChannels, outChannels, Math.Min(fh, fw), stride, pad);
        CheckOutputPadding(outputPadding.H, stride.H, "H");
        CheckOutputPadding(outputPadding.W, stride.W, "W");
        int fanIn = inChannels * fh * fw, fanOut = outChannels * fh * fw;
        w = new Parameter("W", WeightInitializer.Create([inChannels, outChannels, fh, fw], init, fanIn, fanOut, seed));
        b = new Parameter("b", Tensor.Zeros(outChannels));
        Stride = stride;
        Pad = pad;
        OutputPadding = outputPadding;
    }

    private static void CheckOutputPadding(int outputPadding, int stride, string axis)
    {
        if (outputPadding < 0 || outputPadding >= stride)
            throw new ArgumentException($"ConvolutionTranspose: output padding must be in 0..stride-1 = 0..{stride - 1} along {axis}, got {outputPadding}.");
    }

    /// <summary>Stride along rows and columns, (SH, SW).</summary>
    public (int H, int W) Stride { get; }
    /// <summary>Padding (PH, PW) of the convolution this layer transposes.</summary>
    public (int H, int W) Pad { get; }
    /// <summary>Rows added at the bottom and columns at the right (0 ≤ OP &lt; S per axis): which of the S sizes that a stride-S convolution takes back to H.</summary>
    public (int H, int W) OutputPadding { get; }
    public int InChannels => w.Shape[0];
    public int OutChannels => w.Shape[1];
    /// <summary>The side of a square filter; of a rectangular one, its height FH.</summary>
    public int KernelSize => w.Shape[2];
    public int KernelHeight => w.Shape[2];
    public int KernelWidth => w.Shape[3];
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
