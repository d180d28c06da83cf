namespace CourseKit.Backends;

/// <summary>
/// The plain triple loop: the correctness oracle for every fast GEMM (tests compare against it).
/// Accumulates in double so that it is the more accurate of the two.
/// </summary>
public static class GemmReference
{
    public static void Run(bool transA, bool transB, int m, int n, int k,
                           float alpha, ReadOnlySpan<float> a, int lda,
                           ReadOnlySpan<float> b, int ldb,
                           float beta, Span<float> c, int ldc)
    {
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < n; j++)
            {
                double sum = 0;
                for (int p = 0; p < k; p++)
                {
                    float aip = transA ? a[p * lda + i] : a[i * lda + p];
                    float bpj = transB ? b[j * ldb + p] : b[p * ldb + j];
                    sum += (double)aip * bpj;
                }
                ref float cij = ref c[i * ldc + j];
                cij = (float)(alpha * sum + (beta == 0f ? 0.0 : (double)beta * cij));
            }
        }
    }
}
