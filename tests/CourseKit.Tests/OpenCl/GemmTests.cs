using CourseKit.Backends;
using CourseKit.Tests.OnDevice;

namespace CourseKit.Tests.OpenCl;

/// <summary>The shared GEMM tests on OpenCL's three kernels (GemmNaive, GemmTiled and the register-blocked Gemm).</summary>
[Collection(OpenClCollection.Name)]
public sealed class GemmTests(OpenClFixture fixture) : DeviceGemmTests(fixture)
{
    private readonly OpenClFixture device = fixture;

    // Sizes below, at and above the tile (16) and block (64) edges, primes, and a single row or column.
    protected override int[][] Shapes(Kernel kernel) =>
        [[1, 1, 1], [3, 5, 7], [16, 16, 16], [17, 33, 15], [31, 1, 64], [1, 47, 29], [65, 40, 100], [64, 129, 17]];

    protected override void Run(Kernel kernel, bool transA, bool transB, int m, int n, int k,
                                float alpha, TensorStorage a, int aOffset, int lda, TensorStorage b, int bOffset, int ldb,
                                float beta, TensorStorage c, int cOffset, int ldc)
    {
        var backend = device.OpenClBackend;
        switch (kernel)
        {
            case Kernel.Naive: backend.GemmNaive(transA, transB, m, n, k, alpha, a, aOffset, lda, b, bOffset, ldb, beta, c, cOffset, ldc); break;
            case Kernel.Tiled: backend.GemmTiled(transA, transB, m, n, k, alpha, a, aOffset, lda, b, bOffset, ldb, beta, c, cOffset, ldc); break;
            default: backend.Gemm(transA, transB, m, n, k, alpha, a, aOffset, lda, b, bOffset, ldb, beta, c, cOffset, ldc); break;
        }
    }
}
