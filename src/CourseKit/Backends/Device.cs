namespace CourseKit.Backends;

/// <summary>
/// Where a tensor's data lives and which backend computes on it. The CPU is the default;
/// a GPU device (OpenCL) is another subclass with its own <see cref="IComputeBackend"/>.
/// </summary>
public abstract class Device
{
    /// <summary>The host CPU with the managed SIMD backend.</summary>
    public static Device Cpu => CpuDevice.Instance;

    public abstract string Name { get; }

    public abstract IComputeBackend Backend { get; }

    public abstract TensorStorage Allocate(int length);

    public override string ToString() => Name;
}
