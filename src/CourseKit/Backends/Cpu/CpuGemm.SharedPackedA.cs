namespace CourseKit.Backends;

internal static unsafe partial class CpuGemm
{
    /// <summary>
    /// The parallel GEMM when op(A) is small enough to pack whole, with one packed copy shared by the cores
    /// (BLIS and OpenBLAS share their packed blocks the same way), where bands of C would each pack A again:
    /// <code>
    /// the cores pack op(A) together, a block of MC rows × KC steps at a time          each block once in all
    /// then each core takes tiles of C (a block of rows × a band of columns) in turn:
    ///   for each KC-long slice of k
    ///     for each NR-wide micro-panel of B: the first kernel packs it from memory,     B read once per block of rows
    ///                                        the others prefetch the next one
    /// </code>
    /// A tile keeps its part of C in L2 through all of k. Cores claim blocks and tiles with an atomic counter, so
    /// the work is shared however many threads join and whenever they start (one alone would do it all), and the
    /// only wait, for the last blocks of A, is for packing that a running core has already claimed. The other cores
    /// are <see cref="CoreTeam"/>'s threads, which join within microseconds where a thread pool's may take hundreds.
    /// </summary>
    private sealed class SharedPackedA
    {
        /// <summary>Largest op(A) packed whole: 16 MB, half of a 32 MB L3, from where every tile reads it again.</summary>
        public const long MaxFloats = 1 << 22;

        // Columns of a tile: its 256×512 part of C (512 KB) and a 256×512 block of A (512 KB) share a 1 MB L2
        // (256 columns measured no faster).
        private const int TileColumns = 512;

        private readonly Problem problem;
        private readonly int mcMax, kcMax, rowBlocks, kSlices, threads;
        private readonly RowPanels bands; // bands of columns, counted in micro-panels of B
        private readonly bool packAsYouGo;
        private int blocksClaimed, blocksPacked, tilesClaimed;
        private float[]? storage;
        private float* packedA;

        public SharedPackedA(Problem problem, int threads)
        {
            this.problem = problem;
            this.threads = threads;
            var blocking = problem.Blocking;
            int m = problem.M, n = problem.N, k = problem.K;
            mcMax = Tiles(m, Tiles(m, blocking.MC));
            kcMax = problem.KcMax;
            rowBlocks = Tiles(m, mcMax);
            kSlices = Tiles(k, kcMax);
            // tiles at most TileColumns wide, at least two per core (one finishing early finds work), as many for each
            // core, and of equal widths: 6272 columns make 14 bands of 448, not 13 of 512 and one of 128
            int panels = Tiles(n, blocking.NR);
            int count = RoundUp(Math.Max(Tiles(n, TileColumns), Tiles(2 * threads, rowBlocks)), threads);
            bands = new RowPanels(panels, Tiles(panels, Math.Min(count, panels)));
            // packing B as the kernels read it hides its trip from memory behind the multiplications of a whole block
            // of rows: +10 % on 256×2304×6272
            packAsYouGo = problem.CanPackAsYouGo;
        }

        /// <summary>
        /// Whether to share out this product: sharing saves packing A once per band of columns, which counts only where
        /// A has many rows. With a few (64 filters or fewer) A is small, B is large and the bands' static split with
        /// long rows of B packed at once was faster (64×576×65536: 1.18x OpenBLAS against 1.08x with tiles packing B as
        /// the kernels read it, and steadier on 30×25×57600 when other machines' work shares the L3).
        /// </summary>
        public static bool Pays(in Problem problem)
        {
            int m = problem.M, rows = Tiles(m, Tiles(m, problem.Blocking.MC));
            return (long)m * problem.K <= MaxFloats && rows >= 8 * problem.Blocking.MR;
        }

        public void Run()
        {
            storage = Rent(problem.M * problem.K + 16);
            packedA = GemmBuffers.Aligned(storage);
            CoreTeam.Run(Participate);
            Interlocked.Exchange(ref spare, storage);
        }

        private void Participate()
        {
            int blocks = rowBlocks * kSlices;
            for (int block; (block = Interlocked.Increment(ref blocksClaimed) - 1) < blocks;)
            {
                var (ic, mc, pc, kc) = Block(block / kSlices, block % kSlices);
                problem.PackA(ic, pc, kc, new RowPanels(mc, problem.Blocking.MR), BlockOf(ic, mc, pc));
                Interlocked.Increment(ref blocksPacked);
            }
            // the blocks still being packed were claimed by cores that are running: waits of microseconds
            var spin = new SpinWait();
            while (Volatile.Read(ref blocksPacked) < blocks) spin.SpinOnce(sleep1Threshold: -1);

            var buffers = GemmBuffers.ForThisThread(problem.Blocking);
            int tiles = rowBlocks * bands.Count, nr = problem.Blocking.NR;
            // claims made at the same time go to tiles far apart (the cores start at 0, 1/n, 2/n … of the tiles): side by
            // side, two cores would write the same cache lines of C at their tiles' edge (1024³: 6 % slower)
            int perCore = tiles % threads == 0 ? tiles / threads : 0;
            for (int claim; (claim = Interlocked.Increment(ref tilesClaimed) - 1) < tiles;)
            {
                int tile = perCore > 0 ? claim % threads * perCore + claim / threads : claim;
                int band = tile % bands.Count, jc = bands.Start(band) * nr, nc = Math.Min(bands.Height(band) * nr, problem.N - jc);
                for (int slice = 0; slice < kSlices; slice++)
                {
                    var (ic, mc, pc, kc) = Block(tile / bands.Count, slice);
                    if (!packAsYouGo) problem.PackB(pc, kc, jc, nc, buffers.B);
                    problem.Multiply(ic, new RowPanels(mc, problem.Blocking.MR), BlockOf(ic, mc, pc), jc, nc, pc, kc,
                                     buffers.B, buffers, packAsYouGo);
                }
            }
        }

        private (int ic, int mc, int pc, int kc) Block(int rowBlock, int slice)
        {
            int ic = rowBlock * mcMax, pc = slice * kcMax;
            return (ic, Math.Min(mcMax, problem.M - ic), pc, Math.Min(kcMax, problem.K - pc));
        }

        /// <summary>Rows ic.. keep their k slices one after another: slice pc starts after pc steps of mc rows.</summary>
        private float* BlockOf(int ic, int mc, int pc) => packedA + (long)ic * problem.K + (long)pc * mc;

        // one pinned buffer kept for the next call; a call while another holds it allocates its own
        private static float[]? spare;

        private static float[] Rent(int length)
        {
            var taken = Interlocked.Exchange(ref spare, null);
            return taken is not null && taken.Length >= length ? taken : GC.AllocateUninitializedArray<float>(length, pinned: true);
        }
    }
}
