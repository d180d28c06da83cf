using CourseKit.Backends;
using CourseKit.Operations;

namespace CourseKit.Layers;

/// <summary>
/// Convolution layer (lecture 1.3 and 2.1): filters F (OC, C, FH, FW), bias b (OC), stride and zero padding, the same
/// along both axes (the lecture's S and P) or per axis as PyTorch's <c>Conv2d(c, oc, (fh, fw), stride=(sh, sw), padding=(ph, pw))</c>.
/// Built on <see cref="ConvolutionOperation"/>: forward is im2col and a GEMM, Y = F·col + b; backward computes
/// dF = dY·colᵀ and dX = col2im(Fᵀ·dY) (lecture 2.1: dX̃ and the X-hat product). The layer keeps the column matrix
/// for dF when it fits in the cache; a larger one (it is FH·FW times the size of X) is not kept: the layer keeps X, and
/// the operation works from it (on the CPU without ever storing the columns: implicit im2col, or Winograd for 3×3 filters).
/// </summary>
public sealed class Convolution : Layer
{
    private readonly Parameter w, b;
    private Tensor? input, col;
    private Tensor? yBuffer, dxBuffer, zerosBuffer;  // results a container reads only until our next call (MayReuseResults)
    private ConvolutionGeometry geometry;

    /// <summary>OC filters of size C×kernelSize×kernelSize (lecture 1.3).</summary>
    public Convolution(int inChannels, int outChannels, int kernelSize, int stride = 1, int pad = 0,
                       WeightInit init = WeightInit.He, int seed = 0, bool bias = true)
        : this(inChannels, outChannels, (kernelSize, kernelSize), stride, pad, init, seed, bias) { }

    /// <summary>OC rectangular filters of size C×FH×FW, e.g. (1, 7) and (7, 1) as in Inception v3.</summary>
    public Convolution(int inChannels, int outChannels, (int Height, int Width) kernel, int stride = 1, int pad = 0,
                       WeightInit init = WeightInit.He, int seed = 0, bool bias = true)
        : this(inChannels, outChannels, kernel, (stride, stride), (pad, pad), init, seed, bias) { }

    /// <summary>
    /// Stride (SH, SW) and padding (PH, PW) per axis: PyTorch's <c>Conv2d(c, oc, (fh, fw), stride=(sh, sw), padding=(ph, pw))</c>,
    /// e.g. <c>new Convolution(1, 8, (3, 5), stride: (1, 2), pad: (1, 2))</c>.
    /// </summary>
    public Convolution(int inChannels, int outChannels, (int Height, int Width) kernel, (int H, int W) stride, (int H, int W) pad,
                       WeightInit init = WeightInit.He, int seed = 0, bool bias = true)
    {
        var (fh, fw) = kernel;
        LayerMath.CheckConvolutionArguments("Convolution", inChannels, outChannels, Math.Min(fh, fw), stride, pad);
        int fanIn = inChannels * fh * fw, fanOut = outChannels * fh * fw;
        w = new Parameter("W", WeightInitializer.Create([outChannels, inChannels, fh, fw], init, fanIn, fanOut, seed));
        b = new Parameter("b", Tensor.Zeros(outChannels));
        HasBias = bias;
        Stride = stride;
        Pad = pad;
    }

    /// <summary>Stride along rows and columns, (SH, SW); (S, S) for the lecture's square stride.</summary>
    public (int H, int W) Stride { get; }
    /// <summary>Zero padding above/below and left/right, (PH, PW); (P, P) for the lecture's square padding.</summary>
    public (int H, int W) Pad { get; }

    /// <summary>
    /// False for a convolution followed by batch normalization (ResNet): β already shifts every channel, so b would
    /// be a redundant parameter; b then stays zero and is neither learned nor saved.
    /// </summary>
    public bool HasBias { get; }

    /// <summary>
    /// False for a first layer whose input is the data itself: nothing upstream learns from dX, so Backward
    /// skips the Fᵀ·dY product and col2im (a third of its work) and returns zeros.
    /// </summary>
    public bool ComputeInputGradient { get; set; } = true;

    /// <summary>
    /// How the last Forward computed Y, and Backward dF with it (im2col, implicit, Winograd, …; see
    /// <see cref="ConvolutionPath"/>); null before the first.
    /// </summary>
    public ConvolutionPath? Path { get; private set; }

    /// <summary>How the last Backward computed dX (<see cref="ConvolutionOperation.InputGradientPathOf"/>); null before the first that did.</summary>
    public ConvolutionPath? InputGradientPath { get; private set; }

    public int InChannels => w.Shape[1];
    public int OutChannels => w.Shape[0];
    /// <summary>The side of a square filter; of a rectangular one, its height FH.</summary>
    public int KernelSize => w.Shape[2];
    public int KernelHeight => w.Shape[2];
    public int KernelWidth => w.Shape[3];
    public Parameter W => w;
    public Parameter B => b;

    public override IReadOnlyList<Parameter> Parameters => HasBias ? [w, b] : [w];

    public override Layer To(Device device)
    {
        base.To(device);
        if (!HasBias) b.MoveTo(device);   // the zeros the forward still adds
        return this;
    }

    public override Tensor Forward(Tensor x, bool training = false)
    {
        if (x.Rank != 4 || x.Shape[1] != InChannels)
            throw new ArgumentException($"{Name}: expects (N, {InChannels}, H, W) input for filters {w.Shape}, got {x.Shape}.");
        var g = geometry = ConvolutionOperation.Geometry(x.Shape, w.Shape, Stride, Pad);
        // kept for dF: the column matrix when it fits in the cache, else X (the columns are made again in backward)
        input = x;
        // in a network, into last call's result: a new one of several MB per call would cost more than the convolution
        // (fresh pages and garbage collections; the `conv` benchmark measured 7 times the forward pass on MNIST)
        var y = ResultTensor(ref yBuffer, [g.N, OutChannels, g.OH, g.OW], x.Device);
        Path = ConvolutionOperation.PathOf(g, OutChannels, x.Device);
        if (!ConvolutionOperation.ColumnsFitInCache(g))
        {
            col = null;
            return ConvolutionOperation.Forward(x, w.Value, b.Value, Stride, Pad, into: y);
        }
        col = Im2Col.Columns(x, g, reuse: col);
        return ConvolutionOperation.Forward(col, g, w.Value, b.Value, into: y);  // lecture 1.3: Y = F·col + b
    }

    public override Tensor Backward(Tensor dout)
    {
        var x = Saved(input);
        var g = geometry;
        ExpectGradient(dout, [g.N, OutChannels, g.OH, g.OW]);
        if (HasBias && !b.Frozen) b.Grad = ConvolutionOperation.BackwardBias(dout);  // db = Σ dY per filter
        if (!w.Frozen)                                                            // frozen filters (lecture 3.4) need no dF
            w.Grad = col is null
                ? ConvolutionOperation.BackwardFilter(dout, x, w.Shape, Stride, Pad)
                : ConvolutionOperation.BackwardFilter(dout, col, g);  // lecture 2.1: dF from dY and X-hat
        if (!ComputeInputGradient) return ResultTensor(ref zerosBuffer, [g.N, g.C, g.H, g.W], dout.Device);  // zeros (nobody writes into it)
        var dx = ResultTensor(ref dxBuffer, [g.N, g.C, g.H, g.W], dout.Device);
        InputGradientPath = ConvolutionOperation.InputGradientPathOf(g, OutChannels, dout.Device);
        return ConvolutionOperation.BackwardInput(dout, w.Value, g, into: dx);  // lecture 2.1: dX̃ = dY·F, then col2im
    }
}
