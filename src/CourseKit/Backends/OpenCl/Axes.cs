namespace CourseKit.Backends.OpenCl;

/// <summary>
/// Prepares shapes and strides for the strided kernels: drops axes of size 1 and merges neighbouring
/// axes that every operand walks contiguously (a contiguous (N, C, H, W) copy becomes one axis), so that
/// most calls need one or two axes and no more than eight ever reach a kernel.
/// </summary>
internal static class Axes
{
    public readonly record struct Dims(Int8Vector Vector, int Rank);

    public static (Dims Dims, Int8Vector[] Strides, int Total) Simplify(string operation, ReadOnlySpan<int> shape,
        ReadOnlySpan<int> strides0, ReadOnlySpan<int> strides1) =>
        Simplify(operation, shape, [strides0.ToArray(), strides1.ToArray()]);

    public static (Dims Dims, Int8Vector[] Strides, int Total) Simplify(string operation, ReadOnlySpan<int> shape,
        ReadOnlySpan<int> strides0, ReadOnlySpan<int> strides1, ReadOnlySpan<int> strides2) =>
        Simplify(operation, shape, [strides0.ToArray(), strides1.ToArray(), strides2.ToArray()]);

    private static (Dims, Int8Vector[], int) Simplify(string operation, ReadOnlySpan<int> shape, int[][] strides)
    {
        foreach (var s in strides)
            if (s.Length != shape.Length)
                throw new ArgumentException($"{operation}: a shape with {shape.Length} axes needs {shape.Length} strides per operand, got {s.Length}.");
        var dims = new List<int>();
        var kept = strides.Select(_ => new List<int>()).ToArray();
        long total = 1;
        for (int d = 0; d < shape.Length; d++)
        {
            total *= shape[d];
            if (shape[d] == 1) continue;
            int last = dims.Count - 1;
            // Axis d continues axis `last` when, for every operand, stepping `last` once equals walking all of d.
            bool merges = last >= 0;
            for (int o = 0; o < strides.Length && merges; o++) merges = kept[o][last] == strides[o][d] * shape[d];
            if (merges)
            {
                dims[last] *= shape[d];
                for (int o = 0; o < strides.Length; o++) kept[o][last] = strides[o][d];
            }
            else
            {
                dims.Add(shape[d]);
                for (int o = 0; o < strides.Length; o++) kept[o].Add(strides[o][d]);
            }
        }
        if (total > int.MaxValue)
            throw new ArgumentException($"{operation}: shape ({string.Join(", ", shape.ToArray())}) has more than {int.MaxValue} elements.");
        if (dims.Count > Int8Vector.MaxRank)
            throw new NotSupportedException(
                $"{operation}: the OpenCL kernels take at most {Int8Vector.MaxRank} axes, but shape ({string.Join(", ", shape.ToArray())}) " +
                $"still has {dims.Count} after merging contiguous ones. Reshape the tensors to fewer axes first.");
        var vectors = kept.Select(k => Int8Vector.From(k.ToArray())).ToArray();
        return (new Dims(Int8Vector.From(dims.ToArray()), dims.Count), vectors, (int)total);
    }
}
