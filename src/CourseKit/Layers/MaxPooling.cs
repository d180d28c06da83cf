using CourseKit.Backends;
using CourseKit.Operations;

namespace CourseKit.Layers;

/// <summary>
/// Max pooling per channel (lecture 1.5). Forward remembers where each maximum was (argmax inside its frame);
/// backward routes dout there and puts zeros elsewhere (lecture 2.3).
/// The layer calls the backend's kernels of <see cref="PoolingOperation.Max(Tensor, int, int, int, int)"/> and
/// <see cref="PoolingOperation.MaxBackward(Tensor, Tensor, PoolingGeometry)"/> itself, so that it can write into
/// tensors it keeps: the argmax (only this layer reads it) and, inside a container, its results (<see cref="Layer.MayReuseResults"/>).
/// </summary>
public sealed class MaxPooling : Layer
{
    private Tensor? argmax;
    private Tensor? yBuffer, dxBuffer;  // results a container reads only until our next call
    private PoolingGeometry geometry;
    private MaxPoolingResult? withOptions;  // the last Forward under other border rules than the lecture's

    /// <summary>A size×size frame; <paramref name="options"/> null or <see cref="PoolingOptions.Lecture"/> pads with zeros, <see cref="PoolingOptions.PyTorch"/> with −∞.</summary>
    public MaxPooling(int size = 2, int stride = -1, int pad = 0, PoolingOptions? options = null)
        : this((size, size), stride, pad, options) { }

    /// <summary>A rectangular FrameHeight×FrameWidth frame; without a stride the frames do not overlap vertically (stride = height).</summary>
    public MaxPooling((int Height, int Width) frame, int stride = -1, int pad = 0, PoolingOptions? options = null)
        : this(frame, stride < 0 ? (frame.Height, frame.Height) : (stride, stride), (pad, pad), options) { }

    /// <summary>
    /// Stride (SH, SW) and padding (PH, PW) per axis: PyTorch's <c>MaxPool2d((fh, fw), stride=(sh, sw), padding=(ph, pw))</c>
    /// (with <see cref="PoolingOptions.PyTorch"/>; its <c>CeilMode</c> works per axis too).
    /// </summary>
    public MaxPooling((int Height, int Width) frame, (int H, int W) stride, (int H, int W) pad, PoolingOptions? options = null)
    {
        FrameHeight = frame.Height;
        FrameWidth = frame.Width;
        Stride = stride;
        Pad = pad;
        Options = options ?? PoolingOptions.Lecture;
    }

    /// <summary>The side of the square frame (lecture 1.5); of a rectangular frame, its height.</summary>
    public int Size => FrameHeight;
    public int FrameHeight { get; }
    public int FrameWidth { get; }
    /// <summary>Stride along rows and columns, (SH, SW).</summary>
    public (int H, int W) Stride { get; }
    /// <summary>Zero padding above/below and left/right, (PH, PW).</summary>
    public (int H, int W) Pad { get; }

    /// <summary>The border rules: the lecture's zero padding by default.</summary>
    public PoolingOptions Options { get; }

    /// <summary>Where each maximum of the last Forward was (its place inside the frame) and the frames' geometry: SegNet's unpooling reuses them.</summary>
    internal (Tensor? ArgMax, PoolingGeometry Geometry) LastArgMax => (argmax, geometry);

    public override Tensor Forward(Tensor x, bool training = false)
    {
        if (x.Rank != 4) throw new ArgumentException($"{Name}: expects (N, C, H, W) input, got {x.Shape}.");
        if (Options.ChangesMax)
        {
            var result = PoolingOperation.Max(x, FrameHeight, FrameWidth, Stride, Pad, Options);
            withOptions = result;
            (argmax, geometry) = (result.Argmax, result.Geometry);
            return result.Y;
        }
        var g = geometry = PoolingOperation.Geometry(x.Shape, FrameHeight, FrameWidth, Stride, Pad);
        Shape outputShape = [g.N, g.C, g.OH, g.OW];
        // The argmax of the last batch is not needed any more: the new one goes into the same memory.
        if (argmax is null || argmax.Shape != outputShape || argmax.Device != x.Device) argmax = new Tensor(outputShape, x.Device);
        var y = ResultTensor(ref yBuffer, outputShape, x.Device);
        x.Backend.MaxPoolForward(x.Storage, g, y.Storage, argmax.Storage);  // lecture 1.5: the maximum of each frame
        return y;
    }

    public override Tensor Backward(Tensor dout)
    {
        var where = Saved(argmax);
        ExpectGradient(dout, where.Shape);
        Tensor.SameDevice(Name, dout, where);
        if (withOptions is { } result) return PoolingOperation.MaxBackward(dout, result);
        var g = geometry;
        var dx = ResultTensor(ref dxBuffer, [g.N, g.C, g.H, g.W], dout.Device);
        dout.Backend.MaxPoolBackward(dout.Storage, where.Storage, g, dx.Storage);  // lecture 2.3: dY goes to the argmax
        return dx;
    }
}
