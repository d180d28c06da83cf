using CourseKit.Backends;
using CourseKit.Operations;

namespace CourseKit.Tests.OnDevice;

/// <summary>
/// The strided batched GEMM on the device (the interface's default: one Gemm per entry, with offsets) against
/// the CPU backend, and the convolution paths built on it, including runs of images whose columns are made one run
/// at a time. Bound as in <see cref="DeviceGemmTests"/>: 2·terms·2⁻²⁴ relative to the size of the terms.
/// </summary>
public abstract class DeviceGemmBatchedTests(IDeviceFixture fixture)
{
    [Theory]
    [InlineData(false, false, 0)]  // separate Cs
    [InlineData(true, false, 0)]
    [InlineData(false, true, 1)]   // A shared (stride 0)
    [InlineData(true, true, 2)]    // one C summing every product (stride 0)
    public void BatchedGemmMatchesTheCpu(bool transA, bool transB, int sharing)
    {
        var random = new Random(3 + sharing + (transA ? 4 : 0) + (transB ? 8 : 0));
        int m = 7, n = 13, k = 19, count = 5, offset = 3;
        int lda = (transA ? m : k) + 1, ldb = (transB ? k : n) + 2, ldc = n + 1;
        int aStride = sharing == 1 ? 0 : (transA ? k : m) * lda, bStride = (transB ? n : k) * ldb, cStride = sharing == 2 ? 0 : m * ldc;
        float[] a = Numbers.Random(random, offset + (count - 1) * aStride + (transA ? k : m) * lda);
        float[] b = Numbers.Random(random, offset + (count - 1) * bStride + (transB ? n : k) * ldb);
        float[] c = Numbers.Random(random, offset + (count - 1) * cStride + m * ldc);
        var onCpu = new CpuStorage((float[])c.Clone());
        CpuBackend.Instance.GemmBatched(transA, transB, m, n, k, count, 1.5f, new CpuStorage(a), offset, lda, aStride,
            new CpuStorage(b), offset, ldb, bStride, 0.5f, onCpu, offset, ldc, cStride);
        var onDevice = fixture.Upload(c);
        fixture.Backend.GemmBatched(transA, transB, m, n, k, count, 1.5f, fixture.Upload(a), offset, lda, aStride,
            fixture.Upload(b), offset, ldb, bStride, 0.5f, onDevice, offset, ldc, cStride);
        int terms = k * (sharing == 2 ? count : 1);
        Numbers.Close(onCpu.Array, fixture.Download(onDevice), 0f, 2f * terms / (1 << 24) * (1.5f * terms + 1) + 1e-6f, "GemmBatched");
    }

    [Fact]
    public void ConvolutionInRunsOfImagesMatchesTheCpu()
    {
        // 420k column entries per image: the paths from X take runs of 4 and 1 images (see ConvolutionOperation)
        var random = new Random(5);
        var x = Tensor.FromData([5, 16, 54, 54], Numbers.Random(random, 5 * 16 * 54 * 54));
        var f = Tensor.FromData([3, 16, 3, 3], Numbers.Random(random, 3 * 16 * 9));
        var b = Tensor.FromData([3], Numbers.Random(random, 3));
        var g = ConvolutionOperation.Geometry(x.Shape, f.Shape, 1, 1);
        Assert.False(ConvolutionOperation.ColumnsFitInCache(g));
        var (gx, gf, gb) = (x.To(fixture.Device), f.To(fixture.Device), b.To(fixture.Device));
        var dy = Tensor.FromData([5, 3, g.OH, g.OW], Numbers.Random(random, 5 * 3 * g.OH * g.OW));
        var gdy = dy.To(fixture.Device);
        // terms of size ≤ 1: 144 per output and dX entry, 5·2916 per filter-gradient entry
        Numbers.Close(ConvolutionOperation.Forward(x, f, b, 1, 1).ToArray(), ConvolutionOperation.Forward(gx, gf, gb, 1, 1).ToArray(), 0f, 1e-4f, "Forward");
        Numbers.Close(ConvolutionOperation.BackwardInput(dy, f, g).ToArray(), ConvolutionOperation.BackwardInput(gdy, gf, g).ToArray(), 0f, 1e-4f, "BackwardInput");
        Numbers.Close(ConvolutionOperation.BackwardFilter(dy, x, f.Shape, 1, 1).ToArray(),
                      ConvolutionOperation.BackwardFilter(gdy, gx, f.Shape, 1, 1).ToArray(), 0f, 5e-3f, "BackwardFilter");
    }
}
