using CourseKit.Backends;

namespace CourseKit.Tests.Backends.Cpu;

/// <summary>
/// Implicit im2col (the GEMM packs its panels straight from the image) must give what the stored column matrix gives:
/// Y = F · col, dF = Σ dY_n · col_n^T and dX = col2im(F^T · dY), all computed here from <see cref="CpuIm2Col.Im2ColReference"/>
/// and <see cref="GemmReference"/> in plain loops.
/// </summary>
public sealed class ImplicitConvolutionTests
{
    // N, C, H, W, OC, FH, FW, S, P: 1x1 and non-square filters, stride > filter, non-square images, one image
    // (GEMMs on all cores) and more images than cores, panels that straddle output rows (OW not a multiple of 32),
    // k longer than one slice (C·FH·FW = 450 > 384) and n wider than one block (OH·OW = 2304 > 2048).
    public static TheoryData<int, int, int, int, int, int, int, int, int> Shapes => new()
    {
        { 1, 1, 5, 5, 1, 3, 3, 1, 0 },
        { 3, 2, 7, 9, 5, 3, 3, 1, 1 },
        { 2, 3, 8, 6, 4, 1, 1, 1, 0 },
        { 5, 4, 9, 7, 6, 2, 3, 2, 1 },
        { 3, 2, 11, 11, 3, 3, 3, 4, 2 },
        { 1, 50, 10, 13, 17, 3, 3, 1, 1 },
        { 4, 3, 48, 48, 33, 5, 5, 1, 2 },
        { 2, 18, 12, 12, 40, 5, 5, 1, 0 },
    };

    [Theory, MemberData(nameof(Shapes))]
    public void Forward_equals_filter_times_stored_columns(int n, int c, int h, int w, int oc, int fh, int fw, int s, int p)
    {
        var (g, x, f, b) = Problem(n, c, h, w, oc, fh, fw, s, p);
        var col = Columns(x, g);
        int k = g.PatchLength, positions = g.OH * g.OW;
        var expected = new float[n * oc * positions];
        for (int image = 0; image < n; image++)
        {
            GemmReference.Run(false, false, oc, positions, k, 1f, f, k, col.AsSpan(image * positions), g.Positions,
                              0f, expected.AsSpan(image * oc * positions), positions);
            for (int o = 0; o < oc; o++)
                for (int q = 0; q < positions; q++) expected[(image * oc + o) * positions + q] += b[o];
        }
        var y = Garbage(expected.Length);
        CpuImplicitConvolution.Forward(x, g, f, oc, b, y);
        AssertClose(expected, y, "Y");
    }

    [Theory, MemberData(nameof(Shapes))]
    public void Filter_gradient_equals_output_gradient_times_stored_columns(int n, int c, int h, int w, int oc, int fh, int fw, int s, int p)
    {
        var (g, x, _, _) = Problem(n, c, h, w, oc, fh, fw, s, p);
        var dy = Values(n * oc * g.OH * g.OW, seed: 7);
        var col = Columns(x, g);
        int k = g.PatchLength, positions = g.OH * g.OW;
        var expected = new float[oc * k];
        for (int image = 0; image < n; image++)
            GemmReference.Run(false, true, oc, k, positions, 1f, dy.AsSpan(image * oc * positions), positions,
                              col.AsSpan(image * positions), g.Positions, image == 0 ? 0f : 1f, expected, k);
        var df = Garbage(expected.Length);
        CpuImplicitConvolution.BackwardFilter(dy, x, g, oc, df);
        AssertClose(expected, df, "dF");
    }

    [Theory, MemberData(nameof(Shapes))]
    public void Input_gradient_as_a_convolution_equals_col2im(int n, int c, int h, int w, int oc, int fh, int fw, int s, int p)
    {
        var (g, _, f, _) = Problem(n, c, h, w, oc, fh, fw, s, p);
        Assert.Equal(s == 1 && fh == fw && p <= fh - 1, CpuImplicitConvolution.BackwardInputApplies(g));
        if (!CpuImplicitConvolution.BackwardInputApplies(g))
        {
            Assert.Throws<ArgumentException>(() => CpuImplicitConvolution.BackwardInput(new float[n * oc * g.OH * g.OW], f, g, oc, new float[n * c * h * w]));
            return;
        }
        var dy = Values(n * oc * g.OH * g.OW, seed: 8);
        int k = g.PatchLength, positions = g.OH * g.OW;
        var dcol = new float[k * g.Positions];
        for (int image = 0; image < n; image++)
            GemmReference.Run(true, false, k, positions, oc, 1f, f, k, dy.AsSpan(image * oc * positions), positions,
                              0f, dcol.AsSpan(image * positions), g.Positions);
        var expected = new float[n * c * h * w];
        CpuIm2Col.Col2ImReference(dcol, g, expected);
        var dx = Garbage(expected.Length);
        CpuImplicitConvolution.BackwardInput(dy, f, g, oc, dx);
        AssertClose(expected, dx, "dX");
    }

    private static (ConvolutionGeometry G, float[] X, float[] F, float[] B) Problem(int n, int c, int h, int w, int oc, int fh, int fw, int s, int p)
    {
        var g = new ConvolutionGeometry(n, c, h, w, fh, fw, s, p).Validate("test");
        return (g, Values(n * c * h * w, seed: 1), Values(oc * c * fh * fw, seed: 2), Values(oc, seed: 3));
    }

    private static float[] Columns(float[] x, ConvolutionGeometry g)
    {
        var col = new float[g.PatchLength * g.Positions];
        CpuIm2Col.Im2ColReference(x, g, col);
        return col;
    }

    private static float[] Values(int length, int seed)
    {
        var rng = new Random(seed);
        return Enumerable.Range(0, length).Select(_ => (float)(rng.NextDouble() * 2 - 1)).ToArray();
    }

    // every output must be written: start from NaN
    private static float[] Garbage(int length) => Enumerable.Repeat(float.NaN, length).ToArray();

    private static void AssertClose(float[] expected, float[] actual, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        double scale = Math.Max(1, expected.Max(Math.Abs));
        for (int i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(expected[i] - actual[i]) <= 2e-5 * scale, $"{what}[{i}]: expected {expected[i]}, got {actual[i]}");
    }
}
