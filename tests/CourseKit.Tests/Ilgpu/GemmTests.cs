using CourseKit.Backends;

namespace CourseKit.Tests.Ilgpu;

using CourseKit.Tests.OpenCl;

/// <summary>
/// The three ILGPU GEMM kernels (naive, tiled in shared memory, register-blocked) against the CPU backend (whose GEMM is checked against GemmReference).
/// Error bound: float accumulation over k terms is off by at most γ_k·(|α|·|A||B| + |β|·|C|) with
/// γ_k ≈ k·2⁻²⁴ (Higham, Accuracy and Stability, 3.5); we allow 2k·2⁻²⁴ of that plus 1e-6.
/// </summary>
[Collection(IlgpuCollection.Name)]
public sealed class GemmTests(IlgpuFixture fixture)
{
    private sealed record Case(bool TransA, bool TransB, int M, int N, int K, float Alpha, float Beta, int Pad, int Offset);

    public enum Kernel { Naive, Tiled, Blocked }   // the order of IlgpuBackend.GemmKernel

    public static TheoryData<Kernel, bool, bool> Variants
    {
        get
        {
            var data = new TheoryData<Kernel, bool, bool>();
            foreach (var kernel in Enum.GetValues<Kernel>())
                foreach (var (transA, transB) in new[] { (false, false), (true, false), (false, true), (true, true) })
                    data.Add(kernel, transA, transB);
            return data;
        }
    }

    [Theory]
    [MemberData(nameof(Variants))]
    public void GemmMatchesTheCpuOnAwkwardShapes(Kernel kernel, bool transA, bool transB)
    {
        var random = new Random(17 + (int)kernel * 4 + (transA ? 1 : 0) + (transB ? 2 : 0));
        // Sizes below, at and above the CPU accelerator's tile (4) and block (16) edges, primes, a single row or column.
        // The shared-memory kernels stay small here: on the CPU accelerator every barrier is a switch between host threads.
        int[][] shapes = kernel == Kernel.Naive
            ? [[1, 1, 1], [3, 5, 7], [16, 16, 16], [17, 33, 15], [31, 1, 64], [1, 47, 29], [65, 40, 100], [64, 129, 17]]
            : [[1, 1, 1], [3, 5, 7], [5, 17, 9], [17, 6, 4]];
        foreach (var s in shapes)
        {
            Check(new Case(transA, transB, s[0], s[1], s[2], 1f, 0f, 0, 0), random, kernel);
            Check(new Case(transA, transB, s[0], s[1], s[2], -0.5f, 0.75f, 3, 5), random, kernel);
        }
    }

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
        var onDevice = fixture.Upload(c);
        fixture.IlgpuBackend.RunGemm((IlgpuBackend.GemmKernel)kernel, true, false, m, n, k, count, 2f, fixture.Upload(a), 0, m, aStride,
                                     fixture.Upload(b), 0, n, 0, 0.5f, onDevice, 0, n, cStride);
        Numbers.Close(expected, Numbers.Read(onDevice), 1e-5f, 1e-5f, $"{kernel} batch");
    }

    [Fact]
    public void BetaZeroIgnoresWhatCHeldBefore()
    {
        var a = fixture.Upload([1, 2, 3, 4]);
        var b = fixture.Upload([1, 0, 0, 1]);
        var c = fixture.Upload([float.NaN, float.NaN, float.NaN, float.NaN]);
        fixture.Backend.Gemm(false, false, 2, 2, 2, 1f, a, 0, 2, b, 0, 2, 0f, c, 0, 2);
        Assert.Equal([1f, 2f, 3f, 4f], Numbers.Read(c));
    }

    [Fact]
    public void EmptyInnerDimensionScalesC()
    {
        var a = fixture.Upload([0f]);
        var c = fixture.Upload([1, 2, 3]);
        fixture.Backend.Gemm(false, false, 3, 1, 0, 1f, a, 0, 1, a, 0, 1, 2f, c, 0, 1);
        Assert.Equal([2f, 4f, 6f], Numbers.Read(c));
    }

    private void Check(Case t, Random random, Kernel kernel)
    {
        // Row-major operands as stored: A is m×k (k×m when transposed), with `Pad` spare columns and `Offset` leading elements.
        int aRows = t.TransA ? t.K : t.M, aCols = t.TransA ? t.M : t.K, lda = aCols + t.Pad;
        int bRows = t.TransB ? t.N : t.K, bCols = t.TransB ? t.K : t.N, ldb = bCols + t.Pad;
        int ldc = t.N + t.Pad;
        var a = Numbers.Random(random, t.Offset + aRows * lda);
        var b = Numbers.Random(random, t.Offset + bRows * ldb);
        var c = Numbers.Random(random, t.Offset + t.M * ldc);

        var expected = (float[])c.Clone();
        CpuBackend.Instance.Gemm(t.TransA, t.TransB, t.M, t.N, t.K, t.Alpha, new CpuStorage(a), t.Offset, lda,
            new CpuStorage(b), t.Offset, ldb, t.Beta, new CpuStorage(expected), t.Offset, ldc);

        // |α|·|A||B| + |β|·|C| for the error bound.
        var magnitude = c.Select(MathF.Abs).ToArray();
        GemmReference.Run(t.TransA, t.TransB, t.M, t.N, t.K, MathF.Abs(t.Alpha), a.Select(MathF.Abs).ToArray().AsSpan(t.Offset), lda,
            b.Select(MathF.Abs).ToArray().AsSpan(t.Offset), ldb, MathF.Abs(t.Beta), magnitude.AsSpan(t.Offset), ldc);

        var storageA = fixture.Upload(a);
        var storageB = fixture.Upload(b);
        var storageC = fixture.Upload(c);
        var backend = fixture.IlgpuBackend;
        backend.RunGemm((IlgpuBackend.GemmKernel)kernel, t.TransA, t.TransB, t.M, t.N, t.K, 1, t.Alpha, storageA, t.Offset, lda, 0,
                        storageB, t.Offset, ldb, 0, t.Beta, storageC, t.Offset, ldc, 0);
        var actual = Numbers.Read(storageC);

        float gamma = 2f * (t.K + 2) * MathF.Pow(2, -24);
        for (int i = 0; i < actual.Length; i++)
        {
            float bound = gamma * magnitude[i] + 1e-6f;
            Assert.True(MathF.Abs(actual[i] - expected[i]) <= bound,
                $"{t} ({kernel}): element {i} is {actual[i]}, the CPU gives {expected[i]} (bound {bound}).");
        }
    }
}
