namespace CourseKit.Layers;

/// <summary>
/// Joins tensors along the channel axis 1 (U-Net's skip connections, Inception's parallel branches): (N, C1, …),
/// (N, C2, …), … give (N, C1 + C2 + …, …). Backward splits dout back into the channel ranges.
/// </summary>
public sealed class Concat
{
    private int[] channels = [];

    public Tensor Forward(Tensor a, Tensor b) => Forward([a, b]);

    public (Tensor Da, Tensor Db) Backward(Tensor dout)
    {
        var d = BackwardAll(dout);
        if (d.Length != 2) throw new InvalidOperationException($"Concat.Backward: the last Forward joined {d.Length} tensors, not two; use BackwardAll.");
        return (d[0], d[1]);
    }

    /// <summary>Joins any number of tensors; <paramref name="into"/> (optional) receives the result.</summary>
    public Tensor Forward(IReadOnlyList<Tensor> inputs, Tensor? into = null)
    {
        if (inputs.Count == 0) throw new ArgumentException("Concat: needs at least one tensor.");
        var s0 = inputs[0].Shape;
        int total = 0;
        foreach (var x in inputs)
        {
            var s = x.Shape;
            bool fits = s.Rank == s0.Rank && s.Rank >= 2 && s[0] == s0[0];
            for (int d = 2; fits && d < s.Rank; d++) fits = s[d] == s0[d];
            if (!fits)
                throw new ArgumentException($"Concat: shapes {string.Join(" and ", inputs.Select(t => t.Shape))} can only be joined along axis 1 when all other axes agree.");
            Tensor.SameDevice("Concat", inputs[0], x);
            total += s[1];
        }
        channels = [.. inputs.Select(x => x.Shape[1])];
        int[] outShape = s0.ToArray();
        outShape[1] = total;
        var y = into is not null && into.Shape == new Shape(outShape) && into.Device == inputs[0].Device ? into : new Tensor(outShape, inputs[0].Device);
        var yStrides = y.Shape.Strides();
        int start = 0;
        foreach (var x in inputs)
        {
            x.Backend.StridedCopy(x.Storage, 0, x.Shape.Strides(), y.Storage, start * yStrides[1], yStrides, x.Shape.ToArray());
            start += x.Shape[1];
        }
        return y;
    }

    /// <summary>dout split into the channel ranges of the last Forward's inputs, in their order.</summary>
    public Tensor[] BackwardAll(Tensor dout)
    {
        if (channels.Length == 0) throw new InvalidOperationException("Concat.Backward was called before Concat.Forward.");
        if (dout.Rank < 2 || dout.Shape[1] != channels.Sum())
            throw new ArgumentException($"Concat.Backward: dout has shape {dout.Shape}, but the last Forward joined {channels.Sum()} channels.");
        var result = new Tensor[channels.Length];
        int start = 0;
        for (int i = 0; i < channels.Length; i++)
        {
            result[i] = Slice(dout, start, channels[i]);
            start += channels[i];
        }
        return result;
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
