using System.Runtime.Intrinsics;

namespace CourseKit.Backends;

/// <summary>
/// Packing copies a block of op(A) or op(B) into the exact order the micro-kernel reads it:
/// consecutive k steps of MR (or NR) floats, zero-padded at the edges. The kernel then walks memory
/// strictly forwards, and the transposes of op() cost nothing more than the copy itself.
/// </summary>
internal static unsafe class GemmPacking
{
    /// <summary>
    /// Packs op(A)[i0..i0+mc, p0..p0+kc] as the micro-panels of <paramref name="panels"/>: panel q holds rows
    /// Start(q).. of the block, and its step p holds the Height(q) values of column p.
    /// </summary>
    public static void PackA(bool transA, float* a, nint lda, int i0, int p0, int kc, RowPanels panels, float* dst)
    {
        for (int q = 0; q < panels.Count; q++)
        {
            int first = i0 + panels.Start(q), rows = panels.Height(q);
            float* panel = dst + panels.Start(q) * kc;
            if (transA)
            {
                // op(A)(i, p) = a[p, i]: the values of one step are contiguous in memory
                for (int p = 0; p < kc; p++)
                    new ReadOnlySpan<float>(a + (p0 + p) * lda + first, rows).CopyTo(new Span<float>(panel + p * rows, rows));
            }
            else
            {
                // op(A)(i, p) = a[i, p]: read each row forwards, scatter it with stride rows
                for (int r = 0; r < rows; r++)
                {
                    float* src = a + (first + r) * lda + p0, d = panel + r;
                    for (int p = 0; p < kc; p++, d += rows) *d = src[p];
                }
            }
        }
    }

    /// <summary>
    /// Packs op(B)[p0..p0+kc, j0..j0+nc] as ⌈nc/nr⌉ micro-panels of kc×nr floats
    /// (panel q holds columns q·nr.., step p holds the nr values of row p).
    /// </summary>
    public static void PackB(bool transB, float* b, nint ldb, int p0, int kc, int j0, int nc, int nr, float* dst)
    {
        for (int jr = 0; jr < nc; jr += nr, dst += kc * nr)
        {
            int cols = Math.Min(nr, nc - jr);
            if (transB)
            {
                // op(B)(p, j) = b[j, p]: read each column of op(B) forwards, scatter it with stride nr
                for (int c = 0; c < cols; c++)
                {
                    float* src = b + (j0 + jr + c) * ldb + p0;
                    float* d = dst + c;
                    for (int p = 0; p < kc; p++) d[p * nr] = src[p];
                }
                for (int c = cols; c < nr; c++)
                    for (int p = 0; p < kc; p++) dst[p * nr + c] = 0f;
            }
            else if (cols == nr)
            {
                // op(B)(p, j) = b[p, j]: each step is a contiguous run of nr floats (nr is a multiple of 8)
                for (int p = 0; p < kc; p++)
                {
                    float* src = b + (p0 + p) * ldb + j0 + jr;
                    float* d = dst + p * nr;
                    for (int c = 0; c < nr; c += Vector256<float>.Count) Vector256.Store(Vector256.Load(src + c), d + c);
                }
            }
            else
            {
                for (int p = 0; p < kc; p++)
                {
                    float* src = b + (p0 + p) * ldb + j0 + jr;
                    float* d = dst + p * nr;
                    int c = 0;
                    for (; c < cols; c++) d[c] = src[c];
                    for (; c < nr; c++) d[c] = 0f;
                }
            }
        }
    }
}

/// <summary>
/// Splits a block of rows into ⌈rows/maxHeight⌉ micro-panels whose heights differ by at most one
/// (64 rows → 13+13+13+13+12 rather than 14+14+14+14+8), so no panel wastes the kernel on padding.
/// </summary>
internal readonly struct RowPanels(int rows, int maxHeight)
{
    public int Count { get; } = (rows + maxHeight - 1) / maxHeight;
    public int Start(int q) => q * (rows / Count) + Math.Min(q, rows % Count);
    public int Height(int q) => rows / Count + (q < rows % Count ? 1 : 0);
}
