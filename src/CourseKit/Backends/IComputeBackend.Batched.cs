namespace CourseKit.Backends;

public partial interface IComputeBackend
{
    /// <summary>
    /// Strided batched GEMM: for i &lt; <paramref name="count"/>,
    /// C_i = alpha·op(A_i)·op(B_i) + beta·C_i where X_i starts at xOffset + i·xStride (row-major, leading dimensions as in
    /// <see cref="Gemm"/>). A stride of 0 shares one operand across the batch (the filter of a convolution);
    /// <paramref name="cStride"/> = 0 sums the products into the one C: C = alpha·Σ_i op(A_i)·op(B_i) + beta·C.
    /// This default loops over <see cref="Gemm"/> (correct on every backend); a backend may run the entries side by side.
    /// </summary>
    void GemmBatched(bool transA, bool transB, int m, int n, int k, int count,
                     float alpha, TensorStorage a, int aOffset, int lda, int aStride,
                     TensorStorage b, int bOffset, int ldb, int bStride,
                     float beta, TensorStorage c, int cOffset, int ldc, int cStride)
        => BatchedGemm.OneAfterAnother(this, transA, transB, m, n, k, count, alpha, a, aOffset, lda, aStride,
                                       b, bOffset, ldb, bStride, beta, c, cOffset, ldc, cStride);
}

/// <summary>Shared pieces of <see cref="IComputeBackend.GemmBatched"/>: the argument checks and the plain loop.</summary>
internal static class BatchedGemm
{
    /// <summary>The batch as one <see cref="IComputeBackend.Gemm"/> call per entry, in order.</summary>
    public static void OneAfterAnother(IComputeBackend backend, bool transA, bool transB, int m, int n, int k, int count,
                                       float alpha, TensorStorage a, int aOffset, int lda, int aStride,
                                       TensorStorage b, int bOffset, int ldb, int bStride,
                                       float beta, TensorStorage c, int cOffset, int ldc, int cStride)
    {
        Validate(m, n, k, count, aStride, bStride, cStride);
        for (int i = 0; i < count; i++)
        {
            // with a shared C, the first product applies beta and the others add on
            float betaHere = cStride == 0 && i > 0 ? 1f : beta;
            backend.Gemm(transA, transB, m, n, k, alpha, a, aOffset + i * aStride, lda, b, bOffset + i * bStride, ldb,
                         betaHere, c, cOffset + i * cStride, ldc);
        }
    }

    public static void Validate(int m, int n, int k, int count, int aStride, int bStride, int cStride)
    {
        if (m < 0 || n < 0 || k < 0 || count < 0)
            throw new ArgumentException($"GemmBatched: sizes must not be negative (m={m}, n={n}, k={k}, count={count})");
        if (aStride < 0 || bStride < 0 || cStride < 0)
            throw new ArgumentException($"GemmBatched: batch strides must not be negative (A {aStride}, B {bStride}, C {cStride})");
    }
}
