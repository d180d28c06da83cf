namespace CourseKit;

/// <summary>Joining tensors: Concat along an existing axis (U-Net's skip connections join along channels, lecture 5.4), Stack along a new one.</summary>
public sealed partial class Tensor
{
    /// <summary>Joins tensors along an existing axis; all other sizes must agree (NumPy's concatenate).</summary>
    public static Tensor Concat(IReadOnlyList<Tensor> tensors, int axis = 0)
    {
        if (tensors.Count == 0) throw new ArgumentException("Concat needs at least one tensor.");
        var first = tensors[0];
        int a = first.Shape.NormalizeAxis(axis, "Concat");
        var shape = first.Shape.ToArray();
        int total = 0;
        foreach (var t in tensors)
        {
            SameDevice("Concat", first, t);
            bool fits = t.Rank == first.Rank;
            for (int d = 0; fits && d < t.Rank; d++) fits = d == a || t.dims[d] == first.dims[d];
            if (!fits)
                throw new ArgumentException(
                    $"Concat along axis {axis}: shapes {string.Join(", ", tensors.Select(x => x.Shape))} do not fit; all sizes except axis {a} must be equal.");
            total += t.dims[a];
        }
        shape[a] = total;
        var y = new Tensor(shape, first.Device);
        var yStrides = y.Shape.Strides();
        int offset = 0;
        // Each input is copied into its block of the output: same strides, shifted along the axis.
        foreach (var t in tensors)
        {
            if (t.Length > 0) t.Backend.StridedCopy(t.Storage, 0, t.Shape.Strides(), y.Storage, offset * yStrides[a], yStrides, t.dims);
            offset += t.dims[a];
        }
        return y;
    }

    /// <summary>Joins tensors of one shape along a new axis (NumPy's stack): n tensors of (H, W) → (n, H, W) for axis 0.</summary>
    public static Tensor Stack(IReadOnlyList<Tensor> tensors, int axis = 0)
    {
        if (tensors.Count == 0) throw new ArgumentException("Stack needs at least one tensor.");
        var first = tensors[0];
        foreach (var t in tensors)
            if (t.Shape != first.Shape)
                throw new ArgumentException($"Stack: all tensors must have the same shape, but got {string.Join(", ", tensors.Select(x => x.Shape))}.");
        int a = axis < 0 ? axis + first.Rank + 1 : axis;
        if (a < 0 || a > first.Rank)
            throw new ArgumentOutOfRangeException(nameof(axis), $"Stack: the new axis for tensors of shape {first.Shape} can go at positions {-first.Rank - 1}..{first.Rank}, not {axis}.");
        return Concat(tensors.Select(t => t.Unsqueeze(a)).ToArray(), a);
    }
}
