using CourseKit.Backends;

namespace CourseKit.Tests.OpenCl;

[Collection(OpenClCollection.Name)]
public sealed class DeviceSelectionTests(OpenClFixture fixture)
{
    [Fact]
    public void NamesResolveToTheCpuOrTheOpenClDevices()
    {
        var device = fixture.Device;
        Assert.Same(Device.Cpu, DeviceSelection.Parse("cpu"));
        Assert.Same(OpenClDevice.Default, DeviceSelection.Parse("opencl"));
        Assert.Same(device, DeviceSelection.Parse($"opencl:{device.Index}"));
        Assert.Same(device, DeviceSelection.Parse($"OpenCL:{device.DeviceName.Split(' ')[0]}"));
    }

    [Fact]
    public void AnUnknownDeviceNameListsTheAcceptedForms()
    {
        var error = Assert.Throws<ArgumentException>(() => DeviceSelection.Parse("tpu"));
        Assert.Contains("tpu", error.Message);
        Assert.Contains(DeviceSelection.Help, error.Message);
    }
}
