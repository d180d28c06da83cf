using CourseKit.Backends;
using CourseKit.Tests.OnDevice;

namespace CourseKit.Tests.Ilgpu;

/// <summary>
/// Convolution without the column matrix (IImplicitConvolution) on ILGPU, naive and tiled kernels, against the CPU
/// backend's implicit convolution (itself checked against im2col + GEMM). Bound: 1e-4 relative + 1e-5 absolute, room
/// for sums of up to a few hundred terms of size ≤ 1 in another order.
/// </summary>
[Collection(IlgpuCollection.Name)]
public sealed class ImplicitConvolutionTests(IlgpuFixture fixture)
{
    private const float Relative = 1e-4f, Absolute = 1e-5f;

    // (N, C, H, W, OC, FH, FW, stride, pad): the lecture's 3×3 pad 1, non-square filters, stride larger than the filter,
    // a filter as large as the padded input, and output channels below, at and above the CPU accelerator's tile (4).
    public static TheoryData<int, int, int, int, int, int, int, int, int> Geometries => new()
    {
        { 2, 3, 7, 7, 5, 3, 3, 1, 1 },
        { 1, 2, 9, 6, 3, 2, 4, 2, 0 },
        { 3, 2, 11, 6, 4, 3, 2, 3, 2 },
        { 2, 1, 5, 5, 6, 5, 5, 1, 2 },
        { 1, 4, 6, 5, 1, 1, 1, 1, 0 },
    };

    [Theory]
    [MemberData(nameof(Geometries))]
    public void ForwardWithAndWithoutBiasMatchesTheCpu(int n, int c, int h, int w, int oc, int fh, int fw, int stride, int pad)
    {
        var g = new ConvolutionGeometry(n, c, h, w, fh, fw, stride, pad).Validate("implicit convolution test");
        var random = new Random(n * 100 + h * 10 + oc);
        var x = Numbers.Random(random, n * c * h * w);
        var f = Numbers.Random(random, oc * g.PatchLength);
        var b = Numbers.Random(random, oc);
        int outputs = n * oc * g.OH * g.OW;
        foreach (bool withBias in new[] { false, true })
        {
            var expected = new float[outputs];
            CpuBackend.Instance.ConvolutionForward(new CpuStorage(x), g, new CpuStorage(f), oc, withBias ? new CpuStorage(b) : null, new CpuStorage(expected));
            foreach (bool tiled in new[] { false, true })
            {
                // NaN first: the kernels must overwrite Y, not accumulate into it.
                var y = fixture.Upload(Enumerable.Repeat(float.NaN, outputs).ToArray());
                fixture.IlgpuBackend.RunConvolutionForward(tiled, fixture.Upload(x), g, fixture.Upload(f), oc, withBias ? fixture.Upload(b) : null, y);
                Numbers.Close(expected, fixture.Download(y), Relative, Absolute, $"{(tiled ? "tiled" : "naive")} forward{(withBias ? " with bias" : "")}, {g}");
            }
        }
    }

    [Theory]
    [MemberData(nameof(Geometries))]
    public void BackwardFilterMatchesTheCpu(int n, int c, int h, int w, int oc, int fh, int fw, int stride, int pad)
    {
        var g = new ConvolutionGeometry(n, c, h, w, fh, fw, stride, pad).Validate("implicit convolution test");
        var random = new Random(n * 100 + w * 10 + oc);
        var x = Numbers.Random(random, n * c * h * w);
        var dy = Numbers.Random(random, n * oc * g.OH * g.OW);
        var expected = new float[oc * g.PatchLength];
        CpuBackend.Instance.ConvolutionBackwardFilter(new CpuStorage(dy), new CpuStorage(x), g, oc, new CpuStorage(expected));
        foreach (bool tiled in new[] { false, true })
        {
            var df = fixture.Upload(Enumerable.Repeat(float.NaN, expected.Length).ToArray());
            fixture.IlgpuBackend.RunConvolutionBackwardFilter(tiled, fixture.Upload(dy), fixture.Upload(x), g, oc, df);
            Numbers.Close(expected, fixture.Download(df), Relative, Absolute, $"{(tiled ? "tiled" : "naive")} backward filter, {g}");
        }
    }

    [Theory]
    [MemberData(nameof(Geometries))]
    public void BackwardInputMatchesTheCpusCol2ImOfFTransposedTimesDy(int n, int c, int h, int w, int oc, int fh, int fw, int stride, int pad)
    {
        var g = new ConvolutionGeometry(n, c, h, w, fh, fw, stride, pad).Validate("implicit convolution test");
        var random = new Random(n * 100 + h + w + oc);
        var f = Numbers.Random(random, oc * g.PatchLength);
        var dy = Numbers.Random(random, n * oc * g.OH * g.OW);
        // lecture 2.1 on the CPU: dcol = Fᵀ · dY image by image, then col2im adds every entry back where it came from.
        int k = g.PatchLength, p = g.OH * g.OW;
        var dcol = new CpuStorage(new float[k * g.Positions]);
        CpuBackend.Instance.GemmBatched(true, false, k, p, oc, n, 1f, new CpuStorage(f), 0, k, 0, new CpuStorage(dy), 0, p, oc * p,
                                        0f, dcol, 0, g.Positions, p);
        var expected = new float[n * c * h * w];
        CpuBackend.Instance.Col2Im(dcol, g, new CpuStorage(expected));

        var dx = fixture.Upload(Enumerable.Repeat(float.NaN, expected.Length).ToArray());
        Assert.True(((IImplicitConvolution)fixture.Backend).TryConvolutionBackwardInput(fixture.Upload(dy), fixture.Upload(f), g, oc, dx));
        Numbers.Close(expected, fixture.Download(dx), Relative, Absolute, $"backward input, {g}");
    }

    [Theory]
    [MemberData(nameof(DevicePerAxisStrideTests.Geometries), MemberType = typeof(DevicePerAxisStrideTests))]
    public void StrideAndPaddingPerAxisMatchTheCpu(int[] s)
    {
        // (SH, SW) and (PH, PW) differ in every case: a kernel that used one axis's numbers for both would fail
        var g = DevicePerAxisStrideTests.Convolution(s);
        const int oc = 5;
        var random = new Random(s[2] + s[3] * 7);
        float[] x = Numbers.Random(random, g.N * g.C * g.H * g.W), f = Numbers.Random(random, oc * g.PatchLength);
        float[] b = Numbers.Random(random, oc), dy = Numbers.Random(random, g.N * oc * g.OH * g.OW);
        float[] y = new float[dy.Length], df = new float[f.Length];
        CpuBackend.Instance.ConvolutionForward(new CpuStorage(x), g, new CpuStorage(f), oc, new CpuStorage(b), new CpuStorage(y));
        CpuBackend.Instance.ConvolutionBackwardFilter(new CpuStorage(dy), new CpuStorage(x), g, oc, new CpuStorage(df));
        var dx = CourseKit.Operations.ConvolutionOperation.BackwardInput(
            Tensor.FromData([g.N, oc, g.OH, g.OW], dy), Tensor.FromData([oc, g.C, g.FH, g.FW], f), g).ToArray();
        foreach (bool tiled in new[] { false, true })
        {
            string kernels = $"{(tiled ? "tiled" : "naive")} {g}";
            var yDevice = fixture.Upload(Enumerable.Repeat(float.NaN, y.Length).ToArray());
            var dfDevice = fixture.Upload(Enumerable.Repeat(float.NaN, df.Length).ToArray());
            fixture.IlgpuBackend.RunConvolutionForward(tiled, fixture.Upload(x), g, fixture.Upload(f), oc, fixture.Upload(b), yDevice);
            fixture.IlgpuBackend.RunConvolutionBackwardFilter(tiled, fixture.Upload(dy), fixture.Upload(x), g, oc, dfDevice);
            Numbers.Close(y, fixture.Download(yDevice), Relative, Absolute, $"{kernels}: Y");
            Numbers.Close(df, fixture.Download(dfDevice), Relative, Absolute, $"{kernels}: dF");
        }
        var dxDevice = fixture.Upload(Enumerable.Repeat(float.NaN, dx.Length).ToArray());
        Assert.True(((IImplicitConvolution)fixture.Backend).TryConvolutionBackwardInput(fixture.Upload(dy), fixture.Upload(f), g, oc, dxDevice));
        Numbers.Close(dx, fixture.Download(dxDevice), Relative, Absolute, $"dX {g}");
    }

    [Fact]
    public void AFilterTooSmallForItsShapeIsNamedInsteadOfReadPastItsEnd()
    {
        var g = new ConvolutionGeometry(1, 2, 5, 5, 3, 3, 1, 1);
        var error = Assert.Throws<ArgumentException>(() =>
            fixture.IlgpuBackend.RunConvolutionForward(false, fixture.Upload(new float[50]), g, fixture.Upload(new float[17]), 2, null, fixture.Device.Allocate(50)));
        Assert.Contains("ConvolutionForward", error.Message);
        Assert.Contains("F (OC, C, FH, FW) = (2, 2, 3, 3)", error.Message);
    }
}
