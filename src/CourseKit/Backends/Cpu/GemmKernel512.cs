using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace CourseKit.Backends;

/// <summary>
/// The AVX-512 micro-kernel: up to a 14×32 tile of C held in zmm registers while k runs.
/// Register budget: 14 rows × 2 vectors = 28 accumulators + 2 for the row of B + 1 broadcast of A = 31 of 32.
/// Per step of k it issues 28 FMAs against 2 loads of B and 14 broadcasts of A: enough independent
/// work to keep both FMA pipes busy through their 4-cycle latency.
/// <typeparamref name="TRows"/> fixes the number of rows at compile time; the JIT drops the other rows' code,
/// so an edge panel of 10 rows runs a true 10×32 kernel instead of padding to 14.
/// </summary>
internal static unsafe class GemmKernel512
{
    public const int MR = 14, NR = 32;

    /// <summary>
    /// C[0..rows, 0..32] = alpha · Ã·B̃ + beta · C, where Ã is a packed micro-panel (kc steps of <c>rows</c> floats)
    /// and B̃ a packed micro-panel (kc steps of NR floats). beta = 0 never reads C.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run<TRows>(int kc, float* a, float* b, float* c, nint ldc, float alpha, float beta)
        where TRows : struct, IRowCount =>
        Run<TRows, ReadPacked>(kc, a, b, NR, null, c, ldc, alpha, beta);

    /// <summary>
    /// The same tile, with B read from its stored rows (row p at b + p·ldb) and packed into <paramref name="packTo"/>
    /// on the way: the first panel of A to meet a panel of B packs it, so that B's trip from memory overlaps the
    /// multiplications instead of preceding them. The rows ahead are prefetched, as no hardware prefetcher
    /// follows a stride of a whole row.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void RunPacking<TRows>(int kc, float* a, float* b, nint ldb, float* packTo, float* c, nint ldc, float alpha, float beta)
        where TRows : struct, IRowCount =>
        Run<TRows, ReadStored>(kc, a, b, ldb, packTo, c, ldc, alpha, beta);

    // how many rows of a stored B the packing kernel asks for ahead: 32 steps of k take ~450 cycles, a trip to memory
    // with room to spare (on 256×2304×6272, 2 % faster than no prefetch, 1 % than 16 rows, the same as 48 or 64)
    private const int RowsAhead = 32;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Run<TRows, TRead>(int kc, float* a, float* b, nint ldb, float* packTo, float* c, nint ldc, float alpha, float beta)
        where TRows : struct, IRowCount where TRead : struct, IPanelRead
    {
        int rows = TRows.Count;
        nint ahead = TRead.Stored ? RowsAhead * ldb : 0;
        if (Sse.IsSupported)
        {
            // C's tile is read and written only after the k loop: ask for its lines now, so they arrive meanwhile
            for (int r = 0; r < rows; r++)
            {
                Sse.Prefetch0(c + r * ldc);
                Sse.Prefetch0(c + r * ldc + 16);
            }
        }
        Vector512<float> c0l = default, c0r = default, c1l = default, c1r = default, c2l = default, c2r = default,
                         c3l = default, c3r = default, c4l = default, c4r = default, c5l = default, c5r = default,
                         c6l = default, c6r = default, c7l = default, c7r = default, c8l = default, c8r = default,
                         c9l = default, c9r = default, c10l = default, c10r = default, c11l = default, c11r = default,
                         c12l = default, c12r = default, c13l = default, c13r = default;

        for (int p = 0; p < kc; p++)
        {
            // one rank-1 update: row p of B̃ (32 wide) times column p of Ã (rows tall)
            Vector512<float> bl = Vector512.Load(b), br = Vector512.Load(b + 16), ai;
            if (TRead.Stored)
            {
                Vector512.Store(bl, packTo);
                Vector512.Store(br, packTo + 16);
                packTo += NR;
                if (Sse.IsSupported)
                {
                    Sse.Prefetch1(b + ahead);
                    Sse.Prefetch1(b + ahead + 16);
                }
            }
            ai = Vector512.Create(a[0]); c0l = Vector512.FusedMultiplyAdd(ai, bl, c0l); c0r = Vector512.FusedMultiplyAdd(ai, br, c0r);
            if (rows > 1) { ai = Vector512.Create(a[1]); c1l = Vector512.FusedMultiplyAdd(ai, bl, c1l); c1r = Vector512.FusedMultiplyAdd(ai, br, c1r); }
            if (rows > 2) { ai = Vector512.Create(a[2]); c2l = Vector512.FusedMultiplyAdd(ai, bl, c2l); c2r = Vector512.FusedMultiplyAdd(ai, br, c2r); }
            if (rows > 3) { ai = Vector512.Create(a[3]); c3l = Vector512.FusedMultiplyAdd(ai, bl, c3l); c3r = Vector512.FusedMultiplyAdd(ai, br, c3r); }
            if (rows > 4) { ai = Vector512.Create(a[4]); c4l = Vector512.FusedMultiplyAdd(ai, bl, c4l); c4r = Vector512.FusedMultiplyAdd(ai, br, c4r); }
            if (rows > 5) { ai = Vector512.Create(a[5]); c5l = Vector512.FusedMultiplyAdd(ai, bl, c5l); c5r = Vector512.FusedMultiplyAdd(ai, br, c5r); }
            if (rows > 6) { ai = Vector512.Create(a[6]); c6l = Vector512.FusedMultiplyAdd(ai, bl, c6l); c6r = Vector512.FusedMultiplyAdd(ai, br, c6r); }
            if (rows > 7) { ai = Vector512.Create(a[7]); c7l = Vector512.FusedMultiplyAdd(ai, bl, c7l); c7r = Vector512.FusedMultiplyAdd(ai, br, c7r); }
            if (rows > 8) { ai = Vector512.Create(a[8]); c8l = Vector512.FusedMultiplyAdd(ai, bl, c8l); c8r = Vector512.FusedMultiplyAdd(ai, br, c8r); }
            if (rows > 9) { ai = Vector512.Create(a[9]); c9l = Vector512.FusedMultiplyAdd(ai, bl, c9l); c9r = Vector512.FusedMultiplyAdd(ai, br, c9r); }
            if (rows > 10) { ai = Vector512.Create(a[10]); c10l = Vector512.FusedMultiplyAdd(ai, bl, c10l); c10r = Vector512.FusedMultiplyAdd(ai, br, c10r); }
            if (rows > 11) { ai = Vector512.Create(a[11]); c11l = Vector512.FusedMultiplyAdd(ai, bl, c11l); c11r = Vector512.FusedMultiplyAdd(ai, br, c11r); }
            if (rows > 12) { ai = Vector512.Create(a[12]); c12l = Vector512.FusedMultiplyAdd(ai, bl, c12l); c12r = Vector512.FusedMultiplyAdd(ai, br, c12r); }
            if (rows > 13) { ai = Vector512.Create(a[13]); c13l = Vector512.FusedMultiplyAdd(ai, bl, c13l); c13r = Vector512.FusedMultiplyAdd(ai, br, c13r); }
            a += rows;
            b += TRead.Stored ? ldb : NR;
        }

        var va = Vector512.Create(alpha);
        var vb = Vector512.Create(beta);
        bool readC = beta != 0f;
        Store(c, c0l, c0r, va, vb, readC);
        if (rows > 1) Store(c + ldc, c1l, c1r, va, vb, readC);
        if (rows > 2) Store(c + 2 * ldc, c2l, c2r, va, vb, readC);
        if (rows > 3) Store(c + 3 * ldc, c3l, c3r, va, vb, readC);
        if (rows > 4) Store(c + 4 * ldc, c4l, c4r, va, vb, readC);
        if (rows > 5) Store(c + 5 * ldc, c5l, c5r, va, vb, readC);
        if (rows > 6) Store(c + 6 * ldc, c6l, c6r, va, vb, readC);
        if (rows > 7) Store(c + 7 * ldc, c7l, c7r, va, vb, readC);
        if (rows > 8) Store(c + 8 * ldc, c8l, c8r, va, vb, readC);
        if (rows > 9) Store(c + 9 * ldc, c9l, c9r, va, vb, readC);
        if (rows > 10) Store(c + 10 * ldc, c10l, c10r, va, vb, readC);
        if (rows > 11) Store(c + 11 * ldc, c11l, c11r, va, vb, readC);
        if (rows > 12) Store(c + 12 * ldc, c12l, c12r, va, vb, readC);
        if (rows > 13) Store(c + 13 * ldc, c13l, c13r, va, vb, readC);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store(float* c, Vector512<float> left, Vector512<float> right,
                              Vector512<float> alpha, Vector512<float> beta, bool readC)
    {
        left *= alpha;
        right *= alpha;
        if (readC)
        {
            left = Vector512.FusedMultiplyAdd(Vector512.Load(c), beta, left);
            right = Vector512.FusedMultiplyAdd(Vector512.Load(c + 16), beta, right);
        }
        Vector512.Store(left, c);
        Vector512.Store(right, c + 16);
    }
}

/// <summary>Where a micro-kernel reads B: its packed panel, or the stored rows of B (packing them as it goes).</summary>
internal interface IPanelRead
{
    static abstract bool Stored { get; }
}

internal readonly struct ReadPacked : IPanelRead { public static bool Stored => false; }
internal readonly struct ReadStored : IPanelRead { public static bool Stored => true; }
