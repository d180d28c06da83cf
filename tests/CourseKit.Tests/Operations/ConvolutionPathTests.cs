using System.Runtime.Intrinsics.X86;
using CourseKit.Backends;
using CourseKit.Layers;
using CourseKit.Operations;
using static CourseKit.Tests.Operations.OperationsReference;

namespace CourseKit.Tests.Operations;

/// <summary>
/// Every CPU path of the convolution reached on purpose, by sizes chosen for it (the path is asserted, not assumed),
/// each checked against the lecture's definitions written in double in this test: Y (lecture 1.3), and dF and dX
/// (lecture 2.1).
/// </summary>
public sealed class ConvolutionPathTests
{
    private static readonly ConvolutionPath WinogradWhereAvx512 = Avx512F.IsSupported ? ConvolutionPath.Winograd : ConvolutionPath.ImplicitWideRows;

    // (N, C, H, W, OC, FH, FW, S, P), the path of Y and dF and the path of dX these sizes select on the CPU.
    // X̃ fits in the cache when N·C·FH·FW·OH·OW ≤ 2 M floats (8 MB).
    public static TheoryData<int[], ConvolutionPath, ConvolutionPath> Cases => new()
    {
        // X̃ of 2·27·36 floats: fits
        { [2, 3, 8, 8, 4, 3, 3, 1, 0], ConvolutionPath.ColumnMatrix, ConvolutionPath.ColumnMatrix },
        // stride 2: X̃ of 4·72·97² = 2.7 M floats; panels packed row by row; dX by col2im a few images at a time
        { [4, 8, 193, 193, 8, 3, 3, 2, 1], ConvolutionPath.Implicit, ConvolutionPath.ColumnChunks },
        // 5×5, stride 1: X̃ of 3·400·60² = 4.3 M floats; no Winograd for 5×5; dX is a stride-1 convolution too
        { [3, 16, 64, 64, 4, 5, 5, 1, 0], ConvolutionPath.ImplicitWideRows, ConvolutionPath.ImplicitWideRows },
        // a 3×5 filter, stride 1: wide rows forward; dX as a convolution needs a square filter, so col2im in chunks
        { [2, 8, 100, 100, 4, 3, 5, 1, 1], ConvolutionPath.ImplicitWideRows, ConvolutionPath.ColumnChunks },
        // 3×3, stride 1, 8 channels in and out, 48 tiles per row (fill the 16-lane vectors): Winograd where AVX-512 is
        { [4, 8, 96, 96, 8, 3, 3, 1, 1], WinogradWhereAvx512, WinogradWhereAvx512 },
    };

    [Theory, MemberData(nameof(Cases))]
    public void EachPathIsTakenWhereItsSizesSayAndComputesTheDefinition(int[] sizes, ConvolutionPath forward, ConvolutionPath inputGradient)
    {
        var (n, c, h, w, oc, fh, fw, s, p) = (sizes[0], sizes[1], sizes[2], sizes[3], sizes[4], sizes[5], sizes[6], sizes[7], sizes[8]);
        var x = Tensor.Uniform([n, c, h, w], -1f, 1f, seed: h);
        var f = Tensor.Uniform([oc, c, fh, fw], -0.5f, 0.5f, seed: 2);
        var b = Tensor.Uniform([oc], -0.5f, 0.5f, seed: 3);
        var g = ConvolutionOperation.Geometry(x.Shape, f.Shape, s, p);
        Assert.Equal(forward, ConvolutionOperation.PathOf(x, f, s, p));
        Assert.Equal(inputGradient, ConvolutionOperation.InputGradientPathOf(g, oc, x.Device));

        double[] xs = D(x), fs = D(f);
        var y = ConvolutionOperation.Forward(x, f, b, s, p);
        Close(Conv(xs, n, c, h, w, fs, oc, fh, fw, D(b), s, p, out _, out _), y.ToArray(), 1e-4, $"{forward}: Y");

        var dy = Tensor.Uniform(y.Shape, -1f, 1f, seed: 4);
        var (dF, dX) = Gradients(xs, fs, D(dy), g, oc);
        Close(dF, ConvolutionOperation.BackwardFilter(dy, x, f.Shape, s, p).ToArray(), 1e-4, $"{forward}: dF");
        Close(dX, ConvolutionOperation.BackwardInput(dy, f, x.Shape, s, p).ToArray(), 1e-4, $"{inputGradient}: dX");
    }

    // lecture 2.1 by its definition: every product X[n, c, i·S + u − P, j·S + v − P] · F[o, c, u, v] of the forward pass
    // sends dY[n, o, i, j] times the one factor to the other's gradient.
    private static (double[] DF, double[] DX) Gradients(double[] x, double[] f, double[] dy, ConvolutionGeometry g, int oc)
    {
        var df = new double[f.Length];
        var dx = new double[x.Length];
        for (int a = 0; a < g.N; a++)
        for (int o = 0; o < oc; o++)
        for (int i = 0; i < g.OH; i++)
        for (int j = 0; j < g.OW; j++)
        {
            double d = dy[((a * oc + o) * g.OH + i) * g.OW + j];
            for (int k = 0; k < g.C; k++)
            for (int u = 0; u < g.FH; u++)
            for (int v = 0; v < g.FW; v++)
            {
                int hh = i * g.StrideH + u - g.PadH, ww = j * g.StrideW + v - g.PadW;
                if (hh < 0 || hh >= g.H || ww < 0 || ww >= g.W) continue;
                int xi = ((a * g.C + k) * g.H + hh) * g.W + ww, fi = ((o * g.C + k) * g.FH + u) * g.FW + v;
                df[fi] += d * x[xi];
                dx[xi] += d * f[fi];
            }
        }
        return (df, dx);
    }

    [Fact]
    public void TheLayerShowsThePathsOfItsLastPasses()
    {
        var conv = new Convolution(8, 8, 3, pad: 1, seed: 1);
        Assert.Null(conv.Path);
        Assert.Null(conv.InputGradientPath);
        var y = conv.Forward(Tensor.RandN(1, 8, 6, 6, seed: 2));
        Assert.Equal(ConvolutionPath.ColumnMatrix, conv.Path);
        conv.Backward(Tensor.Uniform(y.Shape, -1f, 1f, seed: 5));
        Assert.Equal(ConvolutionPath.ColumnMatrix, conv.InputGradientPath);
        y = conv.Forward(Tensor.RandN(4, 8, 96, 96, seed: 3));
        Assert.Equal(WinogradWhereAvx512, conv.Path);
        conv.Backward(Tensor.Uniform(y.Shape, -1f, 1f, seed: 5));
        Assert.Equal(WinogradWhereAvx512, conv.InputGradientPath);
    }
}
