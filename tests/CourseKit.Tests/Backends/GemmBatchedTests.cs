using CourseKit.Backends;

namespace CourseKit.Tests.Backends;

/// <summary>
/// The strided batched GEMM of the CPU backend (entries side by side, or sums into one C) and the interface's
/// default (one <see cref="IComputeBackend.Gemm"/> per entry) against one <see cref="GemmReference"/> per entry.
/// </summary>
public sealed class GemmBatchedTests
{
    private sealed record Batch(bool TransA, bool TransB, int M, int N, int K, int Count,
                                int Lda, int AStride, int Ldb, int BStride, int Ldc, int CStride)
    {
        // Operands laid out with a gap in front (offset 3) and padding beyond each leading dimension.
        public const int Offset = 3;
        public int ALength => Offset + Math.Max(0, Count - 1) * AStride + (TransA ? K : M) * Lda;
        public int BLength => Offset + Math.Max(0, Count - 1) * BStride + (TransB ? N : K) * Ldb;
        public int CLength => Offset + Math.Max(0, Count - 1) * CStride + M * Ldc;

        public static Batch Packed(bool transA, bool transB, int m, int n, int k, int count, bool shareA = false, bool shareB = false, bool sumC = false)
        {
            int lda = (transA ? m : k) + 1, ldb = (transB ? k : n) + 2, ldc = n + 1;
            return new Batch(transA, transB, m, n, k, count,
                lda, shareA ? 0 : (transA ? k : m) * lda, ldb, shareB ? 0 : (transB ? n : k) * ldb, ldc, sumC ? 0 : m * ldc);
        }
    }

    public static TheoryData<int, int, int, int, bool, bool> SizesAndTransposes()
    {
        (int M, int N, int K, int Count)[] sizes =
        [
            (1, 1, 1, 1), (3, 17, 31, 5), (17, 3, 33, 2), (30, 25, 57, 7),
            // one entry is over the threshold where each GEMM gets all cores, so the entries run one after another
            (131, 129, 130, 3),
        ];
        var data = new TheoryData<int, int, int, int, bool, bool>();
        foreach (var (m, n, k, count) in sizes)
            foreach (bool transA in new[] { false, true })
                foreach (bool transB in new[] { false, true })
                    data.Add(m, n, k, count, transA, transB);
        return data;
    }

    [Theory, MemberData(nameof(SizesAndTransposes))]
    public void SeparateEntriesMatchOneReferenceGemmPerEntry(int m, int n, int k, int count, bool transA, bool transB) =>
        AssertMatchesReference(Batch.Packed(transA, transB, m, n, k, count), alpha: 1.5f, beta: 0.5f);

    [Theory, MemberData(nameof(SizesAndTransposes))]
    public void SharedOperandWithStrideZeroIsReadByEveryEntry(int m, int n, int k, int count, bool transA, bool transB)
    {
        AssertMatchesReference(Batch.Packed(transA, transB, m, n, k, count, shareA: true), alpha: 1f, beta: 0f);
        AssertMatchesReference(Batch.Packed(transA, transB, m, n, k, count, shareB: true), alpha: 1f, beta: 1f);
    }

    [Theory, MemberData(nameof(SizesAndTransposes))]
    public void SharedOutputWithStrideZeroSumsEveryProduct(int m, int n, int k, int count, bool transA, bool transB)
    {
        AssertMatchesReference(Batch.Packed(transA, transB, m, n, k, count, sumC: true), alpha: 1f, beta: 0f);
        AssertMatchesReference(Batch.Packed(transA, transB, m, n, k, count, sumC: true), alpha: -0.5f, beta: 2f);
    }

    [Fact]
    public void ConvolutionLayoutColumnsOfOneWideMatrixIntoImageMajorOutput()
    {
        // Y_n (OC, P) = F (OC, K) · col[:, n·P : (n+1)·P] with col (K, N·P): the forward pass of a convolution.
        int oc = 6, kk = 11, p = 13, images = 9;
        AssertMatchesReference(new Batch(false, false, oc, p, kk, images, kk, 0, images * p, p, p, oc * p), alpha: 1f, beta: 1f);
    }

    [Fact]
    public void ReferenceWithSharedOutputEqualsTheSumOfSeparateProducts()
    {
        // The oracle itself: summing into one C equals adding up the separate Cs.
        var sum = Batch.Packed(false, true, 4, 5, 6, 3, sumC: true);
        var each = Batch.Packed(false, true, 4, 5, 6, 3);
        var rng = new Random(3);
        float[] a = RandomArray(rng, sum.ALength), b = RandomArray(rng, sum.BLength);
        float[] c1 = new float[sum.CLength], cs = new float[each.CLength];
        CpuBackend.GemmBatchedReference(false, true, 4, 5, 6, 3, 1f, a, Batch.Offset, sum.Lda, sum.AStride,
            b, Batch.Offset, sum.Ldb, sum.BStride, 0f, c1, Batch.Offset, sum.Ldc, 0);
        CpuBackend.GemmBatchedReference(false, true, 4, 5, 6, 3, 1f, a, Batch.Offset, each.Lda, each.AStride,
            b, Batch.Offset, each.Ldb, each.BStride, 0f, cs, Batch.Offset, each.Ldc, each.CStride);
        for (int i = 0; i < 4; i++)
            for (int j = 0; j < 5; j++)
            {
                double total = 0;
                for (int e = 0; e < 3; e++) total += cs[Batch.Offset + e * each.CStride + i * each.Ldc + j];
                Assert.Equal(total, c1[Batch.Offset + i * sum.Ldc + j], 1e-4);
            }
    }

    [Fact]
    public void NegativeStrideIsReportedWithTheStrides()
    {
        var x = new CpuStorage(new float[16]);
        var e = Assert.Throws<ArgumentException>(() => CpuBackend.Instance.GemmBatched(false, false, 2, 2, 2, 2,
            1f, x, 0, 2, -4, x, 0, 2, 4, 0f, x, 0, 2, 4));
        Assert.Contains("GemmBatched", e.Message);
        Assert.Contains("-4", e.Message);
    }

    private static void AssertMatchesReference(Batch s, float alpha, float beta)
    {
        var rng = new Random(s.M * 7919 + s.N * 31 + s.K + s.Count);
        float[] a = RandomArray(rng, s.ALength), b = RandomArray(rng, s.BLength), c0 = RandomArray(rng, s.CLength);
        float[] expected = (float[])c0.Clone();
        CpuBackend.GemmBatchedReference(s.TransA, s.TransB, s.M, s.N, s.K, s.Count, alpha, a, Batch.Offset, s.Lda, s.AStride,
            b, Batch.Offset, s.Ldb, s.BStride, beta, expected, Batch.Offset, s.Ldc, s.CStride);

        float[] fast = (float[])c0.Clone();
        CpuBackend.GemmBatched(s.TransA, s.TransB, s.M, s.N, s.K, s.Count, alpha, a, Batch.Offset, s.Lda, s.AStride,
            b, Batch.Offset, s.Ldb, s.BStride, beta, fast, Batch.Offset, s.Ldc, s.CStride);
        AssertClose(expected, fast, s, alpha, beta, "CPU batched");

        var cStorage = Storage(c0);
        BatchedGemm.OneAfterAnother(CpuBackend.Instance, s.TransA, s.TransB, s.M, s.N, s.K, s.Count, alpha,
            Storage(a), Batch.Offset, s.Lda, s.AStride, Storage(b), Batch.Offset, s.Ldb, s.BStride,
            beta, cStorage, Batch.Offset, s.Ldc, s.CStride);
        AssertClose(expected, CpuBackend.Host(cStorage), s, alpha, beta, "default (one Gemm per entry)");
    }

    private static void AssertClose(float[] expected, float[] actual, Batch s, float alpha, float beta, string what)
    {
        // The bound of GemmTests, 2·(terms + 4)·u·(|alpha|·Σ|a·b| + |beta·c|), with every |a|, |b|, |c| ≤ 1 and
        // K·Count terms when the products are summed into one C. A lost or doubled product is off by far more.
        // The gaps outside every C get the same check, so an entry written out of place fails too.
        int terms = s.K * (s.CStride == 0 ? Math.Max(1, s.Count) : 1);
        double tolerance = 2.0 * (terms + 4) / (1 << 24) * (Math.Abs(alpha) * terms + Math.Abs(beta) + 1);
        for (int i = 0; i < expected.Length; i++)
            if (Math.Abs(expected[i] - actual[i]) > tolerance)
                Assert.Fail($"{what}: C[{i}] is {actual[i]}, the reference gives {expected[i]} ({s})");
    }

    private static float[] RandomArray(Random rng, int length)
    {
        var x = new float[length];
        for (int i = 0; i < length; i++) x[i] = (float)(rng.NextDouble() * 2 - 1);
        return x;
    }

    private static CpuStorage Storage(float[] values)
    {
        return new CpuStorage((float[])values.Clone());
    }
}
