using CourseKit.Backends;

namespace CourseKit.Tests.Tensors;

public class DeviceTests
{
    /// <summary>A device with host memory but a different name, enough to reach the device checks.</summary>
    private sealed class OtherDevice : Device
    {
        public override string Name => "other";
        public override IComputeBackend Backend => throw new NotSupportedException("no kernels on the test device");
        public override TensorStorage Allocate(int length) => new OtherStorage(this, length);
    }

    private sealed class OtherStorage(Device device, int length) : TensorStorage
    {
        private readonly float[] data = new float[length];
        public override Device Device => device;
        public override int Length => data.Length;
        public override void CopyFrom(ReadOnlySpan<float> source, int offset = 0) => source.CopyTo(data.AsSpan(offset));
        public override void CopyTo(Span<float> destination, int offset = 0) => data.AsSpan(offset, destination.Length).CopyTo(destination);
    }

    [Fact]
    public void MixingDevicesNamesBothDevicesAndShapes()
    {
        var cpu = Tensor.Ones(2, 3);
        var other = new Tensor([2, 3], new OtherDevice());
        var e = Assert.Throws<InvalidOperationException>(() => cpu + other);
        Assert.Contains("cpu", e.Message);
        Assert.Contains("other", e.Message);
        Assert.Contains("(2, 3)", e.Message);
        Assert.Contains(".To(", e.Message);
        Assert.Throws<InvalidOperationException>(() => Tensor.MatMul(cpu, other.Reshape(3, 2)));
    }

    [Fact]
    public void APlainNumberFollowsTheTensorToItsDevice()
    {
        // 0f becomes a 0-d CPU tensor; it must not count as "another device" (no kernel runs before the move).
        var other = new Tensor([2, 3], new OtherDevice());
        var e = Assert.Throws<NotSupportedException>(() => Tensor.Maximum(other, 0f));
        Assert.Contains("test device", e.Message);
    }

    [Fact]
    public void TensorsMoveBetweenDevicesWithTheirValues()
    {
        var device = new OtherDevice();
        var x = Tensor.Arange(6).Reshape(2, 3);
        var moved = x.To(device);
        Assert.Equal(device, moved.Device);
        Assert.Equal(x.ToArray(), moved.ToArray());
        Assert.Equal(5f, moved[1, 2]);
        Assert.Equal(x.ToArray(), moved.To(Device.Cpu).ToArray());
        var e = Assert.Throws<InvalidOperationException>(() => moved.AsSpan());
        Assert.Contains("other", e.Message);
    }
}
