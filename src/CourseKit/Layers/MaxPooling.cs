using CourseKit.Backends;

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
        Stride = stride < 0 ? size : stride;   // non-overlapping frames by default
        Pad = pad;
    }

    public int Size { get; }
    public int Stride { get; }
    public int Pad { get; }

    public override Tensor Forward(Tensor x, bool training = false)
    {
        if (x.Rank != 4) throw new ArgumentException($"{Name}: expects (N, C, H, W) input, got {x.Shape}.");
        var (n, c, h, w) = x.Shape;
        geometry = new PoolingGeometry(n, c, h, w, Size, Size, Stride, Pad).Validate(Name);
        var y = new Tensor([n, c, geometry.OH, geometry.OW], x.Device);
        argmax = new Tensor(y.Shape, x.Device);
        x.Backend.MaxPoolForward(x.Storage, geometry, y.Storage, argmax.Storage);
        return y;
    }

    public override Tensor Backward(Tensor dout)
    {
        var where = Saved(argmax);
        ExpectGradient(dout, where.Shape);
        var g = geometry;
        var dx = new Tensor([g.N, g.C, g.H, g.W], dout.Device);
        dout.Backend.MaxPoolBackward(dout.Storage, where.Storage, g, dx.Storage);
        return dx;
    }
}
