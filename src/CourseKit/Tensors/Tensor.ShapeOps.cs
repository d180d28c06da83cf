using CourseKit.Backends;

namespace CourseKit;

public sealed partial class Tensor
{
    /// <summary>The same elements with a new shape; one dimension may be −1 and is then inferred. Shares storage.</summary>
    public Tensor Reshape(params int[] shape)
    {
        var resolved = (int[])shape.Clone();
        int infer = -1;
        long known = 1;
        for (int i = 0; i < resolved.Length; i++)
        {
            if (resolved[i] == -1)
            {
                if (infer >= 0) throw new ArgumentException($"Reshape {Shape} -> {Shape.Format(shape)}: only one dimension can be -1.");
                infer = i;
            }
            else if (resolved[i] < 0) throw new ArgumentException($"Reshape {Shape} -> {Shape.Format(shape)}: dimensions must be positive or -1.");
            else known *= resolved[i];
        }
        if (infer >= 0)
        {
            if (known == 0 || Length % known != 0)
                throw new ArgumentException($"Cannot reshape a tensor of shape {Shape} ({Length} elements) into {Shape.Format(shape)}: {Length} is not divisible by {known}.");
            resolved[infer] = (int)(Length / known);
        }
        else if (known != Length)
            throw new ArgumentException($"Cannot reshape a tensor of shape {Shape} ({Length} elements) into {Shape.Format(shape)} ({known} elements).");
        return new Tensor(resolved, Storage);
    }

    /// <summary>A flat 1-D tensor (shares storage).</summary>
    public Tensor Flatten() => Reshape(Length);

    /// <summary>
    /// Permutes the axes: result axis i is input axis axes[i] (NumPy's transpose). With no arguments, reverses the axes.
    /// Copies the data into the new order.
    /// </summary>
    public Tensor Transpose(params int[] axes)
    {
        if (axes.Length == 0) axes = Enumerable.Range(0, Rank).Reverse().ToArray();
        if (axes.Length != Rank)
            throw new ArgumentException($"Transpose: a tensor of shape {Shape} needs {Rank} axes, but {axes.Length} were given ({Shape.Format(axes)}).");
        var seen = new bool[Rank];
        var outShape = new int[Rank];
        var inStrides = Shape.Strides();
        var readStrides = new int[Rank];
        for (int i = 0; i < Rank; i++)
        {
            int a = Shape.NormalizeAxis(axes[i], "Transpose");
            if (seen[a]) throw new ArgumentException($"Transpose: axis {a} appears twice in {Shape.Format(axes)}.");
            seen[a] = true;
            outShape[i] = dims[a];
            readStrides[i] = inStrides[a];
        }
        var y = new Tensor(outShape, Device);
        Backend.StridedCopy(Storage, 0, readStrides, y.Storage, 0, Shape.Wrap(outShape).Strides(), outShape);
        return y;
    }

    /// <summary>Matrix transpose of a 2-D tensor (NumPy's .T).</summary>
    public Tensor T => Rank == 2 ? Transpose(1, 0) : Transpose();

    /// <summary>Removes axes of size 1 (all of them, or only <paramref name="axis"/>). Shares storage.</summary>
    public Tensor Squeeze(int? axis = null)
    {
        if (axis is int given)
        {
            int a = Shape.NormalizeAxis(given, "Squeeze");
            if (dims[a] != 1)
                throw new ArgumentException($"Squeeze: axis {given} of a tensor of shape {Shape} has size {dims[a]}; only an axis of size 1 can be removed.");
            return Reshape(dims.Where((_, d) => d != a).ToArray());
        }
        return Reshape(dims.Where(d => d != 1).ToArray());
    }

    /// <summary>Inserts an axis of size 1 at <paramref name="axis"/> (−1 appends it). Shares storage.</summary>
    public Tensor Unsqueeze(int axis)
    {
        int a = axis < 0 ? axis + Rank + 1 : axis;
        if (a < 0 || a > Rank)
            throw new ArgumentOutOfRangeException(nameof(axis), $"Unsqueeze: a new axis of a tensor of shape {Shape} can go at positions {-Rank - 1}..{Rank}, not {axis}.");
        var shape = dims.ToList();
        shape.Insert(a, 1);
        return Reshape(shape.ToArray());
    }

    /// <summary>NumPy's name for <see cref="Unsqueeze"/>.</summary>
    public Tensor ExpandDims(int axis) => Unsqueeze(axis);

    /// <summary>A copy with the broadcast <paramref name="shape"/> (NumPy's broadcast_to, but materialized).</summary>
    public Tensor BroadcastTo(Shape shape)
    {
        if (shape.Rank < Rank || !BroadcastsTo(Shape, shape))
            throw new ArgumentException($"BroadcastTo: a tensor of shape {Shape} cannot be broadcast to {shape}; each size must be equal or 1, aligned from the right.");
        var to = shape.ToArray();
        var y = new Tensor(shape, Device);
        if (y.Length > 0) Backend.StridedCopy(Storage, 0, BroadcastStrides(Shape, to), y.Storage, 0, shape.Strides(), to);
        return y;
    }
}
