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
        // Winograd F(2x2, 3x3) (CpuWinograd): 32x32; odd output height 27 with 14 tiles per row; padding 2 (dX with padding 0)
        { 2, 8, 32, 32, 8, 3, 3, 1, 1 },
        { 3, 9, 29, 30, 10, 3, 3, 1, 0 },
        { 1, 16, 28, 28, 12, 3, 3, 1, 2 },
    };

    [Theory]
    [InlineData(2, 8, 32, 32, 8, 1, true)]
    [InlineData(3, 9, 29, 30, 10, 0, true)]
    [InlineData(1, 16, 28, 28, 12, 2, true)]
    [InlineData(2, 8, 32, 32, 8, 3, false)]  // padding 3: dX would need padding −1
    [InlineData(2, 4, 32, 32, 8, 1, false)]  // too few channels for 16 GEMMs
    [InlineData(2, 8, 24, 24, 8, 1, false)]  // 12 tiles per row: a quarter of each vector wasted
    public void Winograd_takes_the_shapes_it_pays_for(int n, int c, int h, int w, int oc, int p, bool applies)
    {
        var g = new ConvolutionGeometry(n, c, h, w, 3, 3, 1, p);
        Assert.Equal(applies && System.Runtime.Intrinsics.X86.Avx512F.IsSupported, CpuWinograd.Applies(g, oc));
        Assert.False(CpuWinograd.Applies(g with { StrideH = 2, StrideW = 2 }, oc));
        Assert.False(CpuWinograd.Applies(g with { FH = 5, FW = 5 }, oc));
    }

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

    [Fact]
    public void Winograd_gradients_equal_finite_differences()
    {
        // L = Σ Y ⊙ R is linear in X and in F, so central differences are exact up to float rounding
        var (g, x, f, b) = Problem(1, 8, 28, 28, 9, 3, 3, 1, 1);
        Assert.Equal(System.Runtime.Intrinsics.X86.Avx512F.IsSupported, CpuWinograd.Applies(g, 9));
        var r = Values(9 * g.OH * g.OW, seed: 9);
        double Loss()
        {
            var y = new float[r.Length];
            CpuImplicitConvolution.Forward(x, g, f, 9, b, y);
            double sum = 0;
            for (int i = 0; i < y.Length; i++) sum += (double)y[i] * r[i];
            return sum;
        }
        double Numerical(float[] at, int i)
        {
            const float h = 0.01f;
            float keep = at[i];
            at[i] = keep + h;
            double plus = Loss();
            at[i] = keep - h;
            double minus = Loss();
            at[i] = keep;
            return (plus - minus) / (2 * h);
        }
        var df = new float[f.Length];
        CpuImplicitConvolution.BackwardFilter(r, x, g, 9, df);
        var dx = new float[x.Length];
        CpuImplicitConvolution.BackwardInput(r, f, g, 9, dx);
        double scale = Math.Max(df.Max(Math.Abs), dx.Max(Math.Abs));
        for (int i = 0; i < f.Length; i += 7)
            Assert.True(Math.Abs(Numerical(f, i) - df[i]) < 1e-3 * scale, $"dF[{i}]: numerical {Numerical(f, i)}, backward {df[i]}");
        // the corners and edges of every channel, where padding enters, and points inside
        foreach (int i in Enumerable.Range(0, x.Length).Where(i => i % 28 is 0 or 27 || i / 28 % 28 is 0 or 27 ? i % 3 == 0 : i % 97 == 0))
            Assert.True(Math.Abs(Numerical(x, i) - dx[i]) < 1e-3 * scale, $"dX[{i}]: numerical {Numerical(x, i)}, backward {dx[i]}");
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
