using CourseKit.Backends;

namespace CourseKit.Tests.OnDevice;

/// <summary>
/// Max and average pooling, forward and backward, against the CPU backend. Max pooling only compares
/// and routes, so it must agree exactly (values and argmax); average pooling sums at most PH·PW terms
/// in a different order, within 1e-6 relative.
/// </summary>
public abstract class DevicePoolingTests(IDeviceFixture fixture)
{
    // (N, C, H, W, PH, PW, stride, pad): the lecture's 2×2 stride 2, odd sizes, overlapping frames, padding.
    public static TheoryData<int, int, int, int, int, int, int, int> Geometries => new()
    {
        { 2, 3, 8, 8, 2, 2, 2, 0 },
        { 1, 2, 7, 9, 2, 2, 2, 0 },
        { 2, 2, 9, 7, 3, 3, 1, 1 },
        { 3, 1, 10, 11, 3, 2, 2, 1 },
        { 1, 1, 5, 5, 5, 5, 1, 0 },
    };

    [Theory]
    [MemberData(nameof(Geometries))]
    public void MaxPoolingForwardAndBackwardMatchTheCpuExactly(int n, int c, int h, int w, int ph, int pw, int stride, int pad)
    {
        var g = new PoolingGeometry(n, c, h, w, ph, pw, stride, pad).Validate("MaxPool test");
        var random = new Random(h * 31 + w);
        // Negative inputs make padded zeros win some frames; repeated values make ties.
        var x = Enumerable.Range(0, n * c * h * w).Select(_ => (float)random.Next(-6, 4)).ToArray();
        int outputs = n * c * g.OH * g.OW;
        var y = new float[outputs];
        var argmax = new float[outputs];
        CpuBackend.Instance.MaxPoolForward(new CpuStorage(x), g, new CpuStorage(y), new CpuStorage(argmax));

        var yDevice = fixture.Device.Allocate(outputs);
        var argmaxDevice = fixture.Device.Allocate(outputs);
        fixture.Backend.MaxPoolForward(fixture.Upload(x), g, yDevice, argmaxDevice);
        Assert.Equal(y, fixture.Download(yDevice));
        Assert.Equal(argmax, fixture.Download(argmaxDevice));

        var dy = Numbers.Random(random, outputs);
        var dx = new float[x.Length];
        CpuBackend.Instance.MaxPoolBackward(new CpuStorage(dy), new CpuStorage(argmax), g, new CpuStorage(dx));
        var dxDevice = fixture.Upload(Enumerable.Repeat(7f, x.Length).ToArray());
        fixture.Backend.MaxPoolBackward(fixture.Upload(dy), argmaxDevice, g, dxDevice);
        // Overlapping frames can route two gradients to one pixel: sums of two floats, in the same order.
        Numbers.Close(dx, fixture.Download(dxDevice), 1e-6f, 0f, $"MaxPoolBackward {g}");
    }

    [Theory]
    [MemberData(nameof(Geometries))]
    public void AveragePoolingForwardAndBackwardMatchTheCpu(int n, int c, int h, int w, int ph, int pw, int stride, int pad)
    {
        var g = new PoolingGeometry(n, c, h, w, ph, pw, stride, pad).Validate("AveragePool test");
        var random = new Random(h * 17 + w);
        var x = Numbers.Random(random, n * c * h * w);
        int outputs = n * c * g.OH * g.OW;
        var y = new float[outputs];
        CpuBackend.Instance.AveragePoolForward(new CpuStorage(x), g, new CpuStorage(y));
        var yDevice = fixture.Device.Allocate(outputs);
        fixture.Backend.AveragePoolForward(fixture.Upload(x), g, yDevice);
        Numbers.Close(y, fixture.Download(yDevice), 1e-6f, 1e-6f, $"AveragePoolForward {g}");

        var dy = Numbers.Random(random, outputs);
        var dx = new float[x.Length];
        CpuBackend.Instance.AveragePoolBackward(new CpuStorage(dy), g, new CpuStorage(dx));
        var dxDevice = fixture.Upload(Enumerable.Repeat(7f, x.Length).ToArray());
        fixture.Backend.AveragePoolBackward(fixture.Upload(dy), g, dxDevice);
        Numbers.Close(dx, fixture.Download(dxDevice), 1e-6f, 1e-6f, $"AveragePoolBackward {g}");
    }
}
