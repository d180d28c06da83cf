namespace CourseKit.Backends.OpenCl;

/// <summary>
/// C = alpha·op(A)·op(B) + beta·C on the device (row-major, leading dimensions in elements).
/// <c>gemm_tiled</c> is the fast kernel: each work-group computes a TILE×TILE block of C and walks k in
/// steps of TILE, staging one tile of op(A) and one of op(B) in local memory so that every global value
/// is read once per work-group instead of once per work-item. <c>gemm_naive</c> is its plain reference.
/// </summary>
internal static class GemmKernels
{
    public static readonly OpenClSource Program = new("gemm", """
        #define A_AT(i, p) (transA ? a[(p) * lda + (i)] : a[(i) * lda + (p)])
        #define B_AT(p, j) (transB ? b[(j) * ldb + (p)] : b[(p) * ldb + (j)])

        // One work-item per element of C: the textbook triple loop, kept as the correctness reference.
        __kernel void gemm_naive(int transA, int transB, int m, int n, int k, float alpha,
                                 __global const float* a, int aOffset, int lda,
                                 __global const float* b, int bOffset, int ldb,
                                 float beta, __global float* c, int cOffset, int ldc)
        {
            int j = get_global_id(0), i = get_global_id(1);
            if (i >= m || j >= n) return;
            a += aOffset; b += bOffset; c += cOffset;
            float sum = 0.0f;
            for (int p = 0; p < k; p++) sum += A_AT(i, p) * B_AT(p, j);
            // beta == 0 must not read C: it may hold garbage (NaN) that 0·NaN would keep.
            c[i * ldc + j] = beta == 0.0f ? alpha * sum : alpha * sum + beta * c[i * ldc + j];
        }

        // Work-group (TILE, TILE): dimension 0 runs along the columns j of C, dimension 1 along the rows i.
        __kernel __attribute__((reqd_work_group_size(TILE, TILE, 1)))
        void gemm_tiled(int transA, int transB, int m, int n, int k, float alpha,
                        __global const float* a, int aOffset, int lda,
                        __global const float* b, int bOffset, int ldb,
                        float beta, __global float* c, int cOffset, int ldc)
        {
            __local float aTile[TILE][TILE];
            __local float bTile[TILE][TILE + 1];   // +1 column avoids local-memory bank conflicts
            int tx = get_local_id(0), ty = get_local_id(1);
            int j = get_global_id(0), i = get_global_id(1);
            a += aOffset; b += bOffset; c += cOffset;
            float sum = 0.0f;
            for (int p0 = 0; p0 < k; p0 += TILE)
            {
                // Each work-item loads one element of each tile; outside the matrices it loads 0.
                int pa = p0 + tx, pb = p0 + ty;
                aTile[ty][tx] = i < m && pa < k ? A_AT(i, pa) : 0.0f;
                bTile[ty][tx] = pb < k && j < n ? B_AT(pb, j) : 0.0f;
                barrier(CLK_LOCAL_MEM_FENCE);
                for (int q = 0; q < TILE; q++) sum += aTile[ty][q] * bTile[q][tx];
                barrier(CLK_LOCAL_MEM_FENCE);
            }
            if (i < m && j < n)
                c[i * ldc + j] = beta == 0.0f ? alpha * sum : alpha * sum + beta * c[i * ldc + j];
        }
        """);
}
