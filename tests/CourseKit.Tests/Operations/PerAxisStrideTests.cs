using System.Runtime.Intrinsics.X86;
using CourseKit.Backends;
using CourseKit.Layers;
using CourseKit.Operations;
using CourseKit.Training;
using static CourseKit.Tests.Operations.OperationsReference;

namespace CourseKit.Tests.Operations;

/// <summary>
/// Stride (SH, SW) and padding (PH, PW) per axis (issue 21; PyTorch's <c>stride=(sh, sw), padding=(ph, pw)</c>), with
/// rectangular filters and frames: every CPU path of the convolution and of pooling, forward and backward, against the
/// definitions written below in double (conv2d's sum, its two gradients, max_pool2d and avg_pool2d). A kernel that
/// used one axis's stride or padding for both would fail every case here, since no case has SH = SW and PH = PW.
/// </summary>
public sealed class PerAxisStrideTests
{
    // ---- the definitions, in double ----

    // lecture 1.3 per axis: Y[n, o, i, j] = Σ_c Σ_u Σ_v X[n, c, i·SH + u − PH, j·SW + v − PW] · F[o, c, u, v] + b[o]
    private static double[] Conv(double[] x, double[] f, double[]? b, ConvolutionGeometry g, int oc)
    {
        var y = new double[g.N * oc * g.OH * g.OW];
        for (int n = 0; n < g.N; n++)
        for (int o = 0; o < oc; o++)
        for (int i = 0; i < g.OH; i++)
        for (int j = 0; j < g.OW; j++)
        {
            double sum = b?[o] ?? 0;
            for (int c = 0; c < g.C; c++)
            for (int u = 0; u < g.FH; u++)
            for (int v = 0; v < g.FW; v++)
            {
                int h = i * g.StrideH + u - g.PadH, w = j * g.StrideW + v - g.PadW;
                if (h >= 0 && h < g.H && w >= 0 && w < g.W)
                    sum += x[((n * g.C + c) * g.H + h) * g.W + w] * f[((o * g.C + c) * g.FH + u) * g.FW + v];
            }
            y[((n * oc + o) * g.OH + i) * g.OW + j] = sum;
        }
        return y;
    }

    // lecture 2.1 per axis: each product of the forward sum sends dY times one factor to the other's gradient.
    private static (double[] DF, double[] DX) ConvGradients(double[] x, double[] f, double[] dy, ConvolutionGeometry g, int oc)
    {
        var df = new double[f.Length];
        var dx = new double[x.Length];
        for (int n = 0; n < g.N; n++)
        for (int o = 0; o < oc; o++)
        for (int i = 0; i < g.OH; i++)
        for (int j = 0; j < g.OW; j++)
        {
            double d = dy[((n * oc + o) * g.OH + i) * g.OW + j];
            for (int c = 0; c < g.C; c++)
            for (int u = 0; u < g.FH; u++)
            for (int v = 0; v < g.FW; v++)
            {
                int h = i * g.StrideH + u - g.PadH, w = j * g.StrideW + v - g.PadW;
                if (h < 0 || h >= g.H || w < 0 || w >= g.W) continue;
                int xi = ((n * g.C + c) * g.H + h) * g.W + w, fi = ((o * g.C + c) * g.FH + u) * g.FW + v;
                df[fi] += d * x[xi];
                dx[xi] += d * f[fi];
            }
        }
        return (df, dx);
    }

    // lecture 1.5 per axis: the frame at (i·SH − PH, j·SW − PW), padding counts as 0, the first maximum wins;
    // backward (2.3): dY goes to that cell, nowhere if it is a padded one.
    private static (double[] Y, double[] ArgMax, double[] DX) MaxPool(double[] x, double[] dy, PoolingGeometry g)
    {
        var y = new double[g.N * g.C * g.OH * g.OW];
        var argmax = new double[y.Length];
        var dx = new double[x.Length];
        for (int plane = 0; plane < g.N * g.C; plane++)
        for (int i = 0; i < g.OH; i++)
        for (int j = 0; j < g.OW; j++)
        {
            int o = (plane * g.OH + i) * g.OW + j, best = -1, bestH = -1, bestW = -1;
            double max = 0;
            for (int u = 0; u < g.PH; u++)
            for (int v = 0; v < g.PW; v++)
            {
                int h = i * g.StrideH - g.PadH + u, w = j * g.StrideW - g.PadW + v;
                bool inside = h >= 0 && h < g.H && w >= 0 && w < g.W;
                double value = inside ? x[(plane * g.H + h) * g.W + w] : 0;
                if (best < 0 || value > max) (max, best, bestH, bestW) = (value, u * g.PW + v, inside ? h : -1, w);
            }
            (y[o], argmax[o]) = (max, best);
            if (bestH >= 0) dx[(plane * g.H + bestH) * g.W + bestW] += dy[o];
        }
        return (y, argmax, dx);
    }

    // lecture 1.5 per axis: the mean of the PH·PW cells of the frame, padding counts as 0; each cell gets dY/(PH·PW).
    private static (double[] Y, double[] DX) AveragePool(double[] x, double[] dy, PoolingGeometry g)
    {
        var y = new double[g.N * g.C * g.OH * g.OW];
        var dx = new double[x.Length];
        for (int plane = 0; plane < g.N * g.C; plane++)
        for (int i = 0; i < g.OH; i++)
        for (int j = 0; j < g.OW; j++)
        {
            int o = (plane * g.OH + i) * g.OW + j;
            for (int u = 0; u < g.PH; u++)
            for (int v = 0; v < g.PW; v++)
            {
                int h = i * g.StrideH - g.PadH + u, w = j * g.StrideW - g.PadW + v;
                if (h < 0 || h >= g.H || w < 0 || w >= g.W) continue;
                y[o] += x[(plane * g.H + h) * g.W + w] / (g.PH * g.PW);
                dx[(plane * g.H + h) * g.W + w] += dy[o] / (g.PH * g.PW);
            }
        }
        return (y, dx);
    }

    // ---- the convolution on every CPU path ----

    // (N, C, H, W, OC, FH, FW), stride (SH, SW), padding (PH, PW), and the paths of Y/dF and of dX these sizes select.
    // X̃ fits in the cache when N·C·FH·FW·OH·OW ≤ 2 M floats; above that the sizes pick the implicit paths.
    public static TheoryData<int[], (int, int), (int, int), ConvolutionPath, ConvolutionPath> ConvolutionCases => new()
    {
        { [2, 3, 9, 11, 4, 3, 5], (1, 2), (0, 1), ConvolutionPath.ColumnMatrix, ConvolutionPath.ColumnMatrix },
        { [2, 2, 10, 7, 3, 2, 3], (2, 1), (2, 0), ConvolutionPath.ColumnMatrix, ConvolutionPath.ColumnMatrix },
        { [1, 3, 12, 13, 2, 3, 2], (2, 3), (0, 1), ConvolutionPath.ColumnMatrix, ConvolutionPath.ColumnMatrix },
        // 4.6 M floats, stride (1, 2): panels packed row by row; dX by col2im a few images at a time
        { [2, 32, 100, 100, 4, 3, 5], (1, 2), (0, 1), ConvolutionPath.Implicit, ConvolutionPath.ColumnChunks },
        // 2.5 M floats, stride (2, 3), padding (2, 0)
        { [2, 48, 160, 160, 4, 3, 2], (2, 3), (2, 0), ConvolutionPath.Implicit, ConvolutionPath.ColumnChunks },
        // unit strides, padding (2, 0), a 3×5 filter: wide rows (Hp = H + 4, Wp = W); dX needs a square filter: col2im
        { [2, 8, 100, 100, 4, 3, 5], (1, 1), (2, 0), ConvolutionPath.ImplicitWideRows, ConvolutionPath.ColumnChunks },
        // 3×3, unit strides, padding (2, 0): dX is the convolution of dY with padding (0, 2), in wide rows too
        { [2, 16, 100, 100, 8, 3, 3], (1, 1), (2, 0), ConvolutionPath.ImplicitWideRows, ConvolutionPath.ImplicitWideRows },
        // what would be Winograd's sizes with padding (1, 1) (see the Winograd test below): padding (1, 0) falls back to wide rows
        { [4, 8, 96, 96, 8, 3, 3], (1, 1), (1, 0), ConvolutionPath.ImplicitWideRows, ConvolutionPath.ImplicitWideRows },
    };

    [Theory, MemberData(nameof(ConvolutionCases))]
    public void ConvolutionOnEachCpuPathComputesTheDefinition(int[] sizes, (int, int) stride, (int, int) pad,
                                                             ConvolutionPath forward, ConvolutionPath inputGradient)
    {
        var (n, c, h, w, oc, fh, fw) = (sizes[0], sizes[1], sizes[2], sizes[3], sizes[4], sizes[5], sizes[6]);
        var x = Tensor.Uniform([n, c, h, w], -1f, 1f, seed: h + c);
        var f = Tensor.Uniform([oc, c, fh, fw], -0.5f, 0.5f, seed: 2);
        var b = Tensor.Uniform([oc], -0.5f, 0.5f, seed: 3);
        var g = ConvolutionOperation.Geometry(x.Shape, f.Shape, stride, pad);
        Assert.Equal(forward, ConvolutionOperation.PathOf(x, f, stride, pad));
        Assert.Equal(inputGradient, ConvolutionOperation.InputGradientPathOf(g, oc, x.Device));

        double[] xs = D(x), fs = D(f);
        var y = ConvolutionOperation.Forward(x, f, b, stride, pad);
        Assert.Equal(new Shape(n, oc, g.OH, g.OW), y.Shape);
        Close(Conv(xs, fs, D(b), g, oc), y.ToArray(), 1e-4, $"{forward}: Y");

        var dy = Tensor.Uniform(y.Shape, -1f, 1f, seed: 4);
        var (dF, dX) = ConvGradients(xs, fs, D(dy), g, oc);
        Close(dF, ConvolutionOperation.BackwardFilter(dy, x, f.Shape, stride, pad).ToArray(), 1e-4, $"{forward}: dF");
        Close(dX, ConvolutionOperation.BackwardInput(dy, f, x.Shape, stride, pad).ToArray(), 1e-4, $"{inputGradient}: dX");
    }

    // Small geometries on which the kernels are called directly, so that each runs whatever the cache would choose:
    // (N, C, H, W, OC, FH, FW, SH, SW, PH, PW).
    public static TheoryData<int[]> KernelCases => new()
    {
        new[] { 2, 3, 9, 11, 4, 3, 5, 1, 2, 0, 1 },
        new[] { 2, 2, 10, 7, 3, 2, 3, 2, 1, 2, 0 },
        new[] { 1, 3, 12, 13, 5, 3, 2, 2, 3, 0, 1 },
        new[] { 3, 2, 8, 9, 2, 3, 3, 1, 1, 2, 0 },   // unit strides: wide rows, and dX as a convolution (padding (0, 2))
        new[] { 2, 4, 7, 12, 3, 3, 5, 1, 1, 0, 2 },  // unit strides, 3×5 filter
    };

    [Theory, MemberData(nameof(KernelCases))]
    public void Im2ColAndCol2ImKernelsAndTheirReferencesFollowEachAxis(int[] s)
    {
        var g = new ConvolutionGeometry(s[0], s[1], s[2], s[3], s[5], s[6], s[7], s[8], s[9], s[10]).Validate("test");
        var x = Tensor.Uniform([g.N, g.C, g.H, g.W], -1f, 1f, seed: 11).ToArray();
        // col[(c, u, v), (n, i, j)] = X[n, c, i·SH + u − PH, j·SW + v − PW] by definition
        var expected = new float[g.PatchLength * g.Positions];
        for (int c = 0; c < g.C; c++)
        for (int u = 0; u < g.FH; u++)
        for (int v = 0; v < g.FW; v++)
        for (int n = 0; n < g.N; n++)
        for (int i = 0; i < g.OH; i++)
        for (int j = 0; j < g.OW; j++)
        {
            int h = i * g.StrideH + u - g.PadH, w = j * g.StrideW + v - g.PadW;
            expected[((c * g.FH + u) * g.FW + v) * g.Positions + (n * g.OH + i) * g.OW + j] =
                h >= 0 && h < g.H && w >= 0 && w < g.W ? x[((n * g.C + c) * g.H + h) * g.W + w] : 0f;
        }
        var fast = new float[expected.Length];
        var reference = new float[expected.Length];
        CpuIm2Col.Im2Col(x, g, fast);
        CpuIm2Col.Im2ColReference(x, g, reference);
        Assert.Equal(expected, fast);
        Assert.Equal(expected, reference);
        Assert.Equal(expected, Im2Col.Columns(Tensor.FromData([g.N, g.C, g.H, g.W], x), s[5], s[6], (s[7], s[8]), (s[9], s[10])).ToArray());
        // the lecture's two listings give X-tilde, the transpose
        var xt = Im2Col.Simple(Tensor.FromData([g.N, g.C, g.H, g.W], x), s[5], s[6], (s[7], s[8]), (s[9], s[10]));
        Assert.Equal(expected, xt.Transpose(1, 0).ToArray());
        Assert.Equal(xt.ToArray(), Im2Col.ViaXHat(Tensor.FromData([g.N, g.C, g.H, g.W], x), s[5], s[6], (s[7], s[8]), (s[9], s[10])).ToArray());

        // col2im is the adjoint: <col2im(d), x> = <d, im2col(x)> for every x, i.e. dX[p] = Σ of d over the entries copied from p
        var d = Tensor.Uniform([g.PatchLength, g.Positions], -1f, 1f, seed: 12).ToArray();
        var dxExpected = new double[x.Length];
        for (int c = 0; c < g.C; c++)
        for (int u = 0; u < g.FH; u++)
        for (int v = 0; v < g.FW; v++)
        for (int n = 0; n < g.N; n++)
        for (int i = 0; i < g.OH; i++)
        for (int j = 0; j < g.OW; j++)
        {
            int h = i * g.StrideH + u - g.PadH, w = j * g.StrideW + v - g.PadW;
            if (h >= 0 && h < g.H && w >= 0 && w < g.W)
                dxExpected[((n * g.C + c) * g.H + h) * g.W + w] += d[((c * g.FH + u) * g.FW + v) * g.Positions + (n * g.OH + i) * g.OW + j];
        }
        var dxFast = Enumerable.Repeat(9f, x.Length).ToArray();   // garbage first: col2im overwrites
        var dxReference = new float[x.Length];
        CpuIm2Col.Col2Im(d, g, dxFast);
        CpuIm2Col.Col2ImReference(d, g, dxReference);
        Close(dxExpected, dxFast, 1e-6, $"col2im {g}");
        Close(dxExpected, dxReference, 1e-6, $"col2im reference {g}");
    }

    [Theory, MemberData(nameof(KernelCases))]
    public void ImplicitConvolutionKernelsFollowEachAxis(int[] s)
    {
        var g = new ConvolutionGeometry(s[0], s[1], s[2], s[3], s[5], s[6], s[7], s[8], s[9], s[10]).Validate("test");
        int oc = s[4];
        float[] x = Tensor.Uniform([g.N, g.C, g.H, g.W], -1f, 1f, seed: 21).ToArray(), f = Tensor.Uniform([oc, g.PatchLength], -1f, 1f, seed: 22).ToArray();
        float[] b = [.. Enumerable.Range(0, oc).Select(o => 0.25f * o - 0.5f)];
        double[] xs = [.. x.Select(v => (double)v)], fs = [.. f.Select(v => (double)v)];
        // wide rows exactly when both strides are 1; never Winograd with these paddings
        Assert.Equal(g.StrideH == 1 && g.StrideW == 1, WideRows.Apply(g));
        Assert.False(CpuWinograd.Applies(g, oc));

        var y = Enumerable.Repeat(float.NaN, g.N * oc * g.OH * g.OW).ToArray();
        CpuImplicitConvolution.Forward(x, g, f, oc, b, y);
        Close(Conv(xs, fs, [.. b.Select(v => (double)v)], g, oc), y, 1e-5, $"implicit Y {g}");

        var dy = Tensor.Uniform([g.N, oc, g.OH, g.OW], -1f, 1f, seed: 23).ToArray();
        var (dF, dX) = ConvGradients(xs, fs, [.. dy.Select(v => (double)v)], g, oc);
        var df = Enumerable.Repeat(float.NaN, f.Length).ToArray();
        CpuImplicitConvolution.BackwardFilter(dy, x, g, oc, df);
        Close(dF, df, 1e-5, $"implicit dF {g}");

        // dX as a convolution of dY: unit strides, a square filter, PH ≤ FH − 1 and PW ≤ FW − 1
        bool applies = g is { StrideH: 1, StrideW: 1 } && g.FH == g.FW;
        Assert.Equal(applies, CpuImplicitConvolution.BackwardInputApplies(g));
        if (applies)
        {
            var back = CpuImplicitConvolution.BackwardInputGeometry(g, oc);
            Assert.Equal((g.FH - 1 - g.PadH, g.FW - 1 - g.PadW), (back.PadH, back.PadW));
            var dx = Enumerable.Repeat(float.NaN, x.Length).ToArray();
            CpuImplicitConvolution.BackwardInput(dy, f, g, oc, dx);
            Close(dX, dx, 1e-5, $"dX as a convolution {g}");
        }
        else
            Assert.Throws<ArgumentException>(() => CpuImplicitConvolution.BackwardInput(dy, f, g, oc, new float[x.Length]));
    }

    [Fact]
    public void WinogradTakesOnlyUnitStridesAndSquarePaddingAndThePathSaysSo()
    {
        // sizes Winograd pays for (8 channels, 48 tiles per row) with the square padding 1
        var square = new ConvolutionGeometry(8, 8, 96, 96, 3, 3, 1, 1);
        Assert.Equal(Avx512F.IsSupported, CpuWinograd.Applies(square, 8));
        foreach (var g in new[] { square with { PadW = 0 }, square with { PadH = 2 }, square with { StrideW = 2 }, square with { StrideH = 2 } })
        {
            Assert.False(CpuWinograd.Applies(g, 8), g.ToString());
            var path = ConvolutionOperation.PathOf(g, 8, Device.Cpu);
            Assert.Equal(g is { StrideH: 1, StrideW: 1 } ? ConvolutionPath.ImplicitWideRows : ConvolutionPath.Implicit, path);
        }
    }

    [Fact]
    public void TheSquareShortcutIsTheSameGeometryAsEqualAxes()
    {
        var square = new ConvolutionGeometry(2, 3, 9, 9, 3, 3, 2, 1);
        Assert.Equal(new ConvolutionGeometry(2, 3, 9, 9, 3, 3, StrideH: 2, StrideW: 2, PadH: 1, PadW: 1), square);
        Assert.True(square.IsSquare);
        Assert.False((square with { PadW = 0 }).IsSquare);
        Assert.Equal(new PoolingGeometry(1, 1, 6, 6, 2, 2, 2, 2, 0, 0), new PoolingGeometry(1, 1, 6, 6, 2, 2, 2, 0));
        // the int and the tuple forms of the operations are the same call
        var x = Tensor.Uniform([2, 3, 9, 9], -1f, 1f, seed: 1);
        var f = Tensor.Uniform([4, 3, 3, 3], -1f, 1f, seed: 2);
        Assert.Equal(ConvolutionOperation.Forward(x, f, null, 2, 1).ToArray(), ConvolutionOperation.Forward(x, f, null, (2, 2), (1, 1)).ToArray());
    }

    // ---- pooling ----

    // (N, C, H, W, PH, PW) frame, stride (SH, SW), padding (PadH, PadW)
    public static TheoryData<int[], (int, int), (int, int)> PoolingCases => new()
    {
        { [2, 2, 7, 9, 2, 3], (1, 2), (0, 1) },
        { [1, 3, 8, 7, 5, 2], (2, 1), (2, 0) },
        { [2, 1, 9, 10, 3, 3], (2, 3), (0, 1) },
        { [1, 2, 6, 8, 2, 2], (2, 3), (0, 0) },   // the 2×2 frame of the fast path, but not its stride (2, 2)
        { [2, 2, 8, 6, 2, 2], (2, 2), (1, 0) },   // the fast path's stride, not its padding
    };

    [Theory, MemberData(nameof(PoolingCases))]
    public void MaxPoolingForwardAndBackwardFollowEachAxis(int[] s, (int H, int W) stride, (int H, int W) pad)
    {
        // integers with repeats and negatives: padded zeros win some frames, ties test "the first maximum wins"
        var random = new Random(s[2] * 10 + s[3]);
        var x = Tensor.FromData([s[0], s[1], s[2], s[3]], [.. Enumerable.Range(0, s[0] * s[1] * s[2] * s[3]).Select(_ => (float)random.Next(-6, 4))]);
        var result = PoolingOperation.Max(x, s[4], s[5], stride, pad);
        var g = result.Geometry;
        Assert.Equal((stride, pad), ((g.StrideH, g.StrideW), (g.PadH, g.PadW)));
        var dy = Tensor.Uniform(result.Y.Shape, -1f, 1f, seed: 5);
        var (y, argmax, dx) = MaxPool(D(x), D(dy), g);
        Close(y, result.Y.ToArray(), 0, $"max pooling {g}");
        Close(argmax, result.Argmax.ToArray(), 0, $"argmax {g}");
        Close(dx, PoolingOperation.MaxBackward(dy, result).ToArray(), 1e-6, $"max pooling backward {g}");
        // the plain loops the kernels are tested against, and the lecture's way through X-tilde
        var (yRef, argmaxRef, dxRef) = (new float[y.Length], new float[y.Length], new float[dx.Length]);
        CpuPooling.MaxForwardReference(x.ToArray(), g, yRef, argmaxRef);
        CpuPooling.MaxBackwardReference(dy.ToArray(), argmaxRef, g, dxRef);
        Close(y, yRef, 0, "max pooling reference");
        Close(dx, dxRef, 1e-6, "max pooling backward reference");
        Assert.Equal(y.Select(v => (float)v), PoolingOperation.MaxViaXTilde(x, s[4], s[5], stride, pad).Y.ToArray());
    }

    [Theory, MemberData(nameof(PoolingCases))]
    public void AveragePoolingForwardAndBackwardFollowEachAxis(int[] s, (int H, int W) stride, (int H, int W) pad)
    {
        var x = Tensor.Uniform([s[0], s[1], s[2], s[3]], -1f, 1f, seed: s[2]);
        var result = PoolingOperation.Average(x, s[4], s[5], stride, pad);
        var g = result.Geometry;
        var dy = Tensor.Uniform(result.Y.Shape, -1f, 1f, seed: 6);
        var (y, dx) = AveragePool(D(x), D(dy), g);
        Close(y, result.Y.ToArray(), 1e-6, $"average pooling {g}");
        Close(dx, PoolingOperation.AverageBackward(dy, result).ToArray(), 1e-6, $"average pooling backward {g}");
        var (yRef, dxRef) = (new float[y.Length], new float[dx.Length]);
        CpuPooling.AverageForwardReference(x.ToArray(), g, yRef);
        CpuPooling.AverageBackwardReference(dy.ToArray(), g, dxRef);
        Close(y, yRef, 1e-6, "average pooling reference");
        Close(dx, dxRef, 1e-6, "average pooling backward reference");
    }

    // aten's pooling_output_shape along one axis (no dilation)
    private static int TorchOutput(int size, int k, int p, int s, bool ceil)
    {
        int o = (size + 2 * p - k + (ceil ? s - 1 : 0)) / s + 1;
        if (ceil && (o - 1) * s >= size + p) o--;
        return o;
    }

    // torch max_pool2d / avg_pool2d per axis: the maximum over the frame's real pixels (padding −∞), or their sum over
    // aten's divisor (count_include_pad: the frame clipped to the padded image; else the real pixels only).
    private static double[] TorchPool(double[] x, int[] s, (int H, int W) st, (int H, int W) p, bool ceil, bool max, bool countIncludePad = true)
    {
        var (n, c, h, w, kh, kw) = (s[0], s[1], s[2], s[3], s[4], s[5]);
        int oh = TorchOutput(h, kh, p.H, st.H, ceil), ow = TorchOutput(w, kw, p.W, st.W, ceil);
        var y = new double[n * c * oh * ow];
        for (int plane = 0; plane < n * c; plane++)
        for (int i = 0; i < oh; i++)
        for (int j = 0; j < ow; j++)
        {
            int hs = i * st.H - p.H, ws = j * st.W - p.W, he = Math.Min(hs + kh, h + p.H), we = Math.Min(ws + kw, w + p.W);
            int poolSize = (he - hs) * (we - ws);
            double best = double.NegativeInfinity, sum = 0;
            int real = 0;
            for (int a = Math.Max(hs, 0); a < Math.Min(he, h); a++)
            for (int b = Math.Max(ws, 0); b < Math.Min(we, w); b++)
            {
                double v = x[(plane * h + a) * w + b];
                best = Math.Max(best, v);
                sum += v;
                real++;
            }
            y[(plane * oh + i) * ow + j] = max ? best : sum / (countIncludePad ? poolSize : real);
        }
        return y;
    }

    [Theory, MemberData(nameof(PoolingCases))]
    public void PyTorchRulesAndCeilModeFollowEachAxis(int[] s, (int H, int W) stride, (int H, int W) pad)
    {
        // distinct negative values: with −∞ padding a padded cell never wins, and there are no ties
        var x = RandomTensor(s, 7) - 3f;
        foreach (bool ceil in new[] { false, true })
        {
            var options = PoolingOptions.PyTorch with { CeilMode = ceil };
            var max = PoolingOperation.Max(x, s[4], s[5], stride, pad, options);
            var expected = TorchPool(D(x), s, stride, pad, ceil, max: true);
            Assert.Equal(new Shape(s[0], s[1], TorchOutput(s[2], s[4], pad.H, stride.H, ceil), TorchOutput(s[3], s[5], pad.W, stride.W, ceil)), max.Y.Shape);
            Close(expected, max.Y.ToArray(), 1e-6, $"max_pool2d ceil={ceil}");
            var dy = Tensor.RandN(max.Y.Shape, seed: 8);
            var numeric = NumericalGradient(D(x), v => TorchPool(v, s, stride, pad, ceil, max: true), D(dy));
            Close(numeric, PoolingOperation.MaxBackward(dy, max).ToArray(), 1e-4, $"max_pool2d backward ceil={ceil}");

            foreach (bool countIncludePad in new[] { true, false })
            {
                var averageOptions = options with { CountIncludePad = countIncludePad };
                var average = PoolingOperation.Average(x, s[4], s[5], stride, pad, averageOptions);
                Close(TorchPool(D(x), s, stride, pad, ceil, max: false, countIncludePad), average.Y.ToArray(), 1e-6,
                      $"avg_pool2d ceil={ceil} count_include_pad={countIncludePad}");
                numeric = NumericalGradient(D(x), v => TorchPool(v, s, stride, pad, ceil, max: false, countIncludePad), D(dy));
                Close(numeric, PoolingOperation.AverageBackward(dy, average).ToArray(), 1e-4, $"avg_pool2d backward ceil={ceil}");
            }
        }
    }

    // distinct values 0.1 apart, shuffled
    private static Tensor RandomTensor(int[] s, int seed) => CourseKit.Tests.Layers.RandomTensor.Distinct([s[0], s[1], s[2], s[3]], seed);

    // ---- layers ----

    [Fact]
    public void LayersWithPerAxisStridesAndPaddingPassTheGradientCheck()
    {
        // distinct values 0.1 apart and none 0: no ties within the difference step, not even with a padded zero
        var x = CourseKit.Tests.Layers.RandomTensor.Distinct([2, 2, 9, 10], seed: 9) + 0.05f;
        Layer[] layers =
        [
            new Convolution(2, 3, (3, 2), stride: (1, 2), pad: (0, 1), seed: 1),
            new Convolution(2, 3, (2, 3), stride: (2, 1), pad: (2, 0), seed: 2),
            new Convolution(2, 2, (3, 3), stride: (2, 3), pad: (0, 1), seed: 3),
            new MaxPooling((2, 3), stride: (1, 2), pad: (0, 1)),
            new MaxPooling((5, 2), stride: (2, 1), pad: (2, 0), PoolingOptions.PyTorch with { CeilMode = true }),
            new AveragePooling((3, 3), stride: (2, 3), pad: (0, 1)),
            new AveragePooling((2, 3), stride: (2, 1), pad: (1, 0), PoolingOptions.PyTorch with { CeilMode = true, CountIncludePad = false }),
            new ConvolutionTranspose(2, 3, (3, 2), stride: (1, 2), pad: (0, 1), seed: 4, outputPadding: (0, 1)),
            new ConvolutionTranspose(2, 2, (2, 3), stride: (2, 3), pad: (1, 0), seed: 5, outputPadding: (1, 2)),
        ];
        foreach (var layer in layers)
        {
            var check = GradientCheck.Layer(layer, x, seed: 2, h: 1e-3f);
            Assert.True(check.MaxError < CourseKit.Tests.Layers.GradientBound.Float32, $"{layer.Name}: {check}");
        }
        // OH = (9 + 0 − 3) // 1 + 1 = 7, OW = (10 + 2 − 2) // 2 + 1 = 6
        Assert.Equal(new Shape(2, 3, 7, 6), layers[0].Forward(x).Shape);
        // OH = (9 − 1)·1 − 0 + 3 + 0 = 11, OW = (10 − 1)·2 − 2 + 2 + 1 = 19
        Assert.Equal(new Shape(2, 3, 11, 19), layers[7].Forward(x).Shape);
    }

    [Fact]
    public void TheConvolutionLayerMatchesTheOperationAndReportsItsPaths()
    {
        // large enough for the implicit paths: unit strides with padding (2, 0), a square filter (see ConvolutionCases)
        var conv = new Convolution(16, 8, (3, 3), stride: (1, 1), pad: (2, 0), seed: 4);
        var x = Tensor.Uniform([2, 16, 100, 100], -1f, 1f, seed: 5);
        var y = conv.Forward(x);
        Assert.Equal(ConvolutionPath.ImplicitWideRows, conv.Path);
        Close(ConvolutionOperation.Forward(x, conv.W.Value, conv.B.Value, (1, 1), (2, 0)), y, 1e-6, "layer Y");
        var dy = Tensor.Uniform(y.Shape, -1f, 1f, seed: 6);
        var dx = conv.Backward(dy);
        Assert.Equal(ConvolutionPath.ImplicitWideRows, conv.InputGradientPath);
        Close(ConvolutionOperation.BackwardInput(dy, conv.W.Value, x.Shape, (1, 1), (2, 0)), dx, 1e-6, "layer dX");
        Assert.Equal(((1, 1), (2, 0)), (conv.Stride, conv.Pad));

        // stride (1, 2): no wide rows, dX by col2im in chunks
        conv = new Convolution(32, 4, (3, 5), stride: (1, 2), pad: (0, 1), seed: 7);
        y = conv.Forward(Tensor.Uniform([2, 32, 100, 100], -1f, 1f, seed: 8));
        conv.Backward(Tensor.Uniform(y.Shape, -1f, 1f, seed: 9));
        Assert.Equal((ConvolutionPath.Implicit, ConvolutionPath.ColumnChunks), (conv.Path, conv.InputGradientPath));
    }

    [Fact]
    public void TransposedConvolutionPerAxisIsTheLecturesFormAndTheAdjointOfTheConvolution()
    {
        var x = Tensor.Uniform([2, 3, 5, 4], -1f, 1f, seed: 10);
        var f = Tensor.Uniform([3, 2, 3, 2], -1f, 1f, seed: 11);
        (int, int) stride = (2, 3), pad = (1, 0), outputPadding = (1, 2);
        var y = TransposedConvolution.Forward(x, f, null, stride, pad, outputPadding);
        // OH = (5 − 1)·2 − 2 + 3 + 1 = 10, OW = (4 − 1)·3 − 0 + 2 + 2 = 13
        Assert.Equal(new Shape(2, 2, 10, 13), y.Shape);
        Close(TransposedConvolution.Lecture(x, TransposedConvolution.Rotate180(f), stride, pad, outputPadding), y, 1e-5, "lecture's form");
        // the adjoint: <Y, Z> = <X, conv(Z)> for the convolution from Y's size back to X's with the same stride and padding
        var z = Tensor.Uniform(y.Shape, -1f, 1f, seed: 12);
        var g = TransposedConvolution.Geometry(x.Shape, f.Shape, stride, pad, outputPadding);
        double lhs = Dot(D(y), D(z)), rhs = Dot(D(x), Conv(D(z), D(f), null, g, 3));
        Assert.True(Math.Abs(lhs - rhs) < 1e-4 * Math.Max(1, Math.Abs(lhs)), $"<Y, Z> = {lhs}, <X, conv(Z)> = {rhs}");
    }

    // ---- errors ----

    [Fact]
    public void ErrorsNameTheAxisAtFault()
    {
        var e = Assert.Throws<ArgumentException>(() => ConvolutionOperation.Geometry([1, 1, 5, 9], [1, 1, 7, 3], (1, 2), (0, 1)));
        Assert.Contains("OH = (H + 2*PH - FH) // SH + 1 = (5 + 2*0 - 7) // 1 + 1 = -1", e.Message);
        Assert.DoesNotContain("OW =", e.Message);
        e = Assert.Throws<ArgumentException>(() => ConvolutionOperation.Geometry([1, 1, 9, 5], [1, 1, 3, 8], (2, 3), (1, 1)));
        Assert.Contains("OW = (W + 2*PW - FW) // SW + 1 = (5 + 2*1 - 8) // 3 + 1 = 0", e.Message);
        Assert.DoesNotContain("OH =", e.Message);
        e = Assert.Throws<ArgumentException>(() => PoolingOperation.Max(Tensor.Zeros(1, 1, 4, 4), 2, 2, (2, 0), (0, 0)));
        Assert.Contains("(SH, SW) = (2, 0)", e.Message);
        e = Assert.Throws<ArgumentException>(() => new Convolution(1, 1, (3, 3), stride: (1, 1), pad: (0, -1)));
        Assert.Contains("(PH, PW)=(0, -1)", e.Message);
        e = Assert.Throws<ArgumentException>(() => new ConvolutionTranspose(1, 1, (3, 3), (2, 1), (0, 0), outputPadding: (1, 1)));
        Assert.Contains("0..0 along W", e.Message);
        // an output gradient of the wrong size is described with both axes
        var dy = Tensor.Zeros(1, 1, 3, 3);
        e = Assert.Throws<ArgumentException>(() => ConvolutionOperation.BackwardInput(dy, Tensor.Zeros(1, 1, 3, 3), [1, 1, 8, 8], (1, 2), (0, 1)));
        Assert.Contains("stride (1, 2) and padding (0, 1)", e.Message);
    }
}
