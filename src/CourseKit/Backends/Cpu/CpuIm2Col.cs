using System.Numerics;
using System.Runtime.CompilerServices;

namespace CourseKit.Backends;

/// <summary>
/// im2col / col2im on the host in the layout of <see cref="IComputeBackend.Im2Col"/>: col is (C·FH·FW, N·OH·OW),
/// rows ordered (c, fh, fw), columns (n, oh, ow).
/// The fast kernels work one (n, c) image plane at a time (planes write disjoint parts of col and dx, so they run
/// in parallel) and copy whole output rows: with stride 1 a row of col is a contiguous piece of an input row.
/// <see cref="Im2ColReference"/> and <see cref="Col2ImReference"/> are the plain loops the tests compare them with.
/// </summary>
internal static class CpuIm2Col
{
    // Below this many col entries one thread is faster than waking the second core.
    private const int ParallelThreshold = 1 << 15;

    public static void Im2Col(float[] x, ConvolutionGeometry g, float[] col)
    {
        int planes = g.N * g.C;
        if ((long)g.PatchLength * g.Positions >= ParallelThreshold && planes > 1)
            CoreTeam.ForEach(planes, plane => Im2ColPlane(x, g, col, plane));
        else
            for (int plane = 0; plane < planes; plane++) Im2ColPlane(x, g, col, plane);
    }

    // Fills, for image n and channel c, the FH·FW rows of col that belong to c, in the columns of image n.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // optimized at once: a notebook cell may call it only a few times
    private static void Im2ColPlane(float[] x, ConvolutionGeometry g, float[] col, int plane)
    {
        int n = plane / g.C, c = plane % g.C, p = g.OH * g.OW;
        var image = new ReadOnlySpan<float>(x, plane * g.H * g.W, g.H * g.W);
        for (int fh = 0; fh < g.FH; fh++)
        for (int fw = 0; fw < g.FW; fw++)
        {
            int row = (c * g.FH + fh) * g.FW + fw;
            ColumnRow(image, g, fh, fw, 0, new Span<float>(col, row * g.Positions + n * p, p));
        }
    }

    /// <summary>
    /// One image's part of row (c, fh, fw) of col, from output position <paramref name="first"/> on (positions count
    /// oh·OW + ow): line[j] = X[c, oh·SH − PH + fh, ow·SW − PW + fw], 0 where that falls in the padding.
    /// <paramref name="image"/> is the plane X[n, c] (H·W floats). With stride 1 each output row is one contiguous piece
    /// of an input row (a column stride SW = 1 is what makes it contiguous). Also used to pack GEMM panels straight from the image (<see cref="CpuImplicitConvolution"/>).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void ColumnRow(ReadOnlySpan<float> image, ConvolutionGeometry g, int fh, int fw, int first, Span<float> line)
    {
        int ow = g.OW, s = g.StrideW;
        // Output columns j with 0 <= j·SW − PW + fw < W: [j0, j1).
        int j0 = FirstInside(fw - g.PadW, s), j1 = Math.Min(ow, EndInside(fw - g.PadW, s, g.W));
        for (int done = 0; done < line.Length;)
        {
            int position = first + done, i = position / ow, from = position % ow, to = Math.Min(ow, from + line.Length - done);
            var piece = line.Slice(done, to - from); // output row i, columns [from, to)
            done += to - from;
            int h = i * g.StrideH - g.PadH + fh, a = Math.Max(from, j0), b = Math.Min(to, j1);
            if ((uint)h >= (uint)g.H || a >= b)
            {
                piece.Clear();
                continue;
            }
            piece[..(a - from)].Clear();
            piece[(b - from)..].Clear();
            var src = image.Slice(h * g.W + a * s - g.PadW + fw);
            var dst = piece[(a - from)..(b - from)];
            if (s == 1) src[..dst.Length].CopyTo(dst);
            else for (int j = 0; j < dst.Length; j++) dst[j] = src[j * s];
        }
    }

    public static void Col2Im(float[] col, ConvolutionGeometry g, float[] dx)
    {
        int planes = g.N * g.C;
        if ((long)g.PatchLength * g.Positions >= ParallelThreshold && planes > 1)
            CoreTeam.ForEach(planes, plane => Col2ImPlane(col, g, dx, plane));
        else
            for (int plane = 0; plane < planes; plane++) Col2ImPlane(col, g, dx, plane);
    }

    // Adds into image n, channel c every entry of col that im2col copied from it (only this call writes that plane).
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // optimized at once: a notebook cell may call it only a few times
    private static void Col2ImPlane(float[] col, ConvolutionGeometry g, float[] dx, int plane)
    {
        int n = plane / g.C, c = plane % g.C;
        int oh = g.OH, ow = g.OW, s = g.StrideW, positions = g.Positions;
        var image = new Span<float>(dx, plane * g.H * g.W, g.H * g.W);
        image.Clear();
        for (int fh = 0; fh < g.FH; fh++)
        for (int fw = 0; fw < g.FW; fw++)
        {
            int row = (c * g.FH + fh) * g.FW + fw;
            int j0 = FirstInside(fw - g.PadW, s), j1 = Math.Min(ow, EndInside(fw - g.PadW, s, g.W));
            if (j0 >= j1) continue;
            var src = new ReadOnlySpan<float>(col, row * positions + n * oh * ow, oh * ow);
            for (int i = 0; i < oh; i++)
            {
                int h = i * g.StrideH - g.PadH + fh;
                if ((uint)h >= (uint)g.H) continue;
                var line = src.Slice(i * ow + j0, j1 - j0);
                var dst = image.Slice(h * g.W + j0 * s - g.PadW + fw);
                if (s == 1) AddInPlace(dst[..line.Length], line);
                else for (int j = 0; j < line.Length; j++) dst[j * s] += line[j];
            }
        }
    }

    // Smallest j >= 0 with j·s + offset >= 0.
    private static int FirstInside(int offset, int s) => offset >= 0 ? 0 : (-offset + s - 1) / s;

    // Smallest j with j·s + offset >= size (the end of the columns that land inside a row of length size).
    private static int EndInside(int offset, int s, int size) => size - offset <= 0 ? 0 : (size - offset + s - 1) / s;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // unoptimized Vector<T> code is very slow
    private static void AddInPlace(Span<float> y, ReadOnlySpan<float> x)
    {
        int i = 0;
        if (Vector.IsHardwareAccelerated)
            for (; i <= x.Length - Vector<float>.Count; i += Vector<float>.Count)
                (new Vector<float>(y[i..]) + new Vector<float>(x[i..])).CopyTo(y[i..]);
        for (; i < x.Length; i++) y[i] += x[i];
    }

    /// <summary>The plain loops: one col entry at a time, bounds checked (the oracle for the fast kernels).</summary>
    public static void Im2ColReference(float[] x, ConvolutionGeometry g, float[] col)
    {
        int oh = g.OH, ow = g.OW, positions = g.Positions;
        for (int c = 0; c < g.C; c++)
        for (int fh = 0; fh < g.FH; fh++)
        for (int fw = 0; fw < g.FW; fw++)
        {
            int row = (c * g.FH + fh) * g.FW + fw;
            for (int n = 0; n < g.N; n++)
            for (int i = 0; i < oh; i++)
            {
                int h = i * g.StrideH - g.PadH + fh;
                int dst = row * positions + (n * oh + i) * ow;
                for (int j = 0; j < ow; j++)
                {
                    int w = j * g.StrideW - g.PadW + fw;
                    col[dst + j] = (uint)h < (uint)g.H && (uint)w < (uint)g.W ? x[((n * g.C + c) * g.H + h) * g.W + w] : 0f;
                }
            }
        }
    }

    /// <summary>The plain adjoint of <see cref="Im2ColReference"/>.</summary>
    public static void Col2ImReference(float[] col, ConvolutionGeometry g, float[] dx)
    {
        Array.Clear(dx, 0, g.N * g.C * g.H * g.W);
        int oh = g.OH, ow = g.OW, positions = g.Positions;
        for (int c = 0; c < g.C; c++)
        for (int fh = 0; fh < g.FH; fh++)
        for (int fw = 0; fw < g.FW; fw++)
        {
            int row = (c * g.FH + fh) * g.FW + fw;
            for (int n = 0; n < g.N; n++)
            for (int i = 0; i < oh; i++)
            {
                int h = i * g.StrideH - g.PadH + fh;
                if ((uint)h >= (uint)g.H) continue;
                int src = row * positions + (n * oh + i) * ow;
                for (int j = 0; j < ow; j++)
                {
                    int w = j * g.StrideW - g.PadW + fw;
                    if ((uint)w < (uint)g.W) dx[((n * g.C + c) * g.H + h) * g.W + w] += col[src + j];
                }
            }
        }
    }
}
