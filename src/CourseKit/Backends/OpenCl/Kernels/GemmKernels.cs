namespace CourseKit.Backends.OpenCl;

/// <summary>
/// C = alpha·op(A)·op(B) + beta·C on the device (row-major, leading dimensions in elements), three versions:
/// <list type="number">
/// <item><c>gemm_naive</c>: one work-item per element of C, k loads of A and of B each. The reference.</item>
/// <item><c>gemm_tiled</c>: a work-group computes a TILE×TILE block of C and walks k in steps of TILE,
/// staging one tile of op(A) and one of op(B) in local memory, so each global value is read once per
/// work-group instead of once per work-item.</item>
/// <item><c>gemm_blocked</c>: the tiled kernel with more work per work-item: each one keeps a WPT×WPT
/// block of C in registers (a BLOCK = TILE·WPT square per work-group), so every value read from local
/// memory is used WPT times. This is the one <see cref="OpenClBackend.Gemm"/> runs.</item>
/// </list>
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

        #define BLOCK (TILE * WPT)

        // Work-group (TILE, TILE) computes the BLOCK×BLOCK block of C at (get_group_id(1), get_group_id(0));
        // work-item (tx, ty) owns rows ty + TILE·r and columns tx + TILE·s of it (r, s < WPT).
        __kernel __attribute__((reqd_work_group_size(TILE, TILE, 1)))
        void gemm_blocked(int transA, int transB, int m, int n, int k, float alpha,
                          __global const float* a, int aOffset, int lda,
                          __global const float* b, int bOffset, int ldb,
                          float beta, __global float* c, int cOffset, int ldc)
        {
            __local float aTile[TILE][BLOCK + 1];   // aTile[q][r] = op(A)[row0 + r, p0 + q]
            __local float bTile[TILE][BLOCK + 1];   // bTile[q][s] = op(B)[p0 + q, col0 + s]
            int tx = get_local_id(0), ty = get_local_id(1), id = ty * TILE + tx;
            int row0 = get_group_id(1) * BLOCK, col0 = get_group_id(0) * BLOCK;
            a += aOffset; b += bOffset; c += cOffset;
            float sum[WPT][WPT];
            for (int r = 0; r < WPT; r++) for (int s = 0; s < WPT; s++) sum[r][s] = 0.0f;

            for (int p0 = 0; p0 < k; p0 += TILE)
            {
                // BLOCK·TILE values per tile, WPT per work-item; consecutive work-items read consecutive
                // addresses of the matrix as stored (along k unless the operand is transposed).
                for (int l = 0; l < WPT; l++)
                {
                    int e = id + l * TILE * TILE;
                    int r = transA ? e % BLOCK : e / TILE, q = transA ? e / BLOCK : e % TILE;
                    int i = row0 + r, p = p0 + q;
                    aTile[q][r] = i < m && p < k ? A_AT(i, p) : 0.0f;
                    int s = transB ? e / TILE : e % BLOCK, qb = transB ? e % TILE : e / BLOCK;
                    int j = col0 + s, pb = p0 + qb;
                    bTile[qb][s] = pb < k && j < n ? B_AT(pb, j) : 0.0f;
                }
                barrier(CLK_LOCAL_MEM_FENCE);
                for (int q = 0; q < TILE; q++)
                {
                    float aValue[WPT], bValue[WPT];
                    for (int r = 0; r < WPT; r++) aValue[r] = aTile[q][ty + TILE * r];
                    for (int s = 0; s < WPT; s++) bValue[s] = bTile[q][tx + TILE * s];
                    for (int r = 0; r < WPT; r++) for (int s = 0; s < WPT; s++) sum[r][s] += aValue[r] * bValue[s];
                }
                barrier(CLK_LOCAL_MEM_FENCE);
            }
            for (int r = 0; r < WPT; r++)
            for (int s = 0; s < WPT; s++)
            {
                int i = row0 + ty + TILE * r, j = col0 + tx + TILE * s;
                if (i < m && j < n) c[i * ldc + j] = beta == 0.0f ? alpha * sum[r][s] : alpha * sum[r][s] + beta * c[i * ldc + j];
            }
        }
        """);
}
