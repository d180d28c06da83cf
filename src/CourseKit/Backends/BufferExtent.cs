namespace CourseKit.Backends;

/// <summary>
/// How many elements of a device buffer an operation reads or writes, from its offsets, strides and shape: what the
/// OpenCL and ILGPU backends check before a kernel runs, since a kernel outside its buffer fails far from the caller
/// or not at all. The CPU backend's arrays check their own bounds.
/// </summary>
internal static class BufferExtent
{
    /// <summary>
    /// Elements a strided walk over <paramref name="shape"/> touches from 0: the largest index plus one (0 when empty).
    /// A negative stride walks backwards from the offset (a flipped view, as in TransposedConvolution.Rotate180); the
    /// kernels index with signed ints, so that works as long as the walk stays at element 0 or after.
    /// </summary>
    public static long Strided(int offset, ReadOnlySpan<int> strides, ReadOnlySpan<int> shape, string operation)
    {
        foreach (int d in shape) if (d == 0) return 0;
        long first = offset, last = offset;
        for (int d = 0; d < shape.Length; d++)
        {
            long step = (long)(shape[d] - 1) * strides[d];
            if (step < 0) first += step; else last += step;
        }
        if (first < 0)
            throw new ArgumentException(
                $"{operation}: from offset {offset}, strides ({string.Join(", ", strides.ToArray())}) over shape ({string.Join(", ", shape.ToArray())}) " +
                $"reach element {first}, before the start of the buffer; a negative stride needs an offset at the far end of its axis.");
        return last + 1;
    }

    /// <summary>Elements an m×k (k×m when transposed) row-major operand with leading dimension ld occupies after its offset.</summary>
    public static long Matrix(bool trans, int rows, int cols, int offset, int ld, string operation, string role)
    {
        if (trans) (rows, cols) = (cols, rows);
        if (ld < cols) throw new ArgumentException($"{operation}: {role} is stored with {cols} columns, so its leading dimension must be at least {cols}, got {ld}.");
        return rows == 0 || cols == 0 ? 0 : offset + (long)(rows - 1) * ld + cols;
    }
}
