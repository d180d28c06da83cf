using CourseKit.Backends;

namespace CourseKit.Tests.OnDevice;

/// <summary>
/// What every backend's fixture does the same way: its backend is its device's, and numbers go up and down through the
/// device's own storage. A backend's fixture says only which device it is, typed as that backend's device class.
/// </summary>
public abstract class DeviceFixture<TDevice> : IDeviceFixture where TDevice : Device
{
    public abstract TDevice Device { get; }

    Device IDeviceFixture.Device => Device;

    public abstract string Name { get; }

    public IComputeBackend Backend => Device.Backend;

    public TensorStorage Upload(float[] values)
    {
        var storage = Device.Allocate(values.Length);
        storage.CopyFrom(values);
        return storage;
    }

    public float[] Download(TensorStorage storage) => Numbers.Read(storage);
}
