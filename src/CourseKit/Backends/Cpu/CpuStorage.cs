namespace CourseKit.Backends;

/// <summary>Host memory: a managed float array.</summary>
public sealed class CpuStorage(float[] array) : TensorStorage
{
    public float[] Array { get; } = array;

    public override Device Device => CpuDevice.Instance;

    public override int Length => Array.Length;

    public Span<float> Span => Array;

    public override void CopyFrom(ReadOnlySpan<float> source, int offset = 0) => source.CopyTo(Array.AsSpan(offset));

    public override void CopyTo(Span<float> destination, int offset = 0) =>
        Array.AsSpan(offset, destination.Length).CopyTo(destination);
}
