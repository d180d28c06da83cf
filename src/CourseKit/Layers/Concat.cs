namespace CourseKit.Layers;

/// <summary>
/// Joins two tensors along the channel axis 1 (U-Net's skip connections): (N, C1, …) and (N, C2, …) give
/// (N, C1 + C2, …). Backward splits dout back into the two channel ranges.
/// </summary>
public sealed class Concat
{
    private int c1 = -1;

    public Tensor Forward(Tensor a, Tensor b)
    {
        var sa = a.Shape; var sb = b.Shape;
        bool fits = sa.Rank == sb.Rank && sa.Rank >= 2 && sa[0] == sb[0];
        for (int d = 2; fits && d < sa.Rank; d++) fits = sa[d] == sb[d];
        if (!fits)
            throw new ArgumentException($"Concat: shapes {sa} and {sb} can only be joined along axis 1 when all other axes agree.");
        Tensor.SameDevice("Concat", a, b);
        c1 = sa[1];
        int[] outShape = sa.ToArray();
        outShape[1] = sa[1] + sb[1];
        var y = new Tensor(outShape, a.Device);
        var yStrides = y.Shape.Strides();
        a.Backend.StridedCopy(a.Storage, 0, sa.Strides(), y.Storage, 0, yStrides, sa.ToArray());
        a.Backend.StridedCopy(b.Storage, 0, sb.Strides(), y.Storage, c1 * yStrides[1], yStrides, sb.ToArray());
        return y;
    }

    public (Tensor Da, Tensor Db) Backward(Tensor dout)
    {
        if (c1 < 0) throw new InvalidOperationException("Concat.Backward was called before Concat.Forward.");
        return (Slice(dout, 0, c1), Slice(dout, c1, dout.Shape[1] - c1));
    }

    private static Tensor Slice(Tensor x, int start, int count)
    {
        int[] shape = x.Shape.ToArray();
        shape[1] = count;
        var y = new Tensor(shape, x.Device);
        var xStrides = x.Shape.Strides();
        x.Backend.StridedCopy(x.Storage, start * xStrides[1], xStrides, y.Storage, 0, y.Shape.Strides(), shape);
        return y;
    }
}
