using CourseKit.Backends.Ilgpu;
using ILGPU;
using ILGPU.Runtime;

namespace CourseKit.Backends;

/// <summary>
/// A tensor's memory on an ILGPU accelerator: a buffer borrowed from the device's pool and given back when
/// this storage is collected. Copies to and from the host wait until they are done.
/// </summary>
public sealed class IlgpuStorage : TensorStorage
{
    private readonly IlgpuDevice device;
    private readonly MemoryBuffer1D<float, Stride1D.Dense> buffer;

    internal IlgpuStorage(IlgpuDevice device, int length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        this.device = device;
        Length = length;
        buffer = device.Pool.Rent(length);
    }

    ~IlgpuStorage() => device.Pool.Return(buffer);

    public override Device Device => device;

    public override int Length { get; }

    /// <summary>The whole buffer as a kernel argument.</summary>
    internal ArrayView<float> View => buffer.View;

    public override void CopyFrom(ReadOnlySpan<float> source, int offset = 0)
    {
        CheckRange("CopyFrom", source.Length, offset);
        if (source.IsEmpty) return;
        lock (device.Gate)
        {
            device.Bind();
            buffer.View.SubView(offset, source.Length).CopyFromCPU(device.Stream, source);
            device.Stream.Synchronize();
        }
        GC.KeepAlive(this);
    }

    public override void CopyTo(Span<float> destination, int offset = 0)
    {
        CheckRange("CopyTo", destination.Length, offset);
        if (destination.IsEmpty) return;
        lock (device.Gate)
        {
            device.Bind();
            buffer.View.SubView(offset, destination.Length).CopyToCPU(device.Stream, destination);
            device.Stream.Synchronize();
        }
        GC.KeepAlive(this);
    }

    private void CheckRange(string operation, int count, int offset)
    {
        if (offset < 0 || count > Length - offset)
            throw new ArgumentOutOfRangeException(nameof(offset), $"{operation}: {count} floats at offset {offset} do not fit a device buffer of {Length} floats.");
    }
}
