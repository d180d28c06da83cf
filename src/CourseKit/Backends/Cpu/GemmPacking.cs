using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

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
        // op(A)(i, p) = a[i, p]: each panel is a transpose of its rows
        for (int q = 0; q < panels.Count; q++)
        {
            int start = panels.Start(q), rows = panels.Height(q);
            Transpose(a + (i0 + start) * lda + p0, lda, rows, kc, dst + start * kc, rows);
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
            // op(B)(p, j) = b[j, p]: each panel is a transpose of nr rows of b
            for (int jr = 0; jr < nc; jr += nr)
                Transpose(b + (j0 + jr) * ldb + p0, ldb, Math.Min(nr, nc - jr), kc, dst + jr * kc, nr);
            if (tail > 0)
                for (int p = 0; p < kc; p++) new Span<float>(dst + full * kc + p * nr + tail, nr - tail).Clear();
            return;
        }
        // op(B)(p, j) = b[p, j]: row p of b holds step p of every panel, in runs of nr floats (a multiple of 8)
        for (int p = 0; p < kc; p++)
        {
            float* src = b + (p0 + p) * ldb + j0, d = dst + p * nr;
            for (int jr = 0; jr < full; jr += nr, src += nr, d += nr * kc)
            {
                // each row of a large B starts on new pages, where the hardware prefetcher has to start over:
                // ask for the same columns of the row after next while this one is copied
                if (Sse.IsSupported && p + 2 < kc)
                    for (int c = 0; c < nr; c += 16) Sse.Prefetch0(src + 2 * ldb + c);
                for (int c = 0; c < nr; c += Vector256<float>.Count) Vector256.Store(Vector256.Load(src + c), d + c);
            }
            if (tail > 0)
            {
                Copy(src, d, tail);
                new Span<float>(d + tail, nr - tail).Clear();
            }
        }
    }

    /// <summary>
    /// dst[p·stride + r] = src[r·ld + p] for r &lt; count, p &lt; kc. Rows are read forwards several at a time,
    /// so that each step writes neighbouring floats (one row at a time would touch a new cache line per float):
    /// blocks of 8×8 through AVX shuffles where the CPU has them, then four rows, then single rows.
    /// A panel of 13 or 14 rows of A takes two 8×8 blocks that overlap (rows 0–7 and 6–13 write rows 6 and 7 twice,
    /// the same values): twice as fast on Zen 5 as one block and the four-row loop (10.3 against 5.5 Gfloat/s).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void Transpose(float* src, nint ld, int count, int kc, float* dst, int stride)
    {
        int r = 0;
        if (Avx.IsSupported && count >= 8)
        {
            while (r < count)
            {
                r = Math.Min(r, count - 8); // the last block ends at the last row, overlapping the one before
                int p = 0;
                for (; p + 8 <= kc; p += 8) Transpose8x8(src + r * ld + p, ld, dst + p * stride + r, stride);
                for (; p < kc; p++)
                    for (int i = 0; i < 8; i++) dst[p * stride + r + i] = src[(r + i) * ld + p];
                r += 8;
            }
            return;
        }
        for (; r + 4 <= count; r += 4)
        {
            float* s0 = src + r * ld, s1 = s0 + ld, s2 = s1 + ld, s3 = s2 + ld, d = dst + r;
            for (int p = 0; p < kc; p++, d += stride)
            {
                d[0] = s0[p];
                d[1] = s1[p];
                d[2] = s2[p];
                d[3] = s3[p];
            }
        }
        for (; r < count; r++)
        {
            float* s0 = src + r * ld, d = dst + r;
            for (int p = 0; p < kc; p++, d += stride) *d = s0[p];
        }
    }

    /// <summary>The classic AVX 8×8 transpose: interleave pairs of rows, then pairs of pairs, then swap 128-bit halves.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Transpose8x8(float* src, nint ld, float* dst, int stride) =>
        Transpose8x8(Avx.LoadVector256(src), Avx.LoadVector256(src + ld), Avx.LoadVector256(src + 2 * ld), Avx.LoadVector256(src + 3 * ld),
                     Avx.LoadVector256(src + 4 * ld), Avx.LoadVector256(src + 5 * ld), Avx.LoadVector256(src + 6 * ld), Avx.LoadVector256(src + 7 * ld),
                     dst, stride);

    /// <summary>Writes the 8×8 block whose rows are r0..r7 transposed: dst[i·stride + j] = r_j[i].</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void Transpose8x8(Vector256<float> r0, Vector256<float> r1, Vector256<float> r2, Vector256<float> r3,
                                      Vector256<float> r4, Vector256<float> r5, Vector256<float> r6, Vector256<float> r7,
                                      float* dst, int stride)
    {
        Vector256<float> t0 = Avx.UnpackLow(r0, r1), t1 = Avx.UnpackHigh(r0, r1), t2 = Avx.UnpackLow(r2, r3), t3 = Avx.UnpackHigh(r2, r3),
                         t4 = Avx.UnpackLow(r4, r5), t5 = Avx.UnpackHigh(r4, r5), t6 = Avx.UnpackLow(r6, r7), t7 = Avx.UnpackHigh(r6, r7);
        Vector256<float> u0 = Avx.Shuffle(t0, t2, 0x44), u1 = Avx.Shuffle(t0, t2, 0xEE), u2 = Avx.Shuffle(t1, t3, 0x44), u3 = Avx.Shuffle(t1, t3, 0xEE),
                         u4 = Avx.Shuffle(t4, t6, 0x44), u5 = Avx.Shuffle(t4, t6, 0xEE), u6 = Avx.Shuffle(t5, t7, 0x44), u7 = Avx.Shuffle(t5, t7, 0xEE);
        Avx.Store(dst, Avx.Permute2x128(u0, u4, 0x20));
        Avx.Store(dst + stride, Avx.Permute2x128(u1, u5, 0x20));
        Avx.Store(dst + 2 * stride, Avx.Permute2x128(u2, u6, 0x20));
        Avx.Store(dst + 3 * stride, Avx.Permute2x128(u3, u7, 0x20));
        Avx.Store(dst + 4 * stride, Avx.Permute2x128(u0, u4, 0x31));
        Avx.Store(dst + 5 * stride, Avx.Permute2x128(u1, u5, 0x31));
        Avx.Store(dst + 6 * stride, Avx.Permute2x128(u2, u6, 0x31));
        Avx.Store(dst + 7 * stride, Avx.Permute2x128(u3, u7, 0x31));
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
