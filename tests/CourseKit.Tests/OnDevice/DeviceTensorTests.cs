using CourseKit.Backends;

namespace CourseKit.Tests.OnDevice;

/// <summary>Tensors moved to a device and back, and tensor code running unchanged on it (lecture 2.6).</summary>
public abstract class DeviceTensorTests(IDeviceFixture fixture)
{
    [Fact]
    public void MovingToTheDeviceAndBackPreservesEveryValue()
    {
        var values = Numbers.Random(new Random(1), 2 * 3 * 5 * 7, -1e6f, 1e6f);
        values[0] = float.NaN;
        values[1] = float.NegativeInfinity;
        values[2] = float.Epsilon;
        values[3] = -0f;
        var x = Tensor.FromData([2, 3, 5, 7], values);

        var onDevice = x.To(fixture.Device);
        Assert.Same(fixture.Device, onDevice.Device);
        Assert.Equal(x.Shape, onDevice.Shape);
        var back = onDevice.To(Device.Cpu);
        Assert.Same(Device.Cpu, back.Device);
        // Bitwise: NaN, -0 and subnormals survive the trip.
        Assert.Equal(values.Select(BitConverter.SingleToInt32Bits), back.ToArray().Select(BitConverter.SingleToInt32Bits));
        Assert.Same(onDevice, onDevice.To(fixture.Device));
    }

    [Fact]
    public void TensorArithmeticOnTheDeviceMatchesTheCpu()
    {
        var random = new Random(2);
        var a = Tensor.FromData([4, 6], Numbers.Random(random, 24));
        var b = Tensor.FromData([6], Numbers.Random(random, 6));
        var onCpu = Tensor.Maximum((a + b) * 2f - a.Exp(), a);
        var ga = a.To(fixture.Device);
        var gb = b.To(fixture.Device);
        var onDevice = Tensor.Maximum((ga + gb) * 2f - ga.Exp(), ga);
        Assert.Same(fixture.Device, onDevice.Device);
        Numbers.Close(onCpu.ToArray(), onDevice.ToArray(), 1e-5f, 1e-6f, "((a + b)·2 − exp a) max a");
    }

    [Fact]
    public void CloneOnTheDeviceIsAnIndependentCopy()
    {
        var x = Tensor.FromData([3], [1f, 2f, 3f]).To(fixture.Device);
        var copy = x.Clone();
        fixture.Backend.Fill(x.Storage, 0, 3, 0f);
        Assert.Equal([1f, 2f, 3f], copy.ToArray());
    }

    [Fact]
    public void TensorsOnTwoDevicesInOneOperationGiveAClearError()
    {
        var onCpu = Tensor.FromData([2, 2], [1f, 2f, 3f, 4f]);
        var onDevice = onCpu.To(fixture.Device);
        var error = Assert.Throws<InvalidOperationException>(() => onCpu + onDevice);
        Assert.Contains("cpu", error.Message);
        Assert.Contains(fixture.Device.Name, error.Message);
        Assert.Contains(".To(", error.Message);
    }

    [Fact]
    public void ReadingDeviceValuesAsAHostSpanSaysHowToMoveThem()
    {
        var onDevice = Tensor.FromData([2], [1f, 2f]).To(fixture.Device);
        var error = Assert.Throws<InvalidOperationException>(() => onDevice.AsSpan().Length);
        Assert.Contains(fixture.Device.Name, error.Message);
    }
}
