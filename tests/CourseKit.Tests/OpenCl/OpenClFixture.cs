using CourseKit.Backends;
using CourseKit.Tests.OnDevice;

namespace CourseKit.Tests.OpenCl;

/// <summary>
/// The OpenCL device every test in the collection shares, so each kernel program is compiled once per
/// test run. Without an OpenCL runtime the tests fail with a message that says what to install; they
/// never pass silently (CI installs PoCL through ci/install-packages.sh).
/// </summary>
public sealed class OpenClFixture : IDeviceFixture
{
    private readonly OpenClDevice? device;
    private readonly string reason;

    public OpenClFixture()
    {
        if (OpenClDevice.IsAvailable(out reason)) device = OpenClDevice.Default;
    }

    public OpenClDevice Device => device ?? throw new InvalidOperationException(
        $"The OpenCL tests cannot run on this machine: {reason}" +
        (Environment.GetEnvironmentVariable("CI") == "true" ? " CI must have PoCL: check ci/install-packages.sh (need pocl-opencl-icd)." : ""));

    Device IDeviceFixture.Device => Device;

    public string Name => "OpenCL";

    public IComputeBackend Backend => Device.Backend;

    /// <summary>The backend as its own class, for members beyond the interface (the naive GEMM reference).</summary>
    public OpenClBackend OpenClBackend => (OpenClBackend)Device.Backend;

    /// <summary>A device storage holding <paramref name="values"/>.</summary>
    public TensorStorage Upload(float[] values)
    {
        var storage = Device.Allocate(values.Length);
        storage.CopyFrom(values);
        return storage;
    }

    public float[] Download(TensorStorage storage) => Numbers.Read(storage);
}

[CollectionDefinition(Name)]
public sealed class OpenClCollection : ICollectionFixture<OpenClFixture>
{
    public const string Name = "OpenCL";
}
