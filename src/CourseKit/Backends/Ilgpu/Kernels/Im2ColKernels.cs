using ILGPU;

namespace CourseKit.Backends.Ilgpu;

/// <summary>
/// im2col and its adjoint col2im (lecture 1.3) in the layout of <see cref="IComputeBackend.Im2Col"/>:
/// col is (C·FH·FW, N·OH·OW), rows ordered (c, fh, fw), columns (n, oh, ow). Both kernels gather: each
/// thread writes one element, so col2im lets every dx pixel collect the entries copied from it instead of
/// scattering them (no two threads write the same place, no atomics).
/// </summary>
internal static class Im2ColKernels
{
    /// <summary>One thread fills one entry of col: (row, column) = ((c, fh, fw), (n, oh, ow)) gets its input pixel or a padding zero.</summary>
    public static void Im2Col(Index2D e, ArrayView<float> x, ArrayView<float> col, ConvolutionGeometry g)
    {
        int column = e.X, row = e.Y;
        int ow = column % g.OW, oh = column / g.OW % g.OH, n = column / (g.OW * g.OH);
        int fw = row % g.FW, fh = row / g.FW % g.FH, c = row / (g.FW * g.FH);
        int h = oh * g.StrideH - g.PadH + fh, w = ow * g.StrideW - g.PadW + fw;
        bool inside = h >= 0 && h < g.H && w >= 0 && w < g.W;
        col[row * g.Positions + column] = inside ? x[((n * g.C + c) * g.H + h) * g.W + w] : 0f;
    }

    /// <summary>
    /// One thread computes one pixel of dx (n, c, h, w): the sum of the col entries copied from it. Filter offset
    /// fh reaches output row oh when h = oh·SH − PH + fh, i.e. oh = (h + PH − fh) / SH when that divides exactly
    /// (and columns alike, with SW and PW).
    /// </summary>
    public static void Col2Im(Index1D i, ArrayView<float> col, ArrayView<float> dx, ConvolutionGeometry g)
    {
        int w = i % g.W, h = i / g.W % g.H, c = i / (g.W * g.H) % g.C, n = i / (g.W * g.H * g.C);
        float sum = 0f;
        for (int fh = 0; fh < g.FH; fh++)
        {
            int th = h + g.PadH - fh;
            if (th < 0 || th % g.StrideH != 0 || th / g.StrideH >= g.OH) continue;
            for (int fw = 0; fw < g.FW; fw++)
            {
                int tw = w + g.PadW - fw;
                if (tw < 0 || tw % g.StrideW != 0 || tw / g.StrideW >= g.OW) continue;
                int row = (c * g.FH + fh) * g.FW + fw;
                sum += col[row * g.Positions + (n * g.OH + th / g.StrideH) * g.OW + tw / g.StrideW];
            }
        }
        dx[i] = sum;
    }
}
