using CourseKit.Backends;

namespace CourseKit;

/// <summary>
/// Sums, means, maxima and their positions, over all elements or along axes (NumPy's <c>axis=</c>, <c>keepdims=</c>).
/// Over all elements the result is a 0-d tensor (read it with <c>.Item()</c> or <c>(float)</c>), like NumPy's scalar.
/// </summary>
public sealed partial class Tensor
{
    public Tensor Sum() => ReduceAll(ReduceOp.Sum, "Sum");
    public Tensor Sum(int axis, bool keepDims = false) => Reduce(ReduceOp.Sum, [axis], keepDims, "Sum");
    /// <summary>Sum over several axes, e.g. the bias gradient <c>dY.Sum([0, 2, 3])</c> of an (N, C, H, W) output.</summary>
    public Tensor Sum(int[] axes, bool keepDims = false) => Reduce(ReduceOp.Sum, axes, keepDims, "Sum");

    public Tensor Mean() => Sum() * (1f / CheckNotEmpty("Mean"));
    public Tensor Mean(int axis, bool keepDims = false) => Mean([axis], keepDims);
    public Tensor Mean(int[] axes, bool keepDims = false)
    {
        var sum = Reduce(ReduceOp.Sum, axes, keepDims, "Mean");
        int count = Length / Math.Max(1, sum.Length);
        return sum * (1f / count);
    }

    /// <summary>Population variance (NumPy's default ddof=0), as used by batch normalization.</summary>
    public Tensor Var() => (this - Mean()).Square().Mean();
    public Tensor Var(int axis, bool keepDims = false) => Var([axis], keepDims);
    public Tensor Var(int[] axes, bool keepDims = false)
    {
        var centered = this - Mean(axes, keepDims: true);
        return centered.Square().Mean(axes, keepDims);
    }

    public Tensor Max() => ReduceAll(ReduceOp.Max, "Max");
    public Tensor Max(int axis, bool keepDims = false) => Reduce(ReduceOp.Max, [axis], keepDims, "Max");
    public Tensor Max(int[] axes, bool keepDims = false) => Reduce(ReduceOp.Max, axes, keepDims, "Max");

    public Tensor Min() => ReduceAll(ReduceOp.Min, "Min");
    public Tensor Min(int axis, bool keepDims = false) => Reduce(ReduceOp.Min, [axis], keepDims, "Min");
    public Tensor Min(int[] axes, bool keepDims = false) => Reduce(ReduceOp.Min, axes, keepDims, "Min");

    /// <summary>Flat (row-major) position of the largest element; the first one on ties (NumPy's argmax()).</summary>
    public int ArgMax() => (int)ReduceAll(ReduceOp.ArgMax, "ArgMax").Item();
    /// <summary>Position of the largest element along <paramref name="axis"/>, as floats (e.g. the predicted class per row).</summary>
    public Tensor ArgMax(int axis, bool keepDims = false) => Reduce(ReduceOp.ArgMax, [axis], keepDims, "ArgMax");

    public int ArgMin() => (int)ReduceAll(ReduceOp.ArgMin, "ArgMin").Item();
    public Tensor ArgMin(int axis, bool keepDims = false) => Reduce(ReduceOp.ArgMin, [axis], keepDims, "ArgMin");

    private int CheckNotEmpty(string operation)
    {
        if (Length == 0) throw new InvalidOperationException($"{operation}: the tensor of shape {Shape} has no elements.");
        return Length;
    }

    private Tensor ReduceAll(ReduceOp op, string operation)
    {
        var y = new Tensor([], Device);
        if (Length == 0 && op == ReduceOp.Sum) return y;
        CheckNotEmpty(operation);
        Backend.Reduce(op, Storage, 1, Length, 1, y.Storage);
        return y;
    }

    /// <summary>
    /// Reduces the given axes, each backend call reducing the middle axis of an (outer, axis, inner) view.
    /// Neighbouring axes are one block in memory, so they are merged and reduced in one pass:
    /// the bias gradient <c>Sum([0, 2, 3])</c> of (N, C, H, W) is two passes, over H·W and then over N.
    /// </summary>
    private Tensor Reduce(ReduceOp op, int[] axes, bool keepDims, string operation)
    {
        var normalized = axes.Select(a => Shape.NormalizeAxis(a, operation)).Distinct().Order().ToArray();
        if (normalized.Length != axes.Length)
            throw new ArgumentException($"{operation}: an axis appears twice in {Shape.Format(axes)} (shape {Shape}).");
        if (normalized.Length > 1 && op is ReduceOp.ArgMax or ReduceOp.ArgMin)
            throw new ArgumentException($"{operation}: takes one axis, but {Shape.Format(axes)} were given.");
        foreach (int d in normalized)
            if (dims[d] == 0 && op != ReduceOp.Sum)
                throw new InvalidOperationException($"{operation}: axis {d} of the tensor of shape {Shape} has size 0, so there is nothing to compare.");
        // Merge runs of neighbouring reduced axes into one axis each.
        var merged = new List<int>(Rank);
        var reducedMerged = new List<int>();
        for (int d = 0; d < Rank; d++)
        {
            bool reduced = normalized.Contains(d);
            if (reduced && d > 0 && normalized.Contains(d - 1)) merged[^1] *= dims[d];
            else
            {
                if (reduced) reducedMerged.Add(merged.Count);
                merged.Add(dims[d]);
            }
        }
        var x = Reshape(merged.ToArray());
        for (int i = reducedMerged.Count - 1; i >= 0; i--) x = x.ReduceAxis(op, reducedMerged[i], operation);
        var shape = new List<int>(Rank);
        for (int d = 0; d < Rank; d++)
            if (!normalized.Contains(d)) shape.Add(dims[d]);
            else if (keepDims) shape.Add(1);
        return x.Reshape(shape.ToArray());
    }

    /// <summary>One axis, keeping it with size 1.</summary>
    private Tensor ReduceAxis(ReduceOp op, int axis, string operation)
    {
        int outer = 1, inner = 1, n = dims[axis];
        for (int d = 0; d < axis; d++) outer *= dims[d];
        for (int d = axis + 1; d < Rank; d++) inner *= dims[d];
        var shape = (int[])dims.Clone();
        shape[axis] = 1;
        var y = new Tensor(shape, Device);
        if (n == 0)
        {
            if (op == ReduceOp.Sum) return y;
            throw new InvalidOperationException($"{operation}: axis {axis} of the tensor of shape {Shape} has size 0, so there is nothing to compare.");
        }
        if (y.Length > 0) Backend.Reduce(op, Storage, outer, n, inner, y.Storage);
        return y;
    }
}
