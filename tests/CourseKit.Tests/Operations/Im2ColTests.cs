using CourseKit.Backends;
using CourseKit.Operations;
using static CourseKit.Tests.Operations.OperationsReference;

namespace CourseKit.Tests.Operations;

public class Im2ColTests
{
    private static readonly float[,] LectureX = { { 1, 2, 3, 4 }, { 5, 6, 7, 8 }, { 9, 10, 11, 12 }, { 13, 14, 15, 16 } };

    // lecture 1.3: the four 3x3 patches of the 4x4 example, one per output position (0,0), (0,1), (1,0), (1,1).
    private static readonly float[,] LectureXTilde =
    {
        { 1, 2, 3, 5, 6, 7, 9, 10, 11 },
        { 2, 3, 4, 6, 7, 8, 10, 11, 12 },
        { 5, 6, 7, 9, 10, 11, 13, 14, 15 },
        { 6, 7, 8, 10, 11, 12, 14, 15, 16 },
    };

    [Fact]
    public void Simple_gives_the_lecture_X_tilde_of_the_4x4_example()
    {
        var xt = Im2Col.Simple(Image(LectureX), 3, 3);
        Assert.Equal(new Shape(4, 9), xt.Shape);
        Assert.Equal(Flat(LectureXTilde), xt.ToArray());
    }

    [Fact]
    public void ViaXHat_gives_the_lecture_X_tilde_of_the_4x4_example()
    {
        var xt = Im2Col.ViaXHat(Image(LectureX), 3, 3);
        Assert.Equal(new Shape(4, 9), xt.Shape);
        Assert.Equal(Flat(LectureXTilde), xt.ToArray());
    }

    [Fact]
    public void XHat_holds_the_OHxOW_block_shifted_by_each_filter_position()
    {
        // lecture 1.3: X-hat[fh, fw] = x[fh:fh + 2, fw:fw + 2]; e.g. (0, 0) -> [[1, 2], [5, 6]], (2, 1) -> [[10, 11], [14, 15]].
        var xh = Im2Col.XHat(Image(LectureX), 3, 3);
        Assert.Equal(new Shape(1, 1, 3, 3, 2, 2), xh.Shape);
        var a = xh.ToArray();
        Assert.Equal(new float[] { 1, 2, 5, 6 }, a[0..4]);
        Assert.Equal(new float[] { 10, 11, 14, 15 }, a.AsSpan((2 * 3 + 1) * 4, 4).ToArray());
    }

    public static TheoryData<int, int, int, int, int, int, int, int> Shapes => new()
    {
        { 1, 1, 4, 4, 3, 3, 1, 0 },
        { 2, 3, 5, 5, 3, 3, 1, 1 },
        { 2, 2, 7, 5, 1, 1, 1, 0 },
        { 3, 2, 6, 9, 2, 3, 2, 0 },
        { 1, 3, 8, 8, 2, 2, 3, 0 },
        { 2, 1, 9, 7, 3, 2, 2, 2 },
        { 1, 2, 5, 6, 5, 5, 1, 2 },
        { 2, 2, 11, 10, 4, 4, 3, 1 },
        { 1, 1, 2, 3, 1, 1, 4, 3 }, // padding wider than the image, stride beyond it
    };

    [Theory, MemberData(nameof(Shapes))]
    public void Both_lecture_algorithms_and_the_backend_columns_agree(int n, int c, int h, int w, int fh, int fw, int s, int p)
    {
        var x = Random(new Random(h * 31 + w * 7 + s), n, c, h, w);
        var simple = Im2Col.Simple(x, fh, fw, s, p);
        var viaXHat = Im2Col.ViaXHat(x, fh, fw, s, p);
        var columns = Im2Col.Columns(x, fh, fw, s, p);
        Assert.Equal(simple.ToArray(), viaXHat.ToArray());
        Assert.Equal(simple.Shape, columns.T.Shape);
        Assert.Equal(simple.ToArray(), columns.T.ToArray());
    }

    [Theory, MemberData(nameof(Shapes))]
    public void Col2im_is_the_adjoint_of_im2col(int n, int c, int h, int w, int fh, int fw, int s, int p)
    {
        // <im2col(x), col> = <x, col2im(col)> for every x and col: col2im adds each entry back where it came from.
        var rng = new Random(h * 13 + w + s * 5);
        var x = Random(rng, n, c, h, w);
        var g = new ConvolutionGeometry(n, c, h, w, fh, fw, s, p);
        var col = Random(rng, g.PatchLength, g.Positions);
        double left = Dot(D(Im2Col.Columns(x, g)), D(col));
        double right = Dot(D(x), D(Im2Col.Col2Im(col, g)));
        Assert.Equal(left, right, 4);
    }

    [Theory, MemberData(nameof(Shapes))]
    public void Fast_cpu_kernels_equal_the_reference_loops(int n, int c, int h, int w, int fh, int fw, int s, int p)
    {
        var rng = new Random(h * 17 + w * 3 + p);
        var g = new ConvolutionGeometry(n, c, h, w, fh, fw, s, p);
        float[] x = Random(rng, n, c, h, w).ToArray();
        float[] fast = new float[g.PatchLength * g.Positions], reference = new float[fast.Length];
        CpuIm2Col.Im2Col(x, g, fast);
        CpuIm2Col.Im2ColReference(x, g, reference);
        Assert.Equal(reference, fast);

        float[] col = Random(rng, g.PatchLength, g.Positions).ToArray();
        float[] dxFast = Enumerable.Repeat(float.NaN, x.Length).ToArray(), dxReference = new float[x.Length]; // the kernel must overwrite
        CpuIm2Col.Col2Im(col, g, dxFast);
        CpuIm2Col.Col2ImReference(col, g, dxReference);
        Assert.Equal(dxReference, dxFast);
    }

    [Fact]
    public void Fast_cpu_kernels_equal_the_reference_on_a_large_input_that_runs_in_parallel()
    {
        var rng = new Random(5);
        foreach (var g in new[] { new ConvolutionGeometry(8, 6, 23, 19, 3, 3, 1, 1), new ConvolutionGeometry(5, 3, 31, 29, 5, 4, 2, 2) })
        {
            float[] x = Random(rng, g.N, g.C, g.H, g.W).ToArray();
            float[] fast = new float[g.PatchLength * g.Positions], reference = new float[fast.Length];
            CpuIm2Col.Im2Col(x, g, fast);
            CpuIm2Col.Im2ColReference(x, g, reference);
            Assert.Equal(reference, fast);
            float[] dxFast = new float[x.Length], dxReference = new float[x.Length];
            CpuIm2Col.Col2Im(reference, g, dxFast);
            CpuIm2Col.Col2ImReference(reference, g, dxReference);
            Assert.Equal(dxReference, dxFast);
        }
    }

    [Fact]
    public void Wrong_rank_input_is_reported()
    {
        var e = Assert.Throws<ArgumentException>(() => Im2Col.ViaXHat(Tensor.Zeros(4, 4), 3, 3));
        Assert.Equal("im2col: the input must have 4 axes (N, C, H, W) but has 2 (shape (4,4)).", e.Message);
    }
}
