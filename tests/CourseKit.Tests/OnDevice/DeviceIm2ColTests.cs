using CourseKit.Backends;

namespace CourseKit.Tests.OnDevice;

/// <summary>
/// im2col and col2im against the CPU backend. im2col only copies, so it must agree exactly; col2im sums
/// at most FH·FW entries per pixel in the same order as the CPU, so it agrees within 1e-6 relative.
/// </summary>
public abstract class DeviceIm2ColTests(IDeviceFixture fixture)
{
    // (N, C, H, W, FH, FW, stride, pad): the lecture's 3×3 pad 1, odd sizes, stride larger than the filter, overlapping windows.
    public static TheoryData<int, int, int, int, int, int, int, int> Geometries => new()
    {
        { 2, 3, 7, 7, 3, 3, 1, 1 },
        { 1, 1, 5, 9, 2, 4, 2, 0 },
        { 3, 2, 11, 6, 3, 2, 3, 2 },
        { 2, 4, 8, 8, 5, 5, 2, 2 },
        { 1, 3, 4, 4, 4, 4, 1, 0 },
        { 4, 1, 13, 10, 1, 1, 1, 0 },
    };

    [Theory]
    [MemberData(nameof(Geometries))]
    public void Im2ColMatchesTheCpuExactly(int n, int c, int h, int w, int fh, int fw, int stride, int pad)
    {
        var g = new ConvolutionGeometry(n, c, h, w, fh, fw, stride, pad).Validate("Im2Col test");
        var x = Numbers.Random(new Random(n * 1000 + h), n * c * h * w);
        var expected = new float[g.PatchLength * g.Positions];
        CpuBackend.Instance.Im2Col(new CpuStorage(x), g, new CpuStorage(expected));

        var col = fixture.Device.Allocate(expected.Length);
        fixture.Backend.Im2Col(fixture.Upload(x), g, col);
        Assert.Equal(expected, fixture.Download(col));
    }

    [Theory]
    [MemberData(nameof(Geometries))]
    public void Col2ImSumsOverlapsLikeTheCpu(int n, int c, int h, int w, int fh, int fw, int stride, int pad)
    {
        var g = new ConvolutionGeometry(n, c, h, w, fh, fw, stride, pad).Validate("Col2Im test");
        var col = Numbers.Random(new Random(n * 1000 + w), g.PatchLength * g.Positions);
        var expected = new float[n * c * h * w];
        CpuBackend.Instance.Col2Im(new CpuStorage(col), g, new CpuStorage(expected));

        // Garbage in dx first: col2im must overwrite, not accumulate.
        var dx = fixture.Upload(Enumerable.Repeat(123f, expected.Length).ToArray());
        fixture.Backend.Col2Im(fixture.Upload(col), g, dx);
        Numbers.Close(expected, fixture.Download(dx), 1e-6f, 1e-6f, $"Col2Im {g}");
    }
}
