using CourseKit.Backends;

namespace CourseKit.Tests.Backends;

/// <summary>The packed, blocked GEMM (<see cref="CpuGemm"/>) against the triple loop (<see cref="GemmReference"/>).</summary>
public sealed class GemmTests
{
    // Error bound: a float32 dot product of k terms, summed in any order, is off by at most about k·u·Σ|a·b|
    // (u = 2⁻²⁴, the unit roundoff); alpha, beta and the final rounding add a few more u. We allow
    // 2·(k + 4)·u·(|alpha|·Σ_p |a_ip·b_pj| + |beta·c_ij|) per entry. A wrong or missing term is off by about
    // Σ|a·b|/k, which exceeds this bound for k ≤ 1000, so the bound still catches bugs (the one longer k, in the
    // split-k test, guards against losing a whole stretch of k, which is far above it).
    private const double UnitRoundoff = 1.0 / (1 << 24);

    public static TheoryData<int, int, int, bool, bool, int> SizesTransposesAndVectorWidths()
    {
        (int M, int N, int K)[] sizes =
        [
            (1, 1, 1), (3, 17, 31), (17, 3, 33), (31, 33, 17), (33, 31, 127), (127, 33, 3),
            (513, 17, 31), (17, 513, 33), (33, 31, 513), (127, 127, 127), (1, 513, 3), (513, 1, 17),
            // around the block sizes: micro-tiles (14×32, 6×16), k slices (KC 512, 256), row blocks (MC 336, 144),
            // column blocks (NC 2048)
            (14, 32, 512), (15, 33, 513), (14, 32, 384), (169, 353, 257), (337, 40, 50), (29, 65, 769), (5, 2100, 7),
        ];
        var data = new TheoryData<int, int, int, bool, bool, int>();
        foreach (var (m, n, k) in sizes)
            foreach (bool transA in new[] { false, true })
                foreach (bool transB in new[] { false, true })
                    foreach (int vectorBits in new[] { 512, 256 })
                        data.Add(m, n, k, transA, transB, vectorBits);
        return data;
    }

    [Theory]
    [MemberData(nameof(SizesTransposesAndVectorWidths))]
    public void BlockedGemmMatchesTripleLoopForOddSizesAndEveryTranspose(int m, int n, int k, bool transA, bool transB, int vectorBits)
    {
        var p = Problem.Random(m, n, k, transA, transB, seed: m * 7919 + n * 31 + k);
        p.AssertFastMatchesReference(alpha: 1f, beta: 0f, Kernel(vectorBits));
    }

    [Theory]
    [InlineData(1f, 0f)]
    [InlineData(2.5f, 0f)]
    [InlineData(1f, 1f)]
    [InlineData(-0.5f, 2f)]
    [InlineData(1f, -1f)]
    [InlineData(0f, 1.5f)]
    [InlineData(0f, 0f)]
    public void AlphaScalesProductAndBetaScalesOldC(float alpha, float beta)
    {
        foreach (var kind in new[] { GemmKernelKind.Vector512, GemmKernelKind.Vector256 })
        {
            // 40×70×400: edge tiles in both directions and several k slices, so beta must be applied once only
            var p = Problem.Random(40, 70, 400, transA: false, transB: true, seed: 5);
            p.AssertFastMatchesReference(alpha, beta, kind);
        }
    }

    [Theory]
    [InlineData(1f, 0)]
    [InlineData(0f, 0)]
    [InlineData(1f, 300)]
    public void BetaZeroOverwritesCEvenWhereItHoldsNaN(float alpha, int kSize)
    {
        var p = Problem.Random(37, 45, kSize == 0 ? 0 : kSize, transA: true, transB: false, seed: 11);
        Array.Fill(p.C, float.NaN);
        var c = (float[])p.C.Clone();
        CpuGemm.Run(p.TransA, p.TransB, p.M, p.N, p.K, alpha, p.A, p.Lda, p.B, p.Ldb, 0f, c, p.N);

        Assert.DoesNotContain(c, float.IsNaN);
        var expected = new float[p.M * p.N];
        GemmReference.Run(p.TransA, p.TransB, p.M, p.N, p.K, alpha, p.A, p.Lda, p.B, p.Ldb, 0f, expected, p.N);
        p.AssertClose(expected, c, alpha, beta: 0f, oldC: new float[c.Length]);
    }

    public static TheoryData<int, int, int, bool, bool, int, string> ProductsSharedOutOverTwoCores() => new()
    {
        // 2 blocks of 200 rows × 2 slices of 250 steps of k, 700 = 21·32 + 28 columns (an edge panel): one packed A
        // shared, B packed by the kernels as they read it
        { 400, 700, 500, false, false, 512, nameof(GemmPlan.SharedAPackingB) },
        { 400, 700, 500, true, false, 512, nameof(GemmPlan.SharedAPackingB) },
        // a transposed B, and the AVX2 kernels, have no packing kernels: each tile packs its B
        { 400, 700, 500, false, true, 512, nameof(GemmPlan.SharedA) },
        { 400, 700, 500, true, true, 256, nameof(GemmPlan.SharedA) },
        // 9 panels of columns cannot make bands as many per core: 3 tiles, taken in order
        { 300, 280, 500, false, false, 512, nameof(GemmPlan.SharedAPackingB) },
        // 64 rows (filters): bands of columns, two per core, each packing its own copy of the small A
        { 64, 2000, 1100, false, false, 512, nameof(GemmPlan.ColumnBands) },
        { 64, 1000, 96, true, true, 512, nameof(GemmPlan.ColumnBands) },
        // 100 rows and fewer than 400 columns: bands of rows
        { 100, 300, 400, false, true, 512, nameof(GemmPlan.RowBands) },
        // op(A) of 2100×2100 floats (17.6 MB) is more than SharedPackedA keeps: bands of rows
        { 2100, 40, 2100, true, false, 256, nameof(GemmPlan.RowBands) },
    };

    [Theory]
    [MemberData(nameof(ProductsSharedOutOverTwoCores))]
    public void ProductSharedOutOverTheCoresMatchesTripleLoop(int m, int n, int k, bool transA, bool transB, int vectorBits, string plan)
    {
        var kind = Kernel(vectorBits);
        Assert.Equal(plan, CpuGemm.Plan(transA, transB, m, n, k, threads: 2, kind).ToString());
        // beta ≠ 0: the first slice of k must scale the old C and the later ones add to it, on every tile
        var p = Problem.Random(m, n, k, transA, transB, seed: m + n + k);
        p.AssertFastMatchesReference(alpha: 1.5f, beta: 0.5f, kind);
    }

    [Fact]
    public void ConcurrentProductsEachUseTheirOwnPackedA()
    {
        // the packed-A buffer kept between calls must go to one call at a time
        var problems = Enumerable.Range(0, 6).Select(i => Problem.Random(150 + 37 * i, 300 + 11 * i, 200 + 29 * i, i % 2 == 0, false, seed: 40 + i)).ToArray();
        // both plans share one packed A; which of the two depends on the micro-kernel (packing B as it goes needs AVX-512)
        Assert.All(problems, p => Assert.Contains(CpuGemm.Plan(p.TransA, p.TransB, p.M, p.N, p.K, threads: 2), new[] { GemmPlan.SharedA, GemmPlan.SharedAPackingB }));
        var results = new float[problems.Length][];
        Parallel.For(0, problems.Length, new ParallelOptions { MaxDegreeOfParallelism = problems.Length }, i =>
        {
            var p = problems[i];
            for (int repeat = 0; repeat < 3; repeat++)
            {
                results[i] = new float[p.M * p.N];
                CpuGemm.Run(p.TransA, p.TransB, p.M, p.N, p.K, 1f, p.A, p.Lda, p.B, p.Ldb, 0f, results[i], p.N);
            }
        });
        for (int i = 0; i < problems.Length; i++)
        {
            var p = problems[i];
            var expected = new float[p.M * p.N];
            GemmReference.Run(p.TransA, p.TransB, p.M, p.N, p.K, 1f, p.A, p.Lda, p.B, p.Ldb, 0f, expected, p.N);
            p.AssertClose(expected, results[i], alpha: 1f, beta: 0f, oldC: new float[expected.Length]);
        }
    }

    [Theory]
    [InlineData(false, true)]
    [InlineData(true, false)]
    public void SmallProductOverLongKSplitAcrossThreadsMatchesTripleLoop(bool transA, bool transB)
    {
        // 30×25×4000, the shape of a filter gradient: C is small and k long, so the threads take stretches of k
        // and add their partial products; beta must reach C once, not once per stretch
        var p = Problem.Random(30, 25, 4000, transA, transB, seed: 6);
        foreach (var kind in new[] { GemmKernelKind.Vector512, GemmKernelKind.Vector256 })
            p.AssertFastMatchesReference(alpha: 0.5f, beta: 2f, kind);
    }

    [Theory]
    [InlineData(false, false)]
    [InlineData(false, true)]
    [InlineData(true, false)]
    [InlineData(true, true)]
    public void BackendGemmHonoursOffsetsAndLeadingDimensionsAndLeavesPaddingAlone(bool transA, bool transB)
    {
        const int m = 19, n = 37, k = 23, pad = 5, aOffset = 7, bOffset = 3, cOffset = 11;
        const float sentinel = 12345f;
        int aRows = transA ? k : m, aCols = transA ? m : k, bRows = transB ? n : k, bCols = transB ? k : n;
        int lda = aCols + pad, ldb = bCols + 2 * pad, ldc = n + pad;
        var random = new Random(17);
        float[] a = RandomArray(random, aOffset + aRows * lda), b = RandomArray(random, bOffset + bRows * ldb);
        var c = new float[cOffset + m * ldc + pad];
        Array.Fill(c, sentinel);

        CpuBackend.Instance.Gemm(transA, transB, m, n, k, 1f, new CpuStorage(a), aOffset, lda,
                                 new CpuStorage(b), bOffset, ldb, 0f, new CpuStorage(c), cOffset, ldc);

        var expected = (float[])c.Clone();
        GemmReference.Run(transA, transB, m, n, k, 1f, a.AsSpan(aOffset), lda, b.AsSpan(bOffset), ldb, 0f, expected.AsSpan(cOffset), ldc);
        var absSum = AbsoluteProducts(transA, transB, m, n, k, a.AsSpan(aOffset), lda, b.AsSpan(bOffset), ldb);
        for (int i = 0; i < c.Length; i++)
        {
            int row = (i - cOffset) / ldc, col = (i - cOffset) % ldc;
            bool inside = i >= cOffset && row < m && col < n;
            if (!inside) Assert.Equal(sentinel, c[i]);
            else Assert.True(Math.Abs(c[i] - expected[i]) <= Bound(k, absSum[row * n + col]),
                             $"C[{row},{col}] = {c[i]}, reference {expected[i]}");
        }
    }

    [Fact]
    public void TooShortBufferIsRejectedWithTheShapes()
    {
        var error = Assert.Throws<ArgumentException>(() =>
            CpuGemm.Run(false, false, 4, 5, 6, 1f, new float[4 * 6], 6, new float[6 * 5 - 1], 5, 0f, new float[4 * 5], 5));
        Assert.Contains("GEMM", error.Message);
        Assert.Contains("6×5", error.Message);
    }

    [Fact]
    public void LeadingDimensionShorterThanARowIsRejected()
    {
        var error = Assert.Throws<ArgumentException>(() =>
            CpuGemm.Run(false, false, 4, 5, 6, 1f, new float[100], 5, new float[100], 5, 0f, new float[100], 5));
        Assert.Contains("leading dimension must be at least 6", error.Message);
    }

    // the 512-bit kernel also runs (emulated) where it is not accelerated, so both are checked on every machine
    private static GemmKernelKind Kernel(int vectorBits) => vectorBits == 512 ? GemmKernelKind.Vector512 : GemmKernelKind.Vector256;

    private static double Bound(int k, double absProduct, double absBetaC = 0) =>
        2 * (k + 4) * UnitRoundoff * (absProduct + absBetaC) + 1e-30;

    private static float[] RandomArray(Random random, int length)
    {
        var x = new float[length];
        for (int i = 0; i < length; i++) x[i] = (float)(random.NextDouble() * 2 - 1);
        return x;
    }

    /// <summary>Σ_p |op(A)_ip · op(B)_pj| for every entry, the scale of that entry's rounding error.</summary>
    private static double[] AbsoluteProducts(bool transA, bool transB, int m, int n, int k,
                                             ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> b, int ldb)
    {
        var s = new double[m * n];
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++)
            {
                double sum = 0;
                for (int p = 0; p < k; p++)
                    sum += Math.Abs((double)(transA ? a[p * lda + i] : a[i * lda + p]) * (transB ? b[j * ldb + p] : b[p * ldb + j]));
                s[i * n + j] = sum;
            }
        return s;
    }

    private sealed record Problem(int M, int N, int K, bool TransA, bool TransB, float[] A, int Lda, float[] B, int Ldb, float[] C)
    {
        public static Problem Random(int m, int n, int k, bool transA, bool transB, int seed)
        {
            var random = new Random(seed);
            int lda = Math.Max(transA ? m : k, 1), ldb = Math.Max(transB ? k : n, 1);
            return new(m, n, k, transA, transB,
                       RandomArray(random, (transA ? k : m) * lda), lda,
                       RandomArray(random, (transB ? n : k) * ldb), ldb,
                       RandomArray(random, m * n));
        }

        public void AssertFastMatchesReference(float alpha, float beta, GemmKernelKind kind)
        {
            var fast = (float[])C.Clone();
            var reference = (float[])C.Clone();
            CpuGemm.Run(TransA, TransB, M, N, K, alpha, A, Lda, B, Ldb, beta, fast, N, kind);
            GemmReference.Run(TransA, TransB, M, N, K, alpha, A, Lda, B, Ldb, beta, reference, N);
            AssertClose(reference, fast, alpha, beta, C);
        }

        public void AssertClose(float[] expected, float[] actual, float alpha, float beta, float[] oldC)
        {
            var absSum = AbsoluteProducts(TransA, TransB, M, N, K, A, Lda, B, Ldb);
            for (int i = 0; i < M * N; i++)
            {
                double bound = Bound(K, Math.Abs(alpha) * absSum[i], Math.Abs(beta * oldC[i]));
                Assert.True(Math.Abs(actual[i] - expected[i]) <= bound,
                            $"GEMM {M}x{N}x{K} transA={TransA} transB={TransB}: C[{i / N},{i % N}] = {actual[i]}, reference {expected[i]}, bound {bound:E2}");
            }
        }
    }
}
