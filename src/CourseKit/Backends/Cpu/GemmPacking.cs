using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace CourseKit.Backends;

/// <summary>
/// Packing copies a block of op(A) or op(B) into the exact order the micro-kernel reads it:
/// consecutive k steps of a panel's rows (or NR columns), zero-padded at the right edge. The kernel then
/// walks memory strictly forwards, and the transposes of op() cost nothing more than the copy itself.
/// Every loop reads its source in memory order: a row of a large matrix is one stream for the prefetcher
/// and one page for the TLB, whereas hopping between rows would miss both on every step.
/// </summary>
internal static unsafe class GemmPacking
{
    /// <summary>
    /// Packs op(A)[i0.., p0..p0+kc] as the micro-panels of <paramref name="panels"/>: panel q holds rows
    /// Start(q).. of the block, and its step p holds the Height(q) values of column p.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void PackA(bool transA, float* a, nint lda, int i0, int p0, int kc, RowPanels panels, float* dst)
    {
        if (transA)
        {
            // op(A)(i, p) = a[p, i]: row p of a holds step p of every panel, contiguously
            for (int p = 0; p < kc; p++)
            {
                float* src = a + (p0 + p) * lda + i0;
                for (int q = 0; q < panels.Count; q++)
                {
                    int start = panels.Start(q), rows = panels.Height(q);
                    Copy(src + start, dst + start * kc + p * rows, rows);
                }
            }
            return;
        }
        // op(A)(i, p) = a[i, p]: a transpose. Read four rows forwards side by side, so that each step
        // writes four neighbouring floats (one row at a time would touch a new cache line per float).
        for (int q = 0; q < panels.Count; q++)
        {
            int start = panels.Start(q), rows = panels.Height(q), r = 0;
            for (; r + 4 <= rows; r += 4)
            {
                float* s0 = a + (i0 + start + r) * lda + p0, s1 = s0 + lda, s2 = s1 + lda, s3 = s2 + lda;
                float* d = dst + start * kc + r;
                for (int p = 0; p < kc; p++, d += rows)
                {
                    d[0] = s0[p];
                    d[1] = s1[p];
                    d[2] = s2[p];
                    d[3] = s3[p];
                }
            }
            for (; r < rows; r++)
            {
                float* src = a + (i0 + start + r) * lda + p0, d = dst + start * kc + r;
                for (int p = 0; p < kc; p++, d += rows) *d = src[p];
            }
        }
    }

    /// <summary>
    /// Packs op(B)[p0..p0+kc, j0..j0+nc] as ⌈nc/nr⌉ micro-panels of kc×nr floats
    /// (panel q holds columns q·nr.., step p holds the nr values of row p), the last one zero-padded.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void PackB(bool transB, float* b, nint ldb, int p0, int kc, int j0, int nc, int nr, float* dst)
    {
        int full = nc / nr * nr, tail = nc - full;
        if (transB)
        {
            // op(B)(p, j) = b[j, p]: a transpose, four rows of b side by side as in PackA (nr is a multiple of 4)
            int j = 0;
            for (; j + 4 <= nc; j += 4)
            {
                float* s0 = b + (j0 + j) * ldb + p0, s1 = s0 + ldb, s2 = s1 + ldb, s3 = s2 + ldb;
                float* d = dst + j / nr * nr * kc + j % nr;
                for (int p = 0; p < kc; p++, d += nr)
                {
                    d[0] = s0[p];
                    d[1] = s1[p];
                    d[2] = s2[p];
                    d[3] = s3[p];
                }
            }
            for (; j < nc; j++)
            {
                float* src = b + (j0 + j) * ldb + p0, d = dst + j / nr * nr * kc + j % nr;
                for (int p = 0; p < kc; p++, d += nr) *d = src[p];
            }
            if (tail > 0)
                for (int p = 0; p < kc; p++) new Span<float>(dst + full * kc + p * nr + tail, nr - tail).Clear();
            return;
        }
        // op(B)(p, j) = b[p, j]: row p of b holds step p of every panel, in runs of nr floats (a multiple of 8)
        for (int p = 0; p < kc; p++)
        {
            float* src = b + (p0 + p) * ldb + j0, d = dst + p * nr;
            for (int jr = 0; jr < full; jr += nr, src += nr, d += nr * kc)
                for (int c = 0; c < nr; c += Vector256<float>.Count) Vector256.Store(Vector256.Load(src + c), d + c);
            if (tail > 0)
            {
                Copy(src, d, tail);
                new Span<float>(d + tail, nr - tail).Clear();
            }
        }
    }

    /// <summary>A short copy (one panel step): vectors of 4, then single floats.</summary>
    private static void Copy(float* src, float* dst, int count)
    {
        int i = 0;
        for (; i + 4 <= count; i += 4) Vector128.Store(Vector128.Load(src + i), dst + i);
        for (; i < count; i++) dst[i] = src[i];
    }
}

/// <summary>
/// Splits a block of rows into ⌈rows/maxHeight⌉ micro-panels whose heights differ by at most one
/// (64 rows → 13+13+13+13+12 rather than 14+14+14+14+8), so no panel wastes the kernel on padding.
/// </summary>
internal readonly struct RowPanels
{
    private readonly int height, taller; // the first `taller` panels have height + 1 rows

    public RowPanels(int rows, int maxHeight)
    {
        Count = (rows + maxHeight - 1) / maxHeight;
        height = rows / Count;
        taller = rows % Count;
    }

    public int Count { get; }
    public int Start(int q) => q * height + Math.Min(q, taller);
    public int Height(int q) => q < taller ? height + 1 : height;
}
