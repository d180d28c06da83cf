using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace CourseKit.Backends;

/// <summary>Which micro-kernel a GEMM runs; tests pin one to check both on the same machine.</summary>
internal enum GemmKernelKind { Auto, Vector512, Vector256 }

/// <summary>
/// Single-precision GEMM on the host, C = alpha·op(A)·op(B) + beta·C, row-major with leading dimensions,
/// in the GotoBLAS/BLIS structure (Goto and van de Geijn 2008; Van Zee and van de Geijn 2015).
/// It computes the same numbers as <see cref="GemmReference"/>, the plain triple loop the tests trust:
/// <code>
/// for each macro-tile of C (MC rows × NC columns)             in parallel, one tile per task
///   for each slice of k (KC)
///     pack op(B)[slice, tile columns] → KC×NR micro-panels     stays in L2
///     pack op(A)[tile rows, slice]    → MR×KC micro-panels
///     for each MR-row micro-panel of A                          stays in L1
///       for each NR-column micro-panel of B                     streams from L2
///         micro-kernel: MR×NR tile of C += Ã·B̃                 lives in registers
/// </code>
/// </summary>
internal static unsafe class CpuGemm
{
    public static void Run(bool transA, bool transB, int m, int n, int k,
                           float alpha, ReadOnlySpan<float> a, int lda,
                           ReadOnlySpan<float> b, int ldb,
                           float beta, Span<float> c, int ldc) =>
        Run(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, GemmKernelKind.Auto);

    internal static void Run(bool transA, bool transB, int m, int n, int k,
                             float alpha, ReadOnlySpan<float> a, int lda,
                             ReadOnlySpan<float> b, int ldb,
                             float beta, Span<float> c, int ldc, GemmKernelKind kind)
    {
        Validate(transA, transB, m, n, k, a.Length, lda, b.Length, ldb, c.Length, ldc);
        if (m == 0 || n == 0) return;
        fixed (float* pc = c)
        {
            if (k == 0 || alpha == 0f)
            {
                ScaleC(pc, m, n, ldc, beta);
                return;
            }
            fixed (float* pa = a, pb = b)
            {
                var problem = new Problem(transA, transB, m, n, k, alpha, pa, lda, pb, ldb, beta, pc, ldc, Choose(kind));
                problem.Execute();
            }
        }
    }

    private static GemmBlocking Choose(GemmKernelKind kind) => kind switch
    {
        GemmKernelKind.Vector512 => GemmBlocking.Vector512,
        GemmKernelKind.Vector256 => GemmBlocking.Vector256,
        _ => Vector512.IsHardwareAccelerated ? GemmBlocking.Vector512 : GemmBlocking.Vector256,
    };

    /// <summary>The whole call, with pointers pinned by the caller for its duration.</summary>
    private readonly struct Problem(bool transA, bool transB, int m, int n, int k,
                                    float alpha, float* a, nint lda, float* b, nint ldb,
                                    float beta, float* c, nint ldc, GemmBlocking blocking)
    {
        // Below this many multiply-adds a second thread costs more to wake than it saves.
        private const long ParallelThreshold = 1L << 21;

        public void Execute()
        {
            int mc = blocking.MC, nc = blocking.NC;
            int threads = Environment.ProcessorCount;
            bool parallel = threads > 1 && (long)m * n * k >= ParallelThreshold;
            if (parallel && Tiles(m, mc) * Tiles(n, nc) < 2 * threads)
            {
                // too few tiles to share out: cut the longer side of C finer (pack overhead stays ~1/MC + 1/NC)
                if (n >= m) nc = Math.Max(blocking.NR, RoundUp(Tiles(n, 2 * threads), blocking.NR));
                else mc = Math.Max(blocking.MR, RoundUp(Tiles(m, 2 * threads), blocking.MR));
            }
            int tilesM = Tiles(m, mc), tilesN = Tiles(n, nc);
            if (!parallel || tilesM * tilesN == 1)
            {
                for (int t = 0; t < tilesM * tilesN; t++) MacroTile(t, tilesM, mc, nc);
                return;
            }
            var self = this;
            Parallel.For(0, tilesM * tilesN, t => self.MacroTile(t, tilesM, mc, nc));
        }

        private void MacroTile(int tile, int tilesM, int mcMax, int ncMax)
        {
            int i0 = tile % tilesM * mcMax, j0 = tile / tilesM * ncMax;
            int mc = Math.Min(mcMax, m - i0), nc = Math.Min(ncMax, n - j0);
            int mr = blocking.MR, nr = blocking.NR;
            var buffers = GemmBuffers.ForThisThread(mcMax, ncMax, blocking);
            for (int p0 = 0; p0 < k; p0 += blocking.KC)
            {
                int kc = Math.Min(blocking.KC, k - p0);
                float betaHere = p0 == 0 ? beta : 1f; // later slices of k add to what the first one wrote
                GemmPacking.PackB(transB, b, ldb, p0, kc, j0, nc, nr, buffers.B);
                GemmPacking.PackA(transA, a, lda, i0, mc, p0, kc, mr, buffers.A);
                for (int ir = 0; ir < mc; ir += mr)
                {
                    int rows = Math.Min(mr, mc - ir);
                    float* aPanel = buffers.A + ir * kc;
                    for (int jr = 0; jr < nc; jr += nr)
                    {
                        int cols = Math.Min(nr, nc - jr);
                        float* bPanel = buffers.B + jr * kc;
                        float* cTile = c + (i0 + ir) * ldc + j0 + jr;
                        if (rows == mr && cols == nr)
                        {
                            blocking.Kernel(kc, aPanel, bPanel, cTile, ldc, alpha, betaHere);
                        }
                        else
                        {
                            // edge tile: compute the full tile into scratch, keep only the rows and columns that exist
                            blocking.Kernel(kc, aPanel, bPanel, buffers.Edge, nr, 1f, 0f);
                            MergeEdge(buffers.Edge, nr, cTile, ldc, rows, cols, alpha, betaHere);
                        }
                    }
                }
            }
        }
    }

    private static void MergeEdge(float* t, int ldt, float* c, nint ldc, int rows, int cols, float alpha, float beta)
    {
        for (int i = 0; i < rows; i++)
            for (int j = 0; j < cols; j++)
            {
                ref float cij = ref c[i * ldc + j];
                cij = beta == 0f ? alpha * t[i * ldt + j] : alpha * t[i * ldt + j] + beta * cij;
            }
    }

    /// <summary>C = beta·C when there is nothing to multiply (k = 0 or alpha = 0); beta = 0 clears, NaN included.</summary>
    private static void ScaleC(float* c, int m, int n, nint ldc, float beta)
    {
        for (int i = 0; i < m; i++)
        {
            var row = new Span<float>(c + i * ldc, n);
            if (beta == 0f) row.Clear();
            else if (beta != 1f) foreach (ref float v in row) v *= beta;
        }
    }

    private static int Tiles(int length, int tile) => (length + tile - 1) / tile;

    private static int RoundUp(int length, int multiple) => Tiles(length, multiple) * multiple;

    /// <summary>Checks the leading dimensions and buffer lengths so that the pointer code never leaves the spans.</summary>
    private static void Validate(bool transA, bool transB, int m, int n, int k,
                                 int aLength, int lda, int bLength, int ldb, int cLength, int ldc)
    {
        if (m < 0 || n < 0 || k < 0)
            throw new ArgumentException($"GEMM: sizes must not be negative, got m={m}, n={n}, k={k}.");
        Check("A", transA ? k : m, transA ? m : k, aLength, lda, transA ? "k×m (transposed)" : "m×k");
        Check("B", transB ? n : k, transB ? k : n, bLength, ldb, transB ? "n×k (transposed)" : "k×n");
        Check("C", m, n, cLength, ldc, "m×n");

        static void Check(string name, int rows, int cols, int length, int ld, string layout)
        {
            if (ld < Math.Max(cols, 1))
                throw new ArgumentException($"GEMM: {name} is stored {layout} = {rows}×{cols}, so its leading dimension must be at least {cols}, got {ld}.");
            long needed = rows == 0 || cols == 0 ? 0 : (long)(rows - 1) * ld + cols;
            if (length < needed)
                throw new ArgumentException($"GEMM: {name} is stored {layout} = {rows}×{cols} with leading dimension {ld}, which needs {needed} floats from its offset, but only {length} are there.");
        }
    }
}

/// <summary>One micro-kernel and the block sizes tuned for it.</summary>
internal sealed unsafe class GemmBlocking
{
    public required int MR { get; init; }
    public required int NR { get; init; }
    /// <summary>Length of a k slice: an MR×KC micro-panel of A must stay in L1 next to the streaming B.</summary>
    public required int KC { get; init; }
    /// <summary>Rows of a macro-tile: the B block packed for it is reused by MC/MR micro-panels of A.</summary>
    public required int MC { get; init; }
    /// <summary>Columns of a macro-tile: the packed KC×NC block of B must stay in L2.</summary>
    public required int NC { get; init; }
    public required delegate*<int, float*, float*, float*, nint, float, float, void> Kernel { get; init; }

    // KC = 384: the 14×384 panel of A is 21 KB of the 48 KB L1; NC = 320: 384×320 of B is 480 KB of the 1 MB L2.
    public static readonly GemmBlocking Vector512 = new()
    {
        MR = GemmKernel512.MR, NR = GemmKernel512.NR, KC = 384, MC = 12 * GemmKernel512.MR, NC = 10 * GemmKernel512.NR,
        Kernel = &GemmKernel512.Run,
    };

    // KC = 256: the 6×256 panel of A is 6 KB, leaving L1 to B; NC = 256·16 floats of B is 256 KB of L2.
    public static readonly GemmBlocking Vector256 = new()
    {
        MR = GemmKernel256.MR, NR = GemmKernel256.NR, KC = 256, MC = 24 * GemmKernel256.MR, NC = 16 * GemmKernel256.NR,
        Kernel = &GemmKernel256.Run,
    };
}

/// <summary>
/// Per-thread packing buffers, allocated once per worker thread and reused by every later call
/// (no allocation in steady state). Pinned so they can be 64-byte aligned for whole-cache-line vector loads.
/// </summary>
internal sealed unsafe class GemmBuffers
{
    [ThreadStatic] private static GemmBuffers? current;

    private readonly float[] storage;
    public float* A { get; }
    public float* B { get; }
    public float* Edge { get; }
    private readonly int aCapacity, bCapacity, edgeCapacity;

    private GemmBuffers(int aFloats, int bFloats, int edgeFloats)
    {
        const int align = 16; // floats per 64-byte line
        aCapacity = RoundUp(aFloats, align);
        bCapacity = RoundUp(bFloats, align);
        edgeCapacity = RoundUp(edgeFloats, align);
        storage = GC.AllocateUninitializedArray<float>(aCapacity + bCapacity + edgeCapacity + align, pinned: true);
        float* start = (float*)Marshal.UnsafeAddrOfPinnedArrayElement(storage, 0);
        float* aligned = (float*)(((nint)start + 63) & ~(nint)63);
        A = aligned;
        B = A + aCapacity;
        Edge = B + bCapacity;
    }

    public static GemmBuffers ForThisThread(int mc, int nc, GemmBlocking blocking)
    {
        int aFloats = RoundUp(mc, blocking.MR) * blocking.KC;
        int bFloats = RoundUp(nc, blocking.NR) * blocking.KC;
        int edgeFloats = blocking.MR * blocking.NR;
        var buffers = current;
        if (buffers is null || buffers.aCapacity < aFloats || buffers.bCapacity < bFloats || buffers.edgeCapacity < edgeFloats)
        {
            buffers = new GemmBuffers(Math.Max(aFloats, buffers?.aCapacity ?? 0),
                                      Math.Max(bFloats, buffers?.bCapacity ?? 0),
                                      Math.Max(edgeFloats, buffers?.edgeCapacity ?? 0));
            current = buffers;
        }
        return buffers;
    }

    private static int RoundUp(int length, int multiple) => (length + multiple - 1) / multiple * multiple;
}
