using CourseKit.Backends;
using CourseKit.Tests.OnDevice;

namespace CourseKit.Tests.OpenCl;

/// <summary>
/// The OpenCL device every test in the collection shares, so each kernel program is compiled once per
/// test run. Without an OpenCL runtime the tests fail with a message that says what to install; they
/// never pass silently (CI installs PoCL through ci/install-packages.sh).
/// </summary>
public sealed class OpenClFixture : DeviceFixture<OpenClDevice>
{
    private readonly OpenClDevice? device;
    private readonly string reason;

    public OpenClFixture()
    {
        if (OpenClDevice.IsAvailable(out reason)) device = OpenClDevice.Default;
    }

    public override OpenClDevice Device => device ?? throw new InvalidOperationException(
        $"The OpenCL tests cannot run on this machine: {reason}" +
        (Environment.GetEnvironmentVariable("CI") == "true" ? " CI must have PoCL: check ci/install-packages.sh (need pocl-opencl-icd)." : ""));

    public override string Name => "OpenCL";

    /// <summary>The backend as its own class, for members beyond the interface (the naive GEMM reference).</summary>
    public OpenClBackend OpenClBackend => (OpenClBackend)Device.Backend;
}

[CollectionDefinition(Name)]
public sealed class OpenClCollection : ICollectionFixture<OpenClFixture>
{
    public const string Name = "OpenCL";
}
