using CourseKit.Backends;
using CourseKit.Operations;

namespace CourseKit.Tests.OnDevice;

/// <summary>
/// Stride and padding per axis (issue 21) on a device, against the CPU backend (itself checked against the definitions in
/// Operations/PerAxisStrideTests): im2col exactly, col2im and pooling as the other device tests bound them, the
/// convolution operation end to end (ILGPU's implicit-convolution kernels: Ilgpu/ImplicitConvolutionTests). No case has SH = SW and PH = PW, so a kernel that used one axis's numbers for both would fail.
/// </summary>
public abstract class DevicePerAxisStrideTests(IDeviceFixture fixture)
{
    private const float Relative = 1e-4f, Absolute = 1e-5f;

    // (N, C, H, W, FH or PH, FW or PW, SH, SW, PH or PadH, PW or PadW), rectangular filters and frames
    public static TheoryData<int[]> Geometries => new()
    {
        new[] { 2, 3, 9, 11, 3, 5, 1, 2, 0, 1 },
        new[] { 2, 2, 10, 7, 2, 3, 2, 1, 2, 0 },
        new[] { 1, 3, 12, 13, 3, 2, 2, 3, 0, 1 },
        new[] { 3, 2, 8, 9, 3, 3, 1, 1, 2, 0 },
    };

    internal static ConvolutionGeometry Convolution(int[] s) =>
        new ConvolutionGeometry(s[0], s[1], s[2], s[3], s[4], s[5], s[6], s[7], s[8], s[9]).Validate("per-axis test");

    [Theory, MemberData(nameof(Geometries))]
    public void Im2ColAndCol2ImFollowEachAxisLikeTheCpu(int[] s)
    {
        var g = Convolution(s);
        var random = new Random(s[2] * 100 + s[3]);
        var x = Numbers.Random(random, g.N * g.C * g.H * g.W);
        var expected = new float[g.PatchLength * g.Positions];
        CpuBackend.Instance.Im2Col(new CpuStorage(x), g, new CpuStorage(expected));
        var col = fixture.Device.Allocate(expected.Length);
        fixture.Backend.Im2Col(fixture.Upload(x), g, col);
        Assert.Equal(expected, fixture.Download(col));

        var d = Numbers.Random(random, expected.Length);
        var dxExpected = new float[x.Length];
        CpuBackend.Instance.Col2Im(new CpuStorage(d), g, new CpuStorage(dxExpected));
        var dx = fixture.Upload(Enumerable.Repeat(123f, x.Length).ToArray());
        fixture.Backend.Col2Im(fixture.Upload(d), g, dx);
        Numbers.Close(dxExpected, fixture.Download(dx), 1e-6f, 1e-6f, $"{fixture.Name} Col2Im {g}");
    }

    [Theory, MemberData(nameof(Geometries))]
    public void PoolingFollowsEachAxisLikeTheCpu(int[] s)
    {
        var g = new PoolingGeometry(s[0], s[1], s[2], s[3], s[4], s[5], s[6], s[7], s[8], s[9]).Validate("per-axis test");
        var random = new Random(s[2] * 31 + s[3]);
        // integers with repeats and negatives: padded zeros win some frames, ties pick the first maximum
        var x = Enumerable.Range(0, g.N * g.C * g.H * g.W).Select(_ => (float)random.Next(-6, 4)).ToArray();
        int outputs = g.N * g.C * g.OH * g.OW;
        float[] y = new float[outputs], argmax = new float[outputs];
        CpuBackend.Instance.MaxPoolForward(new CpuStorage(x), g, new CpuStorage(y), new CpuStorage(argmax));
        TensorStorage yDevice = fixture.Device.Allocate(outputs), argmaxDevice = fixture.Device.Allocate(outputs);
        fixture.Backend.MaxPoolForward(fixture.Upload(x), g, yDevice, argmaxDevice);
        Assert.Equal(y, fixture.Download(yDevice));
        Assert.Equal(argmax, fixture.Download(argmaxDevice));

        var dy = Numbers.Random(random, outputs);
        var dx = new float[x.Length];
        CpuBackend.Instance.MaxPoolBackward(new CpuStorage(dy), new CpuStorage(argmax), g, new CpuStorage(dx));
        var dxDevice = fixture.Upload(Enumerable.Repeat(7f, x.Length).ToArray());
        fixture.Backend.MaxPoolBackward(fixture.Upload(dy), argmaxDevice, g, dxDevice);
        Numbers.Close(dx, fixture.Download(dxDevice), 1e-6f, 0f, $"{fixture.Name} MaxPoolBackward {g}");

        CpuBackend.Instance.AveragePoolForward(new CpuStorage(x), g, new CpuStorage(y));
        fixture.Backend.AveragePoolForward(fixture.Upload(x), g, yDevice);
        Numbers.Close(y, fixture.Download(yDevice), 1e-6f, 1e-6f, $"{fixture.Name} AveragePoolForward {g}");
        CpuBackend.Instance.AveragePoolBackward(new CpuStorage(dy), g, new CpuStorage(dx));
        fixture.Backend.AveragePoolBackward(fixture.Upload(dy), g, dxDevice);
        Numbers.Close(dx, fixture.Download(dxDevice), 1e-6f, 1e-6f, $"{fixture.Name} AveragePoolBackward {g}");
    }

    [Theory, MemberData(nameof(Geometries))]
    public void TheConvolutionOperationFollowsEachAxisLikeTheCpu(int[] s)
    {
        (int, int) stride = (s[6], s[7]), pad = (s[8], s[9]);
        var x = Tensor.Uniform([s[0], s[1], s[2], s[3]], -1f, 1f, seed: 1);
        var f = Tensor.Uniform([4, s[1], s[4], s[5]], -1f, 1f, seed: 2);
        var b = Tensor.Uniform([4], -1f, 1f, seed: 3);
        var y = ConvolutionOperation.Forward(x, f, b, stride, pad);
        var dy = Tensor.Uniform(y.Shape, -1f, 1f, seed: 4);
        var dF = ConvolutionOperation.BackwardFilter(dy, x, f.Shape, stride, pad);
        var dX = ConvolutionOperation.BackwardInput(dy, f, x.Shape, stride, pad);

        Tensor xd = x.To(fixture.Device), fd = f.To(fixture.Device), dyd = dy.To(fixture.Device);
        Numbers.Close(y.ToArray(), ConvolutionOperation.Forward(xd, fd, b.To(fixture.Device), stride, pad).ToArray(), Relative, Absolute, $"{fixture.Name} Y");
        Numbers.Close(dF.ToArray(), ConvolutionOperation.BackwardFilter(dyd, xd, f.Shape, stride, pad).ToArray(), Relative, Absolute, $"{fixture.Name} dF");
        Numbers.Close(dX.ToArray(), ConvolutionOperation.BackwardInput(dyd, fd, x.Shape, stride, pad).ToArray(), Relative, Absolute, $"{fixture.Name} dX");
    }
}
