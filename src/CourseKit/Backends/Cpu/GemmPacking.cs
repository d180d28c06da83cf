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
    /// Packs op(A)[i0..i0+mc, p0..p0+kc] as ⌈mc/mr⌉ micro-panels of kc×mr floats
    /// (panel q holds rows q·mr.., step p holds the mr values of column p).
    /// </summary>
    public static void PackA(bool transA, float* a, nint lda, int i0, int mc, int p0, int kc, int mr, float* dst)
    {
        for (int ir = 0; ir < mc; ir += mr, dst += kc * mr)
        {
            int rows = Math.Min(mr, mc - ir);
            if (transA)
            {
                // op(A)(i, p) = a[p, i]: the mr values of one step are contiguous in memory
                for (int p = 0; p < kc; p++)
                {
                    float* src = a + (p0 + p) * lda + i0 + ir;
                    float* d = dst + p * mr;
                    int r = 0;
                    for (; r < rows; r++) d[r] = src[r];
                    for (; r < mr; r++) d[r] = 0f;
                }
            }
            else
            {
                // op(A)(i, p) = a[i, p]: read each row forwards, scatter it with stride mr
                for (int r = 0; r < rows; r++)
                {
                    float* src = a + (i0 + ir + r) * lda + p0;
                    float* d = dst + r;
                    for (int p = 0; p < kc; p++) d[p * mr] = src[p];
                }
                for (int r = rows; r < mr; r++)
                    for (int p = 0; p < kc; p++) dst[p * mr + r] = 0f;
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
