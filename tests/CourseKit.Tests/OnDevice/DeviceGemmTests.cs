using CourseKit.Backends;

namespace CourseKit.Tests.OnDevice;

/// <summary>
/// A backend's three GEMM kernels (naive, tiled in shared memory, register-blocked) against the CPU backend (whose GEMM is
/// checked against GemmReference). Error bound: float accumulation over k terms is off by at most γ_k·(|α|·|A||B| + |β|·|C|)
/// with γ_k ≈ k·2⁻²⁴ (Higham, Accuracy and Stability, 3.5); we allow 2k·2⁻²⁴ of that plus 1e-6.
/// </summary>
public abstract class DeviceGemmTests(IDeviceFixture fixture)
{
    private sealed record Case(bool TransA, bool TransB, int M, int N, int K, float Alpha, float Beta, int Pad, int Offset);

    public enum Kernel { Naive, Tiled, Blocked }

    /// <summary>(m, n, k) for <paramref name="kernel"/>: below, at and above the backend's tile and block edges.</summary>
    protected abstract int[][] Shapes(Kernel kernel);

    /// <summary>C = α·op(A)·op(B) + β·C with one of the backend's kernels.</summary>
    protected abstract void Run(Kernel kernel, bool transA, bool transB, int m, int n, int k,
                                float alpha, TensorStorage a, int aOffset, int lda, TensorStorage b, int bOffset, int ldb,
                                float beta, TensorStorage c, int cOffset, int ldc);

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
        foreach (var s in Shapes(kernel))
        {
            Check(new Case(transA, transB, s[0], s[1], s[2], 1f, 0f, 0, 0), random, kernel);
            Check(new Case(transA, transB, s[0], s[1], s[2], -0.5f, 0.75f, 3, 5), random, kernel);
        }
    }

    [Fact]
    public void BetaZeroIgnoresWhatCHeldBefore()
    {
        var a = fixture.Upload([1, 2, 3, 4]);
        var b = fixture.Upload([1, 0, 0, 1]);
        var c = fixture.Upload([float.NaN, float.NaN, float.NaN, float.NaN]);
        fixture.Backend.Gemm(false, false, 2, 2, 2, 1f, a, 0, 2, b, 0, 2, 0f, c, 0, 2);
        Assert.Equal([1f, 2f, 3f, 4f], fixture.Download(c));
    }

    [Fact]
    public void EmptyInnerDimensionScalesC()
    {
        var a = fixture.Upload([0f]);
        var c = fixture.Upload([1, 2, 3]);
        fixture.Backend.Gemm(false, false, 3, 1, 0, 1f, a, 0, 1, a, 0, 1, 2f, c, 0, 1);
        Assert.Equal([2f, 4f, 6f], fixture.Download(c));
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

        var storageC = fixture.Upload(c);
        Run(kernel, t.TransA, t.TransB, t.M, t.N, t.K, t.Alpha, fixture.Upload(a), t.Offset, lda, fixture.Upload(b), t.Offset, ldb,
            t.Beta, storageC, t.Offset, ldc);
        var actual = fixture.Download(storageC);

        float gamma = 2f * (t.K + 2) * MathF.Pow(2, -24);
        for (int i = 0; i < actual.Length; i++)
        {
            float bound = gamma * magnitude[i] + 1e-6f;
            Assert.True(MathF.Abs(actual[i] - expected[i]) <= bound,
                $"{t} ({kernel}): element {i} is {actual[i]}, the CPU gives {expected[i]} (bound {bound}).");
        }
    }
}
