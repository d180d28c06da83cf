using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace CourseKit.Backends;

/// <summary>
/// The AVX2 micro-kernel (and the portable fallback where 512-bit vectors are not accelerated):
/// up to a 6×16 tile of C in 12 ymm registers. Register budget: 12 accumulators + 2 for the row of B
/// + 1 broadcast of A = 15 of 16, the classic Haswell shape. <typeparamref name="TRows"/> as in <see cref="GemmKernel512"/>.
/// </summary>
internal static unsafe class GemmKernel256
{
    public const int MR = 6, NR = 16;

    /// <summary>C[0..rows, 0..16] = alpha · Ã·B̃ + beta · C over packed micro-panels; beta = 0 never reads C.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run<TRows>(int kc, float* a, float* b, float* c, nint ldc, float alpha, float beta)
        where TRows : struct, IRowCount
    {
        int rows = TRows.Count;
        if (Sse.IsSupported)
        {
            // C's tile is read and written only after the k loop: ask for its lines now, so they arrive meanwhile
            for (int r = 0; r < rows; r++) Sse.Prefetch0(c + r * ldc);
        }
        Vector256<float> c0l = default, c0r = default, c1l = default, c1r = default, c2l = default, c2r = default,
                         c3l = default, c3r = default, c4l = default, c4r = default, c5l = default, c5r = default;

        for (int p = 0; p < kc; p++)
        {
            Vector256<float> bl = Vector256.Load(b), br = Vector256.Load(b + 8), ai;
            ai = Vector256.Create(a[0]); c0l = Vector256.FusedMultiplyAdd(ai, bl, c0l); c0r = Vector256.FusedMultiplyAdd(ai, br, c0r);
            if (rows > 1) { ai = Vector256.Create(a[1]); c1l = Vector256.FusedMultiplyAdd(ai, bl, c1l); c1r = Vector256.FusedMultiplyAdd(ai, br, c1r); }
            if (rows > 2) { ai = Vector256.Create(a[2]); c2l = Vector256.FusedMultiplyAdd(ai, bl, c2l); c2r = Vector256.FusedMultiplyAdd(ai, br, c2r); }
            if (rows > 3) { ai = Vector256.Create(a[3]); c3l = Vector256.FusedMultiplyAdd(ai, bl, c3l); c3r = Vector256.FusedMultiplyAdd(ai, br, c3r); }
            if (rows > 4) { ai = Vector256.Create(a[4]); c4l = Vector256.FusedMultiplyAdd(ai, bl, c4l); c4r = Vector256.FusedMultiplyAdd(ai, br, c4r); }
            if (rows > 5) { ai = Vector256.Create(a[5]); c5l = Vector256.FusedMultiplyAdd(ai, bl, c5l); c5r = Vector256.FusedMultiplyAdd(ai, br, c5r); }
            a += rows;
            b += NR;
        }

        var va = Vector256.Create(alpha);
        var vb = Vector256.Create(beta);
        bool readC = beta != 0f;
        Store(c, c0l, c0r, va, vb, readC);
        if (rows > 1) Store(c + ldc, c1l, c1r, va, vb, readC);
        if (rows > 2) Store(c + 2 * ldc, c2l, c2r, va, vb, readC);
        if (rows > 3) Store(c + 3 * ldc, c3l, c3r, va, vb, readC);
        if (rows > 4) Store(c + 4 * ldc, c4l, c4r, va, vb, readC);
        if (rows > 5) Store(c + 5 * ldc, c5l, c5r, va, vb, readC);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store(float* c, Vector256<float> left, Vector256<float> right,
                              Vector256<float> alpha, Vector256<float> beta, bool readC)
    {
        left *= alpha;
        right *= alpha;
        if (readC)
        {
            left = Vector256.FusedMultiplyAdd(Vector256.Load(c), beta, left);
            right = Vector256.FusedMultiplyAdd(Vector256.Load(c + 8), beta, right);
        }
        Vector256.Store(left, c);
        Vector256.Store(right, c + 8);
    }
}
