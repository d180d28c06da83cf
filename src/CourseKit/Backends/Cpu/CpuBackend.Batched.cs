using System.Buffers;
using System.Numerics.Tensors;

namespace CourseKit.Backends;

public sealed partial class CpuBackend
{
    // Below this many multiply-adds one GEMM runs on one thread (as inside CpuGemm), so a batch of them is
    // spread over the cores entry by entry; larger entries run one after another, each on all cores.
    private const long SmallGemm = 1L << 21;

    /// <inheritdoc/>
    public void GemmBatched(bool transA, bool transB, int m, int n, int k, int count,
                            float alpha, TensorStorage a, int aOffset, int lda, int aStride,
                            TensorStorage b, int bOffset, int ldb, int bStride,
                            float beta, TensorStorage c, int cOffset, int ldc, int cStride) =>
        GemmBatched(transA, transB, m, n, k, count, alpha, Host(a), aOffset, lda, aStride, Host(b), bOffset, ldb, bStride,
                    beta, Host(c), cOffset, ldc, cStride);

    internal static void GemmBatched(bool transA, bool transB, int m, int n, int k, int count,
                                     float alpha, float[] a, int aOffset, int lda, int aStride,
                                     float[] b, int bOffset, int ldb, int bStride,
                                     float beta, float[] c, int cOffset, int ldc, int cStride)
    {
        BatchedGemm.Validate(m, n, k, count, aStride, bStride, cStride);
        if (count == 0 || m == 0 || n == 0) return;
        void One(int i, float betaHere, float[] cArray, int cAt, int ldcHere) =>
            CpuGemm.Run(transA, transB, m, n, k, alpha, a.AsSpan(aOffset + i * aStride), lda,
                        b.AsSpan(bOffset + i * bStride), ldb, betaHere, cArray.AsSpan(cAt), ldcHere);

        int threads = Environment.ProcessorCount;
        bool small = (long)m * n * k < SmallGemm && count > 1 && threads > 1;
        // entries whose Cs overlap (other than all in one) must run in order
        bool disjoint = cStride >= (long)(m - 1) * ldc + n;
        if (!small || (cStride != 0 && !disjoint))
        {
            for (int i = 0; i < count; i++)
                One(i, cStride == 0 && i > 0 ? 1f : beta, c, cOffset + i * cStride, ldc);
            return;
        }
        if (cStride != 0)
        {
            CoreTeam.ForEach(count, i => One(i, beta, c, cOffset + i * cStride, ldc));
            return;
        }
        // One shared C (a sum over the batch): every part sums a stretch of entries into a C of its own
        // (part 0 into C itself), and the parts are added at the end.
        int parts = Math.Min(threads, count), length = (count + parts - 1) / parts, size = m * n;
        parts = (count + length - 1) / length;
        float[] partials = ArrayPool<float>.Shared.Rent((parts - 1) * size);
        CoreTeam.ForEach(parts, t =>
        {
            int end = Math.Min(count, (t + 1) * length);
            for (int i = t * length; i < end; i++)
            {
                bool first = i == t * length;
                if (t == 0) One(i, first ? beta : 1f, c, cOffset, ldc);
                else One(i, first ? 0f : 1f, partials, (t - 1) * size, n);
            }
        });
        for (int t = 1; t < parts; t++)
            for (int i = 0; i < m; i++)
            {
                var row = c.AsSpan(cOffset + i * ldc, n);
                TensorPrimitives.Add(row, partials.AsSpan((t - 1) * size + i * n, n), row);
            }
        ArrayPool<float>.Shared.Return(partials);
    }

    /// <summary>The oracle for <see cref="GemmBatched(bool, bool, int, int, int, int, float, TensorStorage, int, int, int, TensorStorage, int, int, int, float, TensorStorage, int, int, int)"/>: one <see cref="GemmReference"/> after another.</summary>
    internal static void GemmBatchedReference(bool transA, bool transB, int m, int n, int k, int count,
                                              float alpha, float[] a, int aOffset, int lda, int aStride,
                                              float[] b, int bOffset, int ldb, int bStride,
                                              float beta, float[] c, int cOffset, int ldc, int cStride)
    {
        for (int i = 0; i < count; i++)
            GemmReference.Run(transA, transB, m, n, k, alpha, a.AsSpan(aOffset + i * aStride), lda,
                              b.AsSpan(bOffset + i * bStride), ldb, cStride == 0 && i > 0 ? 1f : beta,
                              c.AsSpan(cOffset + i * cStride), ldc);
    }
}
