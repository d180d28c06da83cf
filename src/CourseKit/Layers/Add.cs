using CourseKit.Backends;

namespace CourseKit.Layers;

/// <summary>
/// The residual join ⊕ of lecture 4.2: z = x + y for inputs of the same shape (or more: z = x₁ + x₂ + …).
/// Backward hands dout unchanged to every input: ∂E/∂x = ∂E/∂y = ∂E/∂z.
/// </summary>
public sealed class Add
{
    private Shape? shape;
    private int count;

    public Tensor Forward(Tensor x, Tensor y) => Forward([x, y]);

    public (Tensor Dx, Tensor Dy) Backward(Tensor dout)
    {
        var d = BackwardAll(dout);
        if (d.Length != 2) throw new InvalidOperationException($"Add.Backward: the last Forward added {d.Length} tensors, not two; use BackwardAll.");
        return (d[0], d[1]);
    }

    /// <summary>The sum of any number of tensors of one shape; <paramref name="into"/> (optional) receives it.</summary>
    public Tensor Forward(IReadOnlyList<Tensor> inputs, Tensor? into = null)
    {
        if (inputs.Count == 0) throw new ArgumentException("Add: needs at least one tensor.");
        var s = inputs[0].Shape;
        foreach (var x in inputs)
        {
            if (x.Shape != s)
                throw new ArgumentException($"Add: all inputs must have the same shape, got {string.Join(" and ", inputs.Select(t => t.Shape))}.");
            Tensor.SameDevice("Add", inputs[0], x);
        }
        shape = s;
        count = inputs.Count;
        var z = into is not null && into.Shape == s && into.Device == inputs[0].Device ? into : new Tensor(s, inputs[0].Device);
        var strides = s.Strides();
        int[] dims = s.ToArray();
        var backend = inputs[0].Backend;
        if (count == 1) backend.Unary(UnaryOp.Copy, inputs[0].Storage, z.Storage, z.Length);
        else backend.Binary(BinaryOp.Add, inputs[0].Storage, strides, inputs[1].Storage, strides, z.Storage, dims);
        for (int i = 2; i < count; i++) backend.Binary(BinaryOp.Add, z.Storage, strides, inputs[i].Storage, strides, z.Storage, dims);
        return z;
    }

    /// <summary>dout for every input of the last Forward (the same tensor each time: ⊕ copies the gradient).</summary>
    public Tensor[] BackwardAll(Tensor dout)
    {
        if (shape is not { } s) throw new InvalidOperationException("Add.Backward was called before Add.Forward.");
        if (dout.Shape != s) throw new ArgumentException($"Add.Backward: dout has shape {dout.Shape}, but the output was {s}.");
        return [.. Enumerable.Repeat(dout, count)];
    }
}
