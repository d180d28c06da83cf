using System.Buffers;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace CourseKit.Backends;

/// <summary>Which micro-kernel a GEMM runs; tests pin one to check both on the same machine.</summary>
internal enum GemmKernelKind { Auto, Vector512, Vector256 }

/// <summary>How a GEMM shares its work between the cores.</summary>
internal enum GemmPlan
{
    /// <summary>Too small to be worth a second thread, or asked to stay on the caller's.</summary>
    OneThread,
    /// <summary>Small C, long k: each core sums a stretch of k into a C of its own.</summary>
    SplitK,
    /// <summary>op(A) packed once, shared; the cores take tiles of C and pack B themselves.</summary>
    SharedA,
    /// <summary>As <see cref="SharedA"/>, with the micro-kernels packing B as they read it.</summary>
    SharedAPackingB,
    /// <summary>op(A) too large to pack whole, or with few rows: bands of rows, each packing its own blocks.</summary>
    RowBands,
    /// <summary>As <see cref="RowBands"/>, in bands of columns for a wide C.</summary>
    ColumnBands,
}

/// <summary>
/// Single-precision GEMM on the host, C = alpha·op(A)·op(B) + beta·C, row-major with leading dimensions,
/// in the GotoBLAS/BLIS structure (Goto and van de Geijn 2008; Van Zee and van de Geijn 2015).
/// It computes the same numbers as <see cref="GemmReference"/>, the plain triple loop the tests trust:
/// Over several cores, an op(A) of 112 rows or more and up to 16 MB is packed once and shared, and the cores take
/// tiles of C (<see cref="SharedPackedA"/>); otherwise C is split into bands, each packing its own blocks (<see cref="GemmPlan"/>).
/// <code>
/// split C into a few tasks (row or column bands)                 in parallel
///   for each NC-wide block of columns
///     for each KC-long slice of k
///       pack op(B)[slice, block] → KC×NR micro-panels            stays in L2/L3, read by every row block
///       for each MC-high block of rows
///         pack op(A)[rows, slice] → MR×KC micro-panels           stays in L2, read by every column panel
///         for each NR-wide micro-panel of B                      stays in L1
///           for each micro-panel of A                            streams from L2
///             micro-kernel: MR×NR tile of C += Ã·B̃               lives in registers
/// </code>
/// </summary>
internal static unsafe partial class CpuGemm
{
    public static void Run(bool transA, bool transB, int m, int n, int k,
                           float alpha, ReadOnlySpan<float> a, int lda,
                           ReadOnlySpan<float> b, int ldb,
                           float beta, Span<float> c, int ldc) =>
        Run(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, GemmKernelKind.Auto);

    internal static void Run(bool transA, bool transB, int m, int n, int k,
                             float alpha, ReadOnlySpan<float> a, int lda,
                             ReadOnlySpan<float> b, int ldb,
                             float beta, Span<float> c, int ldc, GemmKernelKind kind, bool parallel = true)
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
                var problem = new Problem(transA, transB, m, n, k, alpha, pa, lda, pb, ldb, beta, pc, ldc, Choose(kind), parallel: parallel);
                problem.Execute();
            }
        }
    }

    /// <summary>
    /// C = alpha·op(A)·B + beta·C where B (k×n) is never stored: <paramref name="b"/> packs its panels when asked
    /// (implicit im2col, <see cref="CpuImplicitConvolution"/>). <paramref name="parallel"/> = false keeps the call on
    /// this thread, for callers that already give each core work of its own.
    /// </summary>
    internal static void Run(bool transA, int m, int n, int k, float alpha, ReadOnlySpan<float> a, int lda,
                             IPanelSource b, float beta, Span<float> c, int ldc, bool parallel)
    {
        Validate(transA, false, m, n, k, a.Length, lda, null, 0, c.Length, ldc);
        if (m == 0 || n == 0) return;
        fixed (float* pc = c)
        {
            if (k == 0 || alpha == 0f)
            {
                ScaleC(pc, m, n, ldc, beta);
                return;
            }
            fixed (float* pa = a)
            {
                var problem = new Problem(transA, false, m, n, k, alpha, pa, lda, null, 0, beta, pc, ldc,
                                          Choose(GemmKernelKind.Auto), b, parallel);
                problem.Execute();
            }
        }
    }

    /// <summary>How <see cref="Run(bool, bool, int, int, int, float, ReadOnlySpan{float}, int, ReadOnlySpan{float}, int, float, Span{float}, int)"/>
    /// would share out this product over <paramref name="threads"/> cores; the benchmark prints it, the tests pin it.</summary>
    internal static GemmPlan Plan(bool transA, bool transB, int m, int n, int k, int threads, GemmKernelKind kind = GemmKernelKind.Auto) =>
        new Problem(transA, transB, m, n, k, 1f, null, Math.Max(transA ? m : k, 1), null, Math.Max(transB ? k : n, 1), 0f, null, n,
                    Choose(kind)).Plan(threads);

    private static GemmBlocking Choose(GemmKernelKind kind) => kind switch
    {
        GemmKernelKind.Vector512 => GemmBlocking.Vector512,
        GemmKernelKind.Vector256 => GemmBlocking.Vector256,
        _ => Vector512.IsHardwareAccelerated ? GemmBlocking.Vector512 : GemmBlocking.Vector256,
    };

    /// <summary>The whole call, with pointers pinned by the caller for its duration.</summary>
    private readonly struct Problem(bool transA, bool transB, int m, int n, int k,
                                    float alpha, float* a, nint lda, float* b, nint ldb,
                                    float beta, float* c, nint ldc, GemmBlocking blocking,
                                    IPanelSource? bSource = null, bool parallel = true, int kBase = 0)
    {
        public GemmBlocking Blocking => blocking;
        public int M => m;
        public int N => n;
        public int K => k;

        // Below this many multiply-adds a second thread costs more to wake than it saves.
        private const long ParallelThreshold = 1L << 21;

        // A C of at most this many floats (256 KB) is cheap to keep once per thread and add up.
        private const long SmallC = 1 << 16;

        public void Execute()
        {
            int threads = Environment.ProcessorCount;
            var plan = Plan(threads);
            switch (plan)
            {
                case GemmPlan.OneThread:
                    Band(0, m, 0, n);
                    return;
                case GemmPlan.SplitK:
                    SplitK(threads);
                    return;
                case GemmPlan.SharedA:
                case GemmPlan.SharedAPackingB:
                    new SharedPackedA(this, threads).Run();
                    return;
            }
            // Each band packs its own copies, so cut C where that copying is cheapest: bands of columns
            // repeat the packing of A (m·k each), bands of rows repeat that of B (k·n each); A's costs more
            // per float (a transpose), hence the factor. Two bands per thread let a busy core hand work over.
            int bands = 2 * threads, rows = m, cols = n;
            var self = this; // a lambda cannot capture a struct's this
            if (plan == GemmPlan.ColumnBands)
            {
                int width = RoundUp(Tiles(cols, bands), blocking.NR);
                CoreTeam.ForEach(Tiles(cols, width), t => self.Band(0, rows, t * width, Math.Min(width, cols - t * width)));
            }
            else
            {
                int height = Tiles(rows, bands);
                CoreTeam.ForEach(Tiles(rows, height), t => self.Band(t * height, Math.Min(height, rows - t * height), 0, cols));
            }
        }

        public GemmPlan Plan(int threads)
        {
            if (!parallel || threads == 1 || (long)m * n * k < ParallelThreshold) return GemmPlan.OneThread;
            if ((long)m * n <= SmallC && k >= 2 * threads * blocking.KC) return GemmPlan.SplitK;
            if (bSource is null && SharedPackedA.Pays(this)) return CanPackAsYouGo ? GemmPlan.SharedAPackingB : GemmPlan.SharedA;
            return n >= 4 * m ? GemmPlan.ColumnBands : GemmPlan.RowBands;
        }

        /// <summary>
        /// C is small but k is long, as in a filter gradient (lecture 2.1: dF = dY^T · X-tilde, summed over every
        /// position of the batch). Bands of C would each pack the long operands again, so instead every thread
        /// takes a stretch of k into a C of its own, and the partial products are added at the end.
        /// </summary>
        private void SplitK(int parts)
        {
            int length = Tiles(k, parts), count = Tiles(k, length), size = m * n;
            float[] partials = ArrayPool<float>.Shared.Rent((count - 1) * size);
            fixed (float* partial = partials)
            {
                var stretches = new Problem[count];
                for (int t = 0; t < count; t++)
                {
                    int p0 = t * length;
                    float* aFrom = a + (transA ? p0 * lda : p0), bFrom = b + (transB ? p0 : p0 * ldb);
                    if (bSource is not null) bFrom = null; // a source packs its stretch itself, from kBase + p0
                    stretches[t] = t == 0
                        ? new Problem(transA, transB, m, n, length, alpha, aFrom, lda, bFrom, ldb, beta, c, ldc, blocking,
                                      bSource, parallel, kBase)
                        : new Problem(transA, transB, m, n, Math.Min(length, k - p0), alpha, aFrom, lda, bFrom, ldb,
                                      0f, partial + (t - 1) * size, n, blocking, bSource, parallel, kBase + p0);
                }
                int rows = m, cols = n;
                CoreTeam.ForEach(count, t => stretches[t].Band(0, rows, 0, cols));
                for (int t = 1; t < count; t++)
                    for (int i = 0; i < m; i++)
                    {
                        var row = new Span<float>(c + i * ldc, n);
                        TensorPrimitives.Add(row, new ReadOnlySpan<float>(partial + (t - 1) * size + i * n, n), row);
                    }
            }
            ArrayPool<float>.Shared.Return(partials);
        }

        /// <summary>C[i0..i0+rows, j0..j0+cols] on one thread, in the loop order of the class comment.</summary>
        // called once per band: optimise it at once instead of running its loops unoptimised first (tiered JIT)
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private void Band(int i0, int rows, int j0, int cols)
        {
            // equal blocks: 6272 columns make 4 blocks of 1568 rather than 3 of 2048 and one of 128; same for rows and k
            int mcMax = Tiles(rows, Tiles(rows, blocking.MC));
            int ncMax = RoundUp(Tiles(cols, Tiles(cols, blocking.NC)), blocking.NR);
            int kcMax = KcMax;
            var buffers = GemmBuffers.ForThisThread(blocking);
            for (int jc = j0; jc < j0 + cols; jc += ncMax)
            {
                int nc = Math.Min(ncMax, j0 + cols - jc);
                for (int pc = 0; pc < k; pc += kcMax)
                {
                    int kc = Math.Min(kcMax, k - pc);
                    // A B that packs itself from data in the cache (a convolution's image), with all the band's rows in
                    // one block of A: each panel of B meets all of A right away, so pack it just before use and it never
                    // leaves L1 (with 64 filters, a whole packed block in L2 costs as much as the multiplications).
                    // A stored B is packed a block at a time: panel by panel would read it in short strided pieces.
                    bool panelByPanel = bSource is not null && mcMax >= rows;
                    if (!panelByPanel) PackB(pc, kc, jc, nc, buffers.B);
                    for (int ic = i0; ic < i0 + rows; ic += mcMax)
                        RowBlock(ic, Math.Min(mcMax, i0 + rows - ic), jc, nc, pc, kc, panelByPanel ? null : buffers.B, buffers);
                }
            }
        }

        /// <summary>Equal slices of k, each at most KC long.</summary>
        public int KcMax => Tiles(k, Tiles(k, blocking.KC));

        /// <summary>
        /// C[ic..ic+mc, jc..jc+nc] += op(A)[ic.., pc..pc+kc]·op(B)[pc.., jc..] (or = on the first slice) with B packed
        /// in <paramref name="packedB"/>; null packs each micro-panel of B just before its use.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private void RowBlock(int ic, int mc, int jc, int nc, int pc, int kc, float* packedB, GemmBuffers buffers)
        {
            var panels = new RowPanels(mc, blocking.MR);
            GemmPacking.PackA(transA, a, lda, ic, pc, kc, panels, buffers.A);
            Multiply(ic, panels, buffers.A, jc, nc, pc, kc, packedB, buffers);
        }

        /// <summary>
        /// The block of C that packed A (rows ic.., as <paramref name="panels"/>) and packed B make. With
        /// <paramref name="packAsYouGo"/>, B is read from its stored rows instead: the first panel of A to meet a panel
        /// of B packs it into <paramref name="packedB"/> (one panel's room is enough), prefetching the rows ahead.
        /// (Prefetching the next panel during the other kernel calls as well was 0.5–2 % slower.)
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void Multiply(int ic, RowPanels panels, float* packedA, int jc, int nc, int pc, int kc, float* packedB, GemmBuffers buffers,
                             bool packAsYouGo = false)
        {
            int nr = blocking.NR;
            float betaHere = pc == 0 ? beta : 1f; // later slices of k add to what the first one wrote
            float* stored = packAsYouGo ? b + pc * ldb + jc : null;
            for (int jr = 0; jr < nc; jr += nr)
            {
                int width = Math.Min(nr, nc - jr);
                float* bPanel = packAsYouGo ? packedB : packedB + jr * kc;
                if (packedB == null) PackB(pc, kc, jc + jr, width, bPanel = buffers.B);
                int q = 0;
                if (packAsYouGo && width == nr)
                {
                    float* cTile = c + ic * ldc + jc + jr;
                    blocking.PackingKernels![panels.Height(0)](kc, packedA, stored + jr, ldb, bPanel, cTile, ldc, alpha, betaHere);
                    q = 1;
                }
                else if (packAsYouGo)
                {
                    PackB(pc, kc, jc + jr, width, bPanel);
                }
                for (; q < panels.Count; q++)
                {
                    int height = panels.Height(q);
                    float* aPanel = packedA + panels.Start(q) * kc;
                    float* cTile = c + (ic + panels.Start(q)) * ldc + jc + jr;
                    if (width == nr)
                    {
                        blocking.Kernels[height](kc, aPanel, bPanel, cTile, ldc, alpha, betaHere);
                    }
                    else
                    {
                        // last columns: compute the full width into scratch, keep only the columns that exist
                        blocking.Kernels[height](kc, aPanel, bPanel, buffers.Edge, nr, 1f, 0f);
                        MergeEdge(buffers.Edge, nr, cTile, ldc, height, width, alpha, betaHere);
                    }
                }
            }
        }

        /// <summary>B is stored without a transpose, so the kernels can pack it as they read it.</summary>
        public bool CanPackAsYouGo => bSource is null && !transB && blocking.PackingKernels is not null;

        public void PackA(int i0, int p0, int kc, RowPanels panels, float* dst) => GemmPacking.PackA(transA, a, lda, i0, p0, kc, panels, dst);

        public void PackB(int p0, int kc, int j0, int nc, float* dst)
        {
            if (bSource is null) GemmPacking.PackB(transB, b, ldb, p0, kc, j0, nc, blocking.NR, dst);
            else bSource.PackB(kBase + p0, kc, j0, nc, blocking.NR, dst);
        }
    }

    // compiled optimized at once: a training loop calls it for every edge tile from its first mini-batch on
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
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
                                 int aLength, int lda, int? bLength, int ldb, int cLength, int ldc)
    {
        if (m < 0 || n < 0 || k < 0)
            throw new ArgumentException($"GEMM: sizes must not be negative, got m={m}, n={n}, k={k}.");
        Check("A", transA ? k : m, transA ? m : k, aLength, lda, transA ? "k×m (transposed)" : "m×k");
        if (bLength is int stored) // null: B packs itself (IPanelSource)
            Check("B", transB ? n : k, transB ? k : n, stored, ldb, transB ? "n×k (transposed)" : "k×n");
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

/// <summary>One micro-kernel, instantiated for every panel height, and the block sizes tuned for it.</summary>
internal sealed unsafe class GemmBlocking
{
    /// <summary>Most rows of a micro-panel (the kernel's register budget) and its width in columns.</summary>
    public required int MR { get; init; }
    public required int NR { get; init; }
    /// <summary>Length of a k slice: a KC×NR micro-panel of B must stay in L1 while panels of A stream past it.</summary>
    public required int KC { get; init; }
    /// <summary>Rows of a block of A: the packed MC×KC block must stay in L2.</summary>
    public required int MC { get; init; }
    /// <summary>Columns of a block of B: the packed KC×NC block stays in L3 and makes packing A worth it.</summary>
    public required int NC { get; init; }
    /// <summary>PackingKernels[r] is Kernels[r] reading B from its stored rows and packing them on the way; null where absent.</summary>
    public delegate*<int, float*, float*, nint, float*, float*, nint, float, float, void>[]? PackingKernels { get; init; }
    /// <summary>Kernels[r] computes a micro-tile of r rows (index 0 unused).</summary>
    public required delegate*<int, float*, float*, float*, nint, float, float, void>[] Kernels { get; init; }

    // KC = 512: fewer and longer calls of the kernel amortise its loads and stores of C; against 384 (whose 48 KB panel
    // of B fits L1 exactly) 2–2.6 % faster on 1024³ in same-process pairs, equal on 256×2304×6272, while 640–1024 gave
    // nothing more. MC = 336: 336×512 of A is 688 KB of the 1 MB L2; NC = 2048: 512×2048 of B is 4 MB of L3, wide
    // enough that A is packed once per band of columns.
    public static readonly GemmBlocking Vector512 = new()
    {
        MR = GemmKernel512.MR, NR = GemmKernel512.NR, KC = 512, MC = 24 * GemmKernel512.MR, NC = 64 * GemmKernel512.NR,
        Kernels =
        [
            null, &GemmKernel512.Run<Rows1>, &GemmKernel512.Run<Rows2>, &GemmKernel512.Run<Rows3>, &GemmKernel512.Run<Rows4>,
            &GemmKernel512.Run<Rows5>, &GemmKernel512.Run<Rows6>, &GemmKernel512.Run<Rows7>, &GemmKernel512.Run<Rows8>,
            &GemmKernel512.Run<Rows9>, &GemmKernel512.Run<Rows10>, &GemmKernel512.Run<Rows11>, &GemmKernel512.Run<Rows12>,
            &GemmKernel512.Run<Rows13>, &GemmKernel512.Run<Rows14>,
        ],
        PackingKernels =
        [
            null, &GemmKernel512.RunPacking<Rows1>, &GemmKernel512.RunPacking<Rows2>, &GemmKernel512.RunPacking<Rows3>,
            &GemmKernel512.RunPacking<Rows4>, &GemmKernel512.RunPacking<Rows5>, &GemmKernel512.RunPacking<Rows6>,
            &GemmKernel512.RunPacking<Rows7>, &GemmKernel512.RunPacking<Rows8>, &GemmKernel512.RunPacking<Rows9>,
            &GemmKernel512.RunPacking<Rows10>, &GemmKernel512.RunPacking<Rows11>, &GemmKernel512.RunPacking<Rows12>,
            &GemmKernel512.RunPacking<Rows13>, &GemmKernel512.RunPacking<Rows14>,
        ],
    };

    // KC = 256: a 256×16 panel of B is 16 KB of L1; MC = 144: 144×256 of A is 144 KB of L2; NC = 2048: 2 MB of B in L3.
    public static readonly GemmBlocking Vector256 = new()
    {
        MR = GemmKernel256.MR, NR = GemmKernel256.NR, KC = 256, MC = 24 * GemmKernel256.MR, NC = 128 * GemmKernel256.NR,
        Kernels =
        [
            null, &GemmKernel256.Run<Rows1>, &GemmKernel256.Run<Rows2>, &GemmKernel256.Run<Rows3>,
            &GemmKernel256.Run<Rows4>, &GemmKernel256.Run<Rows5>, &GemmKernel256.Run<Rows6>,
        ],
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
        A = Aligned(storage);
        B = A + aCapacity;
        Edge = B + bCapacity;
    }

    public static GemmBuffers ForThisThread(GemmBlocking blocking)
    {
        int aFloats = blocking.MC * blocking.KC;
        int bFloats = blocking.NC * blocking.KC;
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

    /// <summary>The first 64-byte boundary in a pinned array (room for it must be allocated: 16 floats).</summary>
    public static float* Aligned(float[] pinned) =>
        (float*)(((nint)Marshal.UnsafeAddrOfPinnedArrayElement(pinned, 0) + 63) & ~(nint)63);
}
