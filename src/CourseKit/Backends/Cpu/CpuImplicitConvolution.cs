using System.Numerics.Tensors;

namespace CourseKit.Backends;

/// <summary>
/// Convolution as im2col + GEMM (lecture 1.3, 2.1) without the column matrix in memory ("implicit im2col"):
/// the GEMM's packing step, which copies B into panels anyway, reads the panels straight from the image.
/// For 64 images of 64 channels with 3×3 filters the column matrix would be 151 MB written and read back through memory;
/// here each of its entries is made in the cache right before the micro-kernel uses it. Images are spread over the
/// cores, one GEMM per image on one thread. Three ways, the first that applies:
/// <list type="number">
/// <item>3×3 filters, stride 1 and square padding, on AVX-512: Winograd's F(2×2, 3×3) (<see cref="CpuWinograd"/>), 2.25 times fewer multiplications;</item>
/// <item>stride 1 along both axes: the padded image read in wide rows (<see cref="WideRows"/>), where a panel is a plain copy;</item>
/// <item>any stride and padding, per axis: panels made row by row with <see cref="CpuIm2Col.ColumnRow"/> (<see cref="ColumnPanels"/>,
/// <see cref="TransposedColumnPanels"/>).</item>
/// </list>
/// All give the numbers of im2col + GEMM, up to float rounding.
/// </summary>
internal static unsafe class CpuImplicitConvolution
{
    /// <summary>Y_n (OC, OH·OW) = F (OC, C·FH·FW) · col_n + b for every image n: the forward pass, Y (N, OC, OH, OW).</summary>
    public static void Forward(float[] x, ConvolutionGeometry g, float[] f, int oc, float[]? bias, float[] y)
    {
        if (CpuWinograd.Applies(g, oc))
        {
            CpuWinograd.Forward(x, g, f, oc, bias, y);
            return;
        }
        int k = g.PatchLength, p = g.OH * g.OW;
        if (WideRows.Apply(g))
        {
            ImageParallelism.EachImage(g.N, (n, parallel) =>
            {
                var wide = WideRows.ForThisThread(g);
                wide.Load(x, n);
                float* yWide = wide.OutputRows(oc);
                CpuGemm.Run(false, oc, wide.Length, k, 1f, f, k, new WideRows.Columns(wide), 0f,
                            new Span<float>(yWide, oc * wide.Length), wide.Length, parallel);
                wide.Narrow(yWide, oc, bias, y.AsSpan(n * oc * p, oc * p));
            });
            return;
        }
        ImageParallelism.EachImage(g.N, (n, parallel) =>
        {
            var yn = y.AsSpan(n * oc * p, oc * p);
            CpuGemm.Run(false, oc, p, k, 1f, f, k, new ColumnPanels(x, n, g), 0f, yn, p, parallel);
            if (bias is not null)
                for (int o = 0; o < oc; o++) TensorPrimitives.Add(yn.Slice(o * p, p), bias[o], yn.Slice(o * p, p));
        });
    }

    /// <summary>
    /// lecture 2.1: dF (OC, C·FH·FW) = Σ_n dY_n (OC, OH·OW) · col_n^T. Each core sums its images into a dF of its own;
    /// the partial sums are added at the end.
    /// </summary>
    public static void BackwardFilter(float[] dy, float[] x, ConvolutionGeometry g, int oc, float[] df)
    {
        if (CpuWinograd.Applies(g, oc))
        {
            CpuWinograd.BackwardFilter(dy, x, g, oc, df);
            return;
        }
        int k = g.PatchLength, p = g.OH * g.OW;
        ImageParallelism.SumOverImages(g.N, df, oc * k, (first, end, into, parallel) =>
        {
            if (WideRows.Apply(g))
            {
                // dF = Σ_n dY_n (wide, zero in the extra columns) · (wide column matrix)^T: the extra columns add nothing
                var wide = WideRows.ForThisThread(g);
                float* dyWide = wide.GradientRows(oc);
                for (int n = first; n < end; n++)
                {
                    wide.Load(x, n);
                    wide.Widen(dy.AsSpan(n * oc * p, oc * p), oc, dyWide);
                    CpuGemm.Run(false, oc, k, wide.Length, 1f, new ReadOnlySpan<float>(dyWide, oc * wide.Length), wide.Length,
                                new WideRows.TransposedColumns(wide), n == first ? 0f : 1f, into, k, parallel);
                }
                return;
            }
            for (int n = first; n < end; n++)
                CpuGemm.Run(false, oc, k, p, 1f, dy.AsSpan(n * oc * p, oc * p), p, new TransposedColumnPanels(x, n, g),
                            n == first ? 0f : 1f, into, k, parallel);
        });
    }

    /// <summary>
    /// Whether <see cref="BackwardInput"/> applies: stride 1 along both axes, a square filter and PH ≤ FH − 1, PW ≤ FW − 1.
    /// </summary>
    public static bool BackwardInputApplies(ConvolutionGeometry g) =>
        g is { StrideH: 1, StrideW: 1 } && g.FH == g.FW && g.PadH <= g.FH - 1 && g.PadW <= g.FW - 1;

    /// <summary>
    /// lecture 2.1 and 5.3: with stride 1, col2im(F^T · dY) is itself a convolution, of dY padded by (FH − 1 − PH, FW − 1 − PW) with the
    /// filter turned by 180° and its two channel axes swapped: dX[n, c] = Σ_oc dY[n, oc] ⊗ rot180(F[oc, c]). So dX needs
    /// neither dX-tilde nor col2im, only <see cref="Forward"/>.
    /// </summary>
    public static void BackwardInput(float[] dy, float[] f, ConvolutionGeometry g, int oc, float[] dx)
    {
        if (!BackwardInputApplies(g))
            throw new ArgumentException($"Conv2d: the input gradient as a convolution needs stride 1, a square filter and PH <= FH - 1, PW <= FW - 1, got {g}.");
        int taps = g.FH * g.FW;
        var turned = new float[g.C * oc * taps]; // F' (C, OC, FH, FW): F'[c, o, i, j] = F[o, c, FH−1−i, FW−1−j]
        for (int o = 0; o < oc; o++)
            for (int c = 0; c < g.C; c++)
                for (int t = 0; t < taps; t++)
                    turned[(c * oc + o) * taps + t] = f[(o * g.C + c) * taps + taps - 1 - t];
        var back = BackwardInputGeometry(g, oc);
        Forward(dy, back, turned, g.C, null, dx);
    }

    /// <summary>The convolution that gives dX: dY (N, OC, OH, OW) with stride 1 and padding (FH − 1 − PH, FW − 1 − PW).</summary>
    public static ConvolutionGeometry BackwardInputGeometry(ConvolutionGeometry g, int oc) =>
        new(g.N, oc, g.OH, g.OW, g.FH, g.FW, StrideH: 1, StrideW: 1, PadH: g.FH - 1 - g.PadH, PadW: g.FW - 1 - g.PadW);

    [ThreadStatic] private static float[]? scratch;

    private static float[] Scratch(int length)
    {
        if (scratch is null || scratch.Length < length) scratch = new float[Math.Max(length, 4096)];
        return scratch;
    }

    /// <summary>B = col_n (C·FH·FW × OH·OW), image n's columns: each step of a panel is nr neighbouring output positions.</summary>
    private sealed class ColumnPanels(float[] x, int n, ConvolutionGeometry g) : IPanelSource
    {
        public void PackB(int p0, int kc, int j0, int nc, int nr, float* dst)
        {
            var line = Scratch(nc).AsSpan(0, nc);
            int plane = g.H * g.W, taps = g.FH * g.FW;
            fixed (float* row = line)
            {
                for (int p = 0; p < kc; p++)
                {
                    int r = p0 + p, c = r / taps, fh = r % taps / g.FW, fw = r % g.FW;
                    CpuIm2Col.ColumnRow(x.AsSpan((n * g.C + c) * plane, plane), g, fh, fw, j0, line);
                    // step p of every panel: nr floats of the row each
                    for (int jr = 0; jr < nc; jr += nr)
                    {
                        int width = Math.Min(nr, nc - jr);
                        var to = new Span<float>(dst + jr * kc + p * nr, nr);
                        new ReadOnlySpan<float>(row + jr, width).CopyTo(to);
                        to[width..].Clear();
                    }
                }
            }
        }
    }

    /// <summary>
    /// B = col_n^T (OH·OW × C·FH·FW): a panel is nr rows of col_n over kc positions, made as rows and then transposed.
    /// </summary>
    private sealed class TransposedColumnPanels(float[] x, int n, ConvolutionGeometry g) : IPanelSource
    {
        public void PackB(int p0, int kc, int j0, int nc, int nr, float* dst)
        {
            var block = Scratch(nr * kc);
            int plane = g.H * g.W, taps = g.FH * g.FW;
            fixed (float* rows = block)
            {
                for (int jr = 0; jr < nc; jr += nr)
                {
                    int count = Math.Min(nr, nc - jr);
                    for (int i = 0; i < count; i++)
                    {
                        int r = j0 + jr + i, c = r / taps, fh = r % taps / g.FW, fw = r % g.FW;
                        CpuIm2Col.ColumnRow(x.AsSpan((n * g.C + c) * plane, plane), g, fh, fw, p0, block.AsSpan(i * kc, kc));
                    }
                    float* panel = dst + jr * kc;
                    GemmPacking.Transpose(rows, kc, count, kc, panel, nr);
                    if (count < nr)
                        for (int p = 0; p < kc; p++) new Span<float>(panel + p * nr + count, nr - count).Clear();
                }
            }
        }
    }
}
