using CourseKit.Backends;
using CourseKit.Operations;

namespace CourseKit.Layers;

/// <summary>
/// Average pooling per channel (lecture 1.5); backward spreads dout / (PH·PW) evenly over each frame. With
/// <see cref="PoolingOptions"/> (PyTorch's <c>ceil_mode</c>, <c>count_include_pad=false</c>) the divisor is PyTorch's.
/// </summary>
public sealed class AveragePooling : Layer
{
    private AveragePoolingResult? forward;

    public AveragePooling(int size = 2, int stride = -1, int pad = 0, PoolingOptions? options = null)
        : this((size, size), stride, pad, options) { }

    /// <summary>A rectangular FrameHeight×FrameWidth frame; without a stride the frames do not overlap vertically (stride = height).</summary>
    public AveragePooling((int Height, int Width) frame, int stride = -1, int pad = 0, PoolingOptions? options = null)
        : this(frame, stride < 0 ? (frame.Height, frame.Height) : (stride, stride), (pad, pad), options) { }

    /// <summary>
    /// Stride (SH, SW) and padding (PH, PW) per axis: PyTorch's <c>AvgPool2d((fh, fw), stride=(sh, sw), padding=(ph, pw))</c>
    /// (with <see cref="PoolingOptions.PyTorch"/>; its <c>CeilMode</c> works per axis too).
    /// </summary>
    public AveragePooling((int Height, int Width) frame, (int H, int W) stride, (int H, int W) pad, PoolingOptions? options = null)
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

    /// <summary>The border rules: the lecture's (padding counts as zeros in the mean, floor mode) by default.</summary>
    public PoolingOptions Options { get; }

    public override Tensor Forward(Tensor x, bool training = false)
    {
        if (x.Rank != 4) throw new ArgumentException($"{Name}: expects (N, C, H, W) input, got {x.Shape}.");
        PoolingOperation.Geometry(x.Shape, FrameHeight, FrameWidth, Stride, Pad, Name);  // an error that names this layer
        var result = PoolingOperation.Average(x, FrameHeight, FrameWidth, Stride, Pad, Options);
        forward = result;
        return result.Y;
    }

    public override Tensor Backward(Tensor dout)
    {
        var f = forward ?? throw new InvalidOperationException($"{Name}.Backward was called before {Name}.Forward: run Forward on a mini-batch first.");
        ExpectGradient(dout, f.Y.Shape);
        return PoolingOperation.AverageBackward(dout, f);
    }
}
