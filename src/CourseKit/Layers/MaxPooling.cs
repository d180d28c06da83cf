using CourseKit.Backends;
using CourseKit.Operations;

namespace CourseKit.Layers;

/// <summary>
/// Max pooling per channel (lecture 1.5). Forward remembers where each maximum was (argmax inside its frame);
/// backward routes dout there and puts zeros elsewhere (lecture 2.3).
/// </summary>
public sealed class MaxPooling : Layer
{
    private Tensor? argmax;
    private PoolingGeometry geometry;

    public MaxPooling(int size = 2, int stride = -1, int pad = 0)
    {
        Size = size;
        Stride = stride < 0 ? size : stride;  // non-overlapping frames by default
        Pad = pad;
    }

    public int Size { get; }
    public int Stride { get; }
    public int Pad { get; }

    public override Tensor Forward(Tensor x, bool training = false)
    {
        if (x.Rank != 4) throw new ArgumentException($"{Name}: expects (N, C, H, W) input, got {x.Shape}.");
        var result = PoolingOperation.Max(x, Size, Size, Stride, Pad);
        argmax = result.Argmax;
        geometry = result.Geometry;
        return result.Y;
    }

    public override Tensor Backward(Tensor dout)
    {
        var where = Saved(argmax);
        ExpectGradient(dout, where.Shape);
        return PoolingOperation.MaxBackward(dout, where, geometry);  // lecture 2.3: dY goes to the argmax
    }
}
