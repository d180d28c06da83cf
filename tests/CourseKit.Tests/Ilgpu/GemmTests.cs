using CourseKit.Backends;
using CourseKit.Tests.OnDevice;

namespace CourseKit.Tests.Ilgpu;

/// <summary>
/// The shared GEMM tests on ILGPU's three kernels (naive, tiled in shared memory, register-blocked; the order of
/// IlgpuBackend.GemmKernel), and their batches on the grid's third axis.
/// </summary>
[Collection(IlgpuCollection.Name)]
public sealed class GemmTests(IlgpuFixture fixture) : DeviceGemmTests(fixture)
{
    private readonly IlgpuFixture device = fixture;

    // Sizes below, at and above the CPU accelerator's tile (4) and block (16) edges, primes, a single row or column.
    // The shared-memory kernels stay small here: on the CPU accelerator every barrier is a switch between host threads.
    protected override int[][] Shapes(Kernel kernel) => kernel == Kernel.Naive
        ? [[1, 1, 1], [3, 5, 7], [16, 16, 16], [17, 33, 15], [31, 1, 64], [1, 47, 29], [65, 40, 100], [64, 129, 17]]
        : [[1, 1, 1], [3, 5, 7], [5, 17, 9], [17, 6, 4]];

    protected override void Run(Kernel kernel, bool transA, bool transB, int m, int n, int k,
                                float alpha, TensorStorage a, int aOffset, int lda, TensorStorage b, int bOffset, int ldb,
                                float beta, TensorStorage c, int cOffset, int ldc) =>
        device.IlgpuBackend.RunGemm((IlgpuBackend.GemmKernel)kernel, transA, transB, m, n, k, 1, alpha, a, aOffset, lda, 0,
                                    b, bOffset, ldb, 0, beta, c, cOffset, ldc, 0);

    [Theory]
    [InlineData(Kernel.Naive)]
    [InlineData(Kernel.Tiled)]
    [InlineData(Kernel.Blocked)]
    public void EveryKernelRunsABatchOnItsGridsThirdAxis(Kernel kernel)
    {
        // Three 5x6 products with k = 7, A transposed, B shared (stride 0), each C at its own offset.
        int m = 5, n = 6, k = 7, count = 3, aStride = k * m + 2, cStride = m * n + 1;
        var random = new Random(5);
        var a = Numbers.Random(random, count * aStride);
        var b = Numbers.Random(random, k * n);
        var c = Numbers.Random(random, count * cStride);
        var expected = (float[])c.Clone();
        for (int i = 0; i < count; i++)
            GemmReference.Run(true, false, m, n, k, 2f, a.AsSpan(i * aStride), m, b, n, 0.5f, expected.AsSpan(i * cStride), n);
        var onDevice = device.Upload(c);
        device.IlgpuBackend.RunGemm((IlgpuBackend.GemmKernel)kernel, true, false, m, n, k, count, 2f, device.Upload(a), 0, m, aStride,
                                    device.Upload(b), 0, n, 0, 0.5f, onDevice, 0, n, cStride);
        Numbers.Close(expected, device.Download(onDevice), 1e-5f, 1e-5f, $"{kernel} batch");
    }
}
