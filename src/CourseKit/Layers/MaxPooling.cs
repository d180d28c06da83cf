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

    public MaxPooling(int size = 2, int stride = -1, int pad = 0)
    {
        Size = size;
        Stride = stride < 0 ? size : stride;  // non-overlapping frames by default
        Pad = pad;
    }

    public int Size { get; }
    public int Stride { get; }
    public int Pad { get; }

    /// <summary>Where each maximum of the last Forward was (its place inside the frame) and the frames' geometry: SegNet's unpooling reuses them.</summary>
    internal (Tensor? ArgMax, PoolingGeometry Geometry) LastArgMax => (argmax, geometry);

    public override Tensor Forward(Tensor x, bool training = false)
    {
        if (x.Rank != 4) throw new ArgumentException($"{Name}: expects (N, C, H, W) input, got {x.Shape}.");
        var g = geometry = PoolingOperation.Geometry(x.Shape, Size, Size, Stride, Pad);
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
        var g = geometry;
        var dx = ResultTensor(ref dxBuffer, [g.N, g.C, g.H, g.W], dout.Device);
        dout.Backend.MaxPoolBackward(dout.Storage, where.Storage, g, dx.Storage);  // lecture 2.3: dY goes to the argmax
        return dx;
    }
}
