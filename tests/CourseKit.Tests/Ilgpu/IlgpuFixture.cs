using CourseKit.Backends;
using CourseKit.Tests.OnDevice;

namespace CourseKit.Tests.Ilgpu;

/// <summary>
/// The ILGPU device every test in the collection shares, so each kernel is compiled once per test run:
/// ILGPU's CPU accelerator, which every machine has (it runs the GPU kernels with groups, shared memory and
/// barriers simulated on host threads), or the device COURSEKIT_ILGPU_DEVICE names ("cuda", "opencl:1", …)
/// on a machine with a GPU.
/// </summary>
public sealed class IlgpuFixture : DeviceFixture<IlgpuDevice>
{
    public IlgpuFixture()
    {
        var spec = Environment.GetEnvironmentVariable("COURSEKIT_ILGPU_DEVICE");
        Device = string.IsNullOrWhiteSpace(spec) ? IlgpuDevice.CpuAccelerator : IlgpuDevice.Get(spec);
    }

    public override IlgpuDevice Device { get; }

    public override string Name => "ILGPU";

    /// <summary>The backend as its own class, for members beyond the interface (the three GEMM kernels).</summary>
    public IlgpuBackend IlgpuBackend => (IlgpuBackend)Device.Backend;
}

[CollectionDefinition(Name)]
public sealed class IlgpuCollection : ICollectionFixture<IlgpuFixture>
{
    public const string Name = "ILGPU";
}
