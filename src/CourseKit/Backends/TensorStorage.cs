namespace CourseKit.Backends;

/// <summary>
/// A block of float32 memory on one device. The CPU keeps a managed array; a GPU backend keeps a
/// device buffer. Tensors are views of a whole storage with a shape; they are always contiguous.
/// </summary>
public abstract class TensorStorage
{
    public abstract Device Device { get; }

    /// <summary>Number of float elements.</summary>
    public abstract int Length { get; }

    public abstract void CopyFrom(ReadOnlySpan<float> source, int offset = 0);

    public abstract void CopyTo(Span<float> destination, int offset = 0);
}
