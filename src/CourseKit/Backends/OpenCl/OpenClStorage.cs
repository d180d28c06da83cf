using CourseKit.Backends.OpenCl;
using static CourseKit.Backends.OpenCl.OpenClNative;

namespace CourseKit.Backends;

/// <summary>Device memory: one OpenCL buffer of float32. Copies to and from the host wait until they are done.</summary>
public sealed unsafe class OpenClStorage : TensorStorage
{
    private readonly OpenClDevice device;

    internal OpenClStorage(OpenClDevice device, int length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        this.device = device;
        Length = length;
        Buffer = device.CreateBuffer((long)length * sizeof(float));
    }

    public override Device Device => device;

    public override int Length { get; }

    internal ClBuffer Buffer { get; }

    public override void CopyFrom(ReadOnlySpan<float> source, int offset = 0)
    {
        CheckRange("CopyFrom", source.Length, offset);
        if (source.IsEmpty) return;
        fixed (float* p = source)
        {
            int error = clEnqueueWriteBuffer(device.Queue.Value, Buffer.Value, 1, (nuint)offset * sizeof(float), (nuint)source.Length * sizeof(float), p, 0, null, null);
            if (error != 0) throw new OpenClException("clEnqueueWriteBuffer", error, $"{source.Length} floats to {device}");
        }
        GC.KeepAlive(Buffer);
    }

    public override void CopyTo(Span<float> destination, int offset = 0)
    {
        CheckRange("CopyTo", destination.Length, offset);
        if (destination.IsEmpty) return;
        fixed (float* p = destination)
        {
            int error = clEnqueueReadBuffer(device.Queue.Value, Buffer.Value, 1, (nuint)offset * sizeof(float), (nuint)destination.Length * sizeof(float), p, 0, null, null);
            if (error != 0) throw new OpenClException("clEnqueueReadBuffer", error, $"{destination.Length} floats from {device}");
        }
        GC.KeepAlive(Buffer);
    }

    private void CheckRange(string operation, int count, int offset)
    {
        if (offset < 0 || count > Length - offset)
            throw new ArgumentOutOfRangeException(nameof(offset), $"{operation}: {count} floats at offset {offset} do not fit a device buffer of {Length} floats.");
    }
}
