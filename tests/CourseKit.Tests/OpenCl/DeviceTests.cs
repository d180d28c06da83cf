using CourseKit.Backends;
using CourseKit.Tests.OnDevice;

namespace CourseKit.Tests.OpenCl;

[Collection(OpenClCollection.Name)]
public sealed class DeviceTests(OpenClFixture fixture)
{
    [Fact]
    public void ListingNamesEveryDeviceWithMemoryAndComputeUnits()
    {
        _ = fixture.Device;
        Assert.NotEmpty(OpenClDevice.All);
        foreach (var device in OpenClDevice.All)
        {
            Assert.False(string.IsNullOrWhiteSpace(device.DeviceName));
            Assert.True(device.GlobalMemoryBytes > 0, $"{device} reports no memory");
            Assert.True(device.ComputeUnits > 0, $"{device} reports no compute units");
            Assert.Contains(device.DeviceName, OpenClDevice.Describe());
        }
    }

    [Fact]
    public void GpusComeBeforeOtherDevices()
    {
        _ = fixture.Device;
        var kinds = OpenClDevice.All.Select(d => d.Kind == OpenClDeviceKind.Gpu ? 0 : 1).ToArray();
        Assert.Equal(kinds.Order(), kinds);
        Assert.Same(OpenClDevice.All[0], OpenClDevice.Default);
    }

    [Fact]
    public void PickingByIndexOrNameReturnsTheSameDeviceObject()
    {
        var device = fixture.Device;
        Assert.Same(device, OpenClDevice.Get(device.Index));
        Assert.Same(device, OpenClDevice.Get(device.DeviceName.ToUpperInvariant()));
    }

    [Fact]
    public void PickingAnUnknownDeviceListsTheDevicesThatExist()
    {
        var device = fixture.Device;
        var error = Assert.Throws<ArgumentException>(() => OpenClDevice.Get("no-such-device-xyz"));
        Assert.Contains("no-such-device-xyz", error.Message);
        Assert.Contains(device.DeviceName, error.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => OpenClDevice.Get(OpenClDevice.All.Count));
    }

    [Fact]
    public void FreshStorageIsZeroLikeOnTheCpu()
    {
        var storage = fixture.Device.Allocate(1000);
        Assert.All(Numbers.Read(storage), v => Assert.Equal(0f, v));
        Assert.Equal(fixture.Device, storage.Device);
    }
}
