using CourseKit.Backends;
using CourseKit.Operations;

namespace CourseKit.Layers;

/// <summary>Average pooling per channel (lecture 1.5); backward spreads dout / (size²) evenly over each frame.</summary>
public sealed class AveragePooling : Layer
{
    private PoolingGeometry? geometry;

    public AveragePooling(int size = 2, int stride = -1, int pad = 0)
    {
        Size = size;
        Stride = stride < 0 ? size : stride;
        Pad = pad;
    }

    public int Size { get; }
    public int Stride { get; }
    public int Pad { get; }

    public override Tensor Forward(Tensor x, bool training = false)
    {
        if (x.Rank != 4) throw new ArgumentException($"{Name}: expects (N, C, H, W) input, got {x.Shape}.");
        geometry = PoolingOperation.Geometry(x.Shape, Size, Size, Stride, Pad, Name);
        return PoolingOperation.Average(x, Size, Size, Stride, Pad);
    }

    public override Tensor Backward(Tensor dout)
    {
        var g = geometry ?? throw new InvalidOperationException($"{Name}.Backward was called before {Name}.Forward: run Forward on a mini-batch first.");
        ExpectGradient(dout, [g.N, g.C, g.OH, g.OW]);
        return PoolingOperation.AverageBackward(dout, g);
    }
}
