namespace CourseKit.Backends;

/// <summary>
/// Single-precision GEMM on the host. For now it forwards to <see cref="GemmReference"/>;
/// the packed, cache-blocked SIMD kernel replaces this body.
/// </summary>
internal static class CpuGemm
{
    public static void Run(bool transA, bool transB, int m, int n, int k,
                           float alpha, ReadOnlySpan<float> a, int lda,
                           ReadOnlySpan<float> b, int ldb,
                           float beta, Span<float> c, int ldc) =>
        GemmReference.Run(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
}
