using CourseKit.Backends;

namespace CourseKit.Operations;

/// <summary>
/// The convolution operation of lecture 1.1–1.3 on mini-batches: X (N, C, H, W) ⊗ F (OC, C, FH, FW) + b (OC)
/// gives Y (N, OC, OH, OW), and its gradients of lecture 2.1.
/// <see cref="Naive"/> is the lecture's definition written as loops (the oracle the tests trust);
/// <see cref="Forward(Tensor, Tensor, Tensor?, int, int)"/> is the im2col + GEMM path the layers use.
/// </summary>
/// <remarks>
/// Every product is computed image by image with one batched GEMM (<see cref="IComputeBackend.GemmBatched"/>):
/// image n's columns are the slice col[:, n·OH·OW : (n+1)·OH·OW], and its output Y_n (OC, OH·OW) is already where
/// (N, OC, OH, OW) keeps it, so neither Y nor dY is ever transposed.
/// A convolution layer keeps the column matrix of its forward pass for backward when it fits in the cache
/// (<see cref="ColumnsFitInCache"/>):
/// <code>
/// var g = ConvolutionOperation.Geometry(x.Shape, f.Shape, stride, pad);
/// var col = Im2Col.Columns(x, g);                 // (C·FH·FW, N·OH·OW), kept
/// var y = ConvolutionOperation.Forward(col, g, f, b);
/// // later
/// var dF = ConvolutionOperation.BackwardFilter(dy, col, g);
/// var dX = ConvolutionOperation.BackwardInput(dy, f, g);
/// var db = ConvolutionOperation.BackwardBias(dy);
/// </code>
/// Stride and padding are square (S, P) as in the lecture, or per axis as PyTorch's <c>stride=(sh, sw), padding=(ph, pw)</c>:
/// every method that takes <c>int stride, int pad</c> also takes <c>(int H, int W) stride, (int H, int W) pad</c>.
/// Otherwise it keeps X and uses the paths from X (<c>Forward(x, f, b, stride, pad)</c>,
/// <c>BackwardFilter(dy, x, fShape, stride, pad)</c>). There a backend that implements <see cref="IImplicitConvolution"/>
/// never stores the column matrix at all (the CPU: its GEMM packs the columns straight from the image, and 3×3 stride-1
/// filters go through Winograd's F(2×2, 3×3), 2.25 times fewer multiplications); other backends make the columns
/// a few images at a time.
/// </remarks>
public static class ConvolutionOperation
{
    private const string Op = "Conv2d";

    /// <summary>lecture 1.2: OH = (H + 2P − FH) // S + 1, OW = (W + 2P − FW) // S + 1. Throws when nothing fits.</summary>
    public static (int OH, int OW) OutputSize(int h, int w, int fh, int fw, int pad = 0, int stride = 1) =>
        OutputSize(h, w, fh, fw, (pad, pad), (stride, stride));

    /// <summary>Per axis: OH = (H + 2·PH − FH) // SH + 1, OW = (W + 2·PW − FW) // SW + 1.</summary>
    public static (int OH, int OW) OutputSize(int h, int w, int fh, int fw, (int H, int W) pad, (int H, int W) stride)
    {
        var g = new ConvolutionGeometry(1, 1, h, w, fh, fw, stride.H, stride.W, pad.H, pad.W).Validate(Op);
        return (g.OH, g.OW);
    }

    /// <summary>
    /// Checks that X (N, C, H, W) and F (OC, C, FH, FW) fit together and returns the sizes of the convolution.
    /// </summary>
    public static ConvolutionGeometry Geometry(Shape xShape, Shape fShape, int stride = 1, int pad = 0) =>
        Geometry(xShape, fShape, (stride, stride), (pad, pad));

    /// <summary>The same with stride (SH, SW) and padding (PH, PW) per axis (PyTorch's <c>stride=(sh, sw), padding=(ph, pw)</c>).</summary>
    public static ConvolutionGeometry Geometry(Shape xShape, Shape fShape, (int H, int W) stride, (int H, int W) pad)
    {
        ShapeChecks.Rank4(Op, "input", xShape, "(N, C, H, W)");
        ShapeChecks.Rank4(Op, "filter", fShape, "(OC, C, FH, FW)");
        if (xShape[1] != fShape[1])
            throw new ArgumentException(
                $"{Op}: input has {xShape[1]} channels but the filter expects {fShape[1]} " +
                $"(input {ShapeChecks.Compact(xShape)}, filter {ShapeChecks.Compact(fShape)})");
        return new ConvolutionGeometry(xShape[0], xShape[1], xShape[2], xShape[3], fShape[2], fShape[3],
                                       stride.H, stride.W, pad.H, pad.W).Validate(Op);
    }

    /// <summary>
    /// lecture 1.1–1.3, the definition: Y[n, oc, oh, ow] = Σ_c Σ_fh Σ_fw X[n, c, oh·S + fh − P, ow·S + fw − P] · F[oc, c, fh, fw] + b[oc],
    /// with X read as 0 outside the image (padding). Direct loops on the host, summed in double: the reference.
    /// </summary>
    public static Tensor Naive(Tensor x, Tensor f, Tensor? b = null, int stride = 1, int pad = 0) =>
        Naive(x, f, b, (stride, stride), (pad, pad));

    /// <summary>The definition with stride (SH, SW) and padding (PH, PW): X[n, c, oh·SH + fh − PH, ow·SW + fw − PW].</summary>
    public static Tensor Naive(Tensor x, Tensor f, Tensor? b, (int H, int W) stride, (int H, int W) pad)
    {
        var g = Geometry(x.Shape, f.Shape, stride, pad);
        int oc = f.Shape[0];
        ShapeChecks.Bias(Op, b, oc, f.Shape);
        float[] xs = x.ToArray(), fs = f.ToArray(), bs = b?.ToArray() ?? new float[oc];
        int oh = g.OH, ow = g.OW;
        var y = new float[g.N * oc * oh * ow];
        for (int n = 0; n < g.N; n++)
        for (int o = 0; o < oc; o++)
        for (int i = 0; i < oh; i++)
        for (int j = 0; j < ow; j++)
        {
            double sum = bs[o];
            for (int c = 0; c < g.C; c++)
            for (int fh = 0; fh < g.FH; fh++)
            for (int fw = 0; fw < g.FW; fw++)
            {
                int h = i * stride.H + fh - pad.H, w = j * stride.W + fw - pad.W;
                if ((uint)h < (uint)g.H && (uint)w < (uint)g.W)
                    sum += (double)xs[((n * g.C + c) * g.H + h) * g.W + w] * fs[((o * g.C + c) * g.FH + fh) * g.FW + fw];
            }
            y[((n * oc + o) * oh + i) * ow + j] = (float)sum;
        }
        return new Tensor([g.N, oc, oh, ow], y).To(x.Device);
    }

    /// <summary>Y = X ⊗ F + b through im2col and one matrix product (lecture 1.3).</summary>
    /// <remarks>
    /// The column matrix of a whole batch can be far larger than the caches (64 images of 64 channels with 3x3 filters:
    /// 151 MB), so this path takes a few images at a time: their columns are still in the cache when the GEMM reads them.
    /// </remarks>
    public static Tensor Forward(Tensor x, Tensor f, Tensor? b = null, int stride = 1, int pad = 0, Tensor? into = null) =>
        Forward(x, f, b, (stride, stride), (pad, pad), into);

    /// <summary>
    /// Y = X ⊗ F + b with stride (SH, SW) and padding (PH, PW) per axis: PyTorch's
    /// <c>conv2d(x, f, b, stride=(sh, sw), padding=(ph, pw))</c>.
    /// </summary>
    public static Tensor Forward(Tensor x, Tensor f, Tensor? b, (int H, int W) stride, (int H, int W) pad, Tensor? into = null)
    {
        var g = Geometry(x.Shape, f.Shape, stride, pad);
        Tensor.SameDevice(Op, x, f);
        if (ColumnsFitInCache(g)) return Forward(Im2Col.Columns(x, g, reuse: Scratch(ref columnsScratch, [g.PatchLength, g.Positions], x.Device)), g, f, b, into);
        int oc = CheckFilter(f, g);
        ShapeChecks.Bias(Op, b, oc, f.Shape);
        CheckResult(into, x, [g.N, oc, g.OH, g.OW], "the result of this convolution");
        if (x.Backend is IImplicitConvolution implicitIm2Col)
        {
            var result = into ?? new Tensor([g.N, oc, g.OH, g.OW], x.Device);
            implicitIm2Col.ConvolutionForward(x.Storage, g, f.Storage, oc, b?.Storage, result.Storage);
            return result;
        }
        int k = g.PatchLength, p = g.OH * g.OW;
        var y = BiasRows(b, g, oc, x.Device, into);
        var buffers = new ChunkBuffers(g, x.Device);
        foreach (var (n0, chunk) in Chunks(g))
        {
            var col = buffers.Columns(x, n0, chunk);
            x.Backend.GemmBatched(false, false, oc, p, k, chunk.N,
                1f, f.Storage, 0, k, 0, col.Storage, 0, chunk.Positions, p, b is null ? 0f : 1f, y.Storage, n0 * oc * p, p, oc * p);
        }
        return y;
    }

    /// <summary>
    /// The forward pass from a column matrix computed by <see cref="Im2Col.Columns(Tensor, ConvolutionGeometry)"/>
    /// (the layer keeps it for <see cref="BackwardFilter(Tensor, Tensor, ConvolutionGeometry)"/>), into a new tensor or
    /// into <paramref name="into"/> (N, OC, OH, OW), which it overwrites (a layer's result from its previous call).
    /// </summary>
    public static Tensor Forward(Tensor col, ConvolutionGeometry g, Tensor f, Tensor? b = null, Tensor? into = null)
    {
        int oc = CheckFilter(f, g);
        ShapeChecks.Bias(Op, b, oc, f.Shape);
        ShapeChecks.Exactly(Op, "column matrix", col, [g.PatchLength, g.Positions], $"im2col of a {g.C}-channel input with a {g.FH}x{g.FW} filter");
        Tensor.SameDevice(Op, col, f);
        int k = g.PatchLength, p = g.OH * g.OW, np = g.Positions;
        CheckResult(into, col, [g.N, oc, g.OH, g.OW], "the result of this convolution");
        var y = BiasRows(b, g, oc, col.Device, into);
        // lecture 1.3: Y = X-tilde · F^T; image by image its transpose Y_n (OC, OH·OW) = F (OC, C·FH·FW) · col_n,
        // where col_n = col[:, n·OH·OW : (n+1)·OH·OW] (leading dimension N·OH·OW): Y comes out as (N, OC, OH, OW).
        col.Backend.GemmBatched(false, false, oc, p, k, g.N,
            1f, f.Storage, 0, k, 0, col.Storage, 0, np, p, b is null ? 0f : 1f, y.Storage, 0, p, oc * p);
        return y;
    }

    /// <summary>lecture 2.1: dX-tilde = dY · F, then col2im adds every entry back where it came from.</summary>
    public static Tensor BackwardInput(Tensor dy, Tensor f, Shape xShape, int stride = 1, int pad = 0) =>
        BackwardInput(dy, f, Geometry(xShape, f.Shape, stride, pad));

    /// <summary>dX with stride (SH, SW) and padding (PH, PW) per axis.</summary>
    public static Tensor BackwardInput(Tensor dy, Tensor f, Shape xShape, (int H, int W) stride, (int H, int W) pad) =>
        BackwardInput(dy, f, Geometry(xShape, f.Shape, stride, pad));

    /// <inheritdoc cref="BackwardInput(Tensor, Tensor, Shape, int, int)"/>
    /// <remarks>Into a new tensor, or into <paramref name="into"/> (N, C, H, W), which it overwrites (a layer's dX of its previous call).</remarks>
    public static Tensor BackwardInput(Tensor dy, Tensor f, ConvolutionGeometry g, Tensor? into = null)
    {
        int oc = CheckFilter(f, g);
        CheckOutputGradient(dy, g, oc);
        Tensor.SameDevice(Op, dy, f);
        CheckResult(into, dy, [g.N, g.C, g.H, g.W], "the input of this convolution");
        int k = g.PatchLength, p = g.OH * g.OW;
        // dcol (C·FH·FW, N·OH·OW) = F^T · dY: dX-tilde transposed. Image by image,
        // dcol[:, n·OH·OW : (n+1)·OH·OW] = F^T (C·FH·FW, OC) · dY_n (OC, OH·OW), so dY needs no reordering.
        if (ColumnsFitInCache(g))
        {
            var dcol = Scratch(ref columnsScratch, [k, g.Positions], dy.Device);
            dy.Backend.GemmBatched(true, false, k, p, oc, g.N,
                1f, f.Storage, 0, k, 0, dy.Storage, 0, p, oc * p, 0f, dcol.Storage, 0, g.Positions, p);
            return Im2Col.Col2Im(dcol, g, into);
        }
        var dx = into ?? new Tensor([g.N, g.C, g.H, g.W], dy.Device);
        if (dy.Backend is IImplicitConvolution implicitIm2Col && implicitIm2Col.TryConvolutionBackwardInput(dy.Storage, f.Storage, g, oc, dx.Storage))
            return dx;
        // A few images at a time, so that dcol is still in the cache when col2im reads it (see Forward).
        var buffers = new ChunkBuffers(g, dy.Device);
        foreach (var (n0, chunk) in Chunks(g))
        {
            var dcol = buffers.Col;
            dy.Backend.GemmBatched(true, false, k, p, oc, chunk.N,
                1f, f.Storage, 0, k, 0, dy.Storage, n0 * oc * p, p, oc * p, 0f, dcol.Storage, 0, chunk.Positions, p);
            buffers.AddBackImages(dcol, chunk, dx, n0);
        }
        return dx;
    }

    /// <summary>lecture 2.1: dF = dY^T · X-tilde (each filter weight meets every input it multiplied).</summary>
    public static Tensor BackwardFilter(Tensor dy, Tensor x, Shape fShape, int stride = 1, int pad = 0) =>
        BackwardFilter(dy, x, fShape, (stride, stride), (pad, pad));

    /// <summary>dF with stride (SH, SW) and padding (PH, PW) per axis.</summary>
    public static Tensor BackwardFilter(Tensor dy, Tensor x, Shape fShape, (int H, int W) stride, (int H, int W) pad)
    {
        var g = Geometry(x.Shape, fShape, stride, pad);
        if (ColumnsFitInCache(g)) return BackwardFilter(dy, Im2Col.Columns(x, g, reuse: Scratch(ref columnsScratch, [g.PatchLength, g.Positions], x.Device)), g);
        ShapeChecks.Rank4(Op, "output gradient", dy.Shape, "(N, OC, OH, OW)");
        int oc = dy.Shape[1], k = g.PatchLength, p = g.OH * g.OW;
        CheckOutputGradient(dy, g, oc);
        Tensor.SameDevice(Op, dy, x);
        var df = new Tensor([oc, g.C, g.FH, g.FW], dy.Device);
        if (dy.Backend is IImplicitConvolution implicitIm2Col)
        {
            implicitIm2Col.ConvolutionBackwardFilter(dy.Storage, x.Storage, g, oc, df.Storage);
            return df;
        }
        // as in BackwardFilter(dy, col, g), with the columns made again a few images at a time (see Forward)
        var buffers = new ChunkBuffers(g, x.Device);
        foreach (var (n0, chunk) in Chunks(g))
        {
            var col = buffers.Columns(x, n0, chunk);
            dy.Backend.GemmBatched(false, true, oc, k, p, chunk.N,
                1f, dy.Storage, n0 * oc * p, p, oc * p, col.Storage, 0, chunk.Positions, p, n0 == 0 ? 0f : 1f, df.Storage, 0, k, 0);
        }
        return df;
    }

    /// <summary>The filter gradient from the column matrix of the forward pass; returns (OC, C, FH, FW).</summary>
    public static Tensor BackwardFilter(Tensor dy, Tensor col, ConvolutionGeometry g)
    {
        ShapeChecks.Rank4(Op, "output gradient", dy.Shape, "(N, OC, OH, OW)");
        int oc = dy.Shape[1];
        CheckOutputGradient(dy, g, oc);
        ShapeChecks.Exactly(Op, "column matrix", col, [g.PatchLength, g.Positions], $"im2col of a {g.C}-channel input with a {g.FH}x{g.FW} filter");
        Tensor.SameDevice(Op, dy, col);
        int k = g.PatchLength, p = g.OH * g.OW, np = g.Positions;
        // dF (OC, C·FH·FW) = dY (OC, N·OH·OW) · col^T, a sum over the images: Σ_n dY_n (OC, OH·OW) · col_n^T
        // (one batched GEMM into one C, so dY needs no reordering).
        var df = new Tensor([oc, g.C, g.FH, g.FW], dy.Device);
        dy.Backend.GemmBatched(false, true, oc, k, p, g.N,
            1f, dy.Storage, 0, p, oc * p, col.Storage, 0, np, p, 0f, df.Storage, 0, k, 0);
        return df;
    }

    /// <summary>lecture 1.2: the bias is added at every output position, so db[oc] = Σ over n, oh, ow of dY[n, oc, oh, ow].</summary>
    public static Tensor BackwardBias(Tensor dy)
    {
        ShapeChecks.Rank4(Op, "output gradient", dy.Shape, "(N, OC, OH, OW)");
        var (n, oc, oh, ow) = dy.Shape;
        var perImage = new Tensor([n, oc], dy.Device);
        dy.Backend.Reduce(ReduceOp.Sum, dy.Storage, n * oc, oh * ow, 1, perImage.Storage);
        var db = new Tensor([oc], dy.Device);
        dy.Backend.Reduce(ReduceOp.Sum, perImage.Storage, 1, n, oc, db.Storage);
        return db;
    }

    /// <summary>
    /// The path <see cref="Forward(Tensor, Tensor, Tensor?, int, int, Tensor?)"/> takes for this geometry on this device,
    /// and <see cref="BackwardFilter(Tensor, Tensor, Shape, int, int)"/> with it: see <see cref="ConvolutionPath"/> for
    /// what each one does and why.
    /// </summary>
    public static ConvolutionPath PathOf(ConvolutionGeometry g, int outChannels, Device device)
    {
        if (ColumnsFitInCache(g)) return ConvolutionPath.ColumnMatrix;
        return device.Backend switch
        {
            CpuBackend => CpuPathOf(g, outChannels),
            IImplicitConvolution => ConvolutionPath.Implicit,
            _ => ConvolutionPath.ColumnChunks,
        };
    }

    /// <summary>The path a convolution of <paramref name="x"/> with <paramref name="f"/> takes (<see cref="PathOf(ConvolutionGeometry, int, Device)"/>).</summary>
    public static ConvolutionPath PathOf(Tensor x, Tensor f, int stride = 1, int pad = 0) =>
        PathOf(Geometry(x.Shape, f.Shape, stride, pad), f.Shape[0], x.Device);

    /// <summary>The path with stride (SH, SW) and padding (PH, PW) per axis.</summary>
    public static ConvolutionPath PathOf(Tensor x, Tensor f, (int H, int W) stride, (int H, int W) pad) =>
        PathOf(Geometry(x.Shape, f.Shape, stride, pad), f.Shape[0], x.Device);

    /// <summary>
    /// The path <see cref="BackwardInput(Tensor, Tensor, ConvolutionGeometry, Tensor?)"/> takes. On the CPU, with stride 1
    /// along both axes, a square filter and PH ≤ FH − 1, PW ≤ FW − 1, dX is itself a convolution (of dY padded by
    /// (FH − 1 − PH, FW − 1 − PW) with the filters turned by 180°, lecture 5.3), computed by that convolution's implicit
    /// path; otherwise dX̃ is made a few images at a time and added back by col2im.
    /// </summary>
    public static ConvolutionPath InputGradientPathOf(ConvolutionGeometry g, int outChannels, Device device)
    {
        if (ColumnsFitInCache(g)) return ConvolutionPath.ColumnMatrix;
        return device.Backend switch
        {
            CpuBackend when CpuImplicitConvolution.BackwardInputApplies(g) =>
                CpuPathOf(CpuImplicitConvolution.BackwardInputGeometry(g, outChannels), g.C),
            CpuBackend => ConvolutionPath.ColumnChunks,
            IImplicitConvolution => ConvolutionPath.Implicit,
            _ => ConvolutionPath.ColumnChunks,
        };
    }

    // CpuImplicitConvolution's three ways, the first that applies
    private static ConvolutionPath CpuPathOf(ConvolutionGeometry g, int outChannels) =>
        CpuWinograd.Applies(g, outChannels) ? ConvolutionPath.Winograd
        : WideRows.Apply(g) ? ConvolutionPath.ImplicitWideRows
        : ConvolutionPath.Implicit;

    // Column matrices of about this many floats (8 MB) stay in the (last-level) cache between the two steps that use them.
    private const int ChunkFloats = 1 << 21;

    /// <summary>
    /// Whether the column matrix of the whole batch is small enough to stay in the cache. A layer then keeps it
    /// for the filter gradient; otherwise it keeps X, and the paths from X make the columns a few images at a time.
    /// </summary>
    public static bool ColumnsFitInCache(ConvolutionGeometry g) => ImagesPerChunk(g) >= g.N;

    private static int ImagesPerChunk(ConvolutionGeometry g) =>
        (int)Math.Clamp(ChunkFloats / Math.Max(1L, (long)g.PatchLength * g.OH * g.OW), 1, g.N);

    // The batch cut into runs of images: the first image of each and the geometry of the run.
    private static IEnumerable<(int First, ConvolutionGeometry Chunk)> Chunks(ConvolutionGeometry g)
    {
        int per = ImagesPerChunk(g);
        for (int n0 = 0; n0 < g.N; n0 += per)
            yield return (n0, g with { N = Math.Min(per, g.N - n0) });
    }

    // Scratch matrices kept from call to call on each thread, like cuDNN's workspace: a new column matrix of a few MB
    // per call costs more than filling it (fresh pages and garbage collections). Never returned to the caller.
    [ThreadStatic] private static Tensor? columnsScratch, imagesScratch;

    private static Tensor Scratch(ref Tensor? slot, Shape shape, Device device)
    {
        if (slot is null || slot.Device != device || slot.Shape != shape) slot = new Tensor(shape, device);
        return slot;
    }

    /// <summary>
    /// The memory for one run of images, used again for every run: their part of X or dX, and their column matrix
    /// (for a shorter last run the backend uses the front of it, with the run's own leading dimension N·OH·OW).
    /// </summary>
    private sealed class ChunkBuffers(ConvolutionGeometry g, Device device)
    {
        private readonly int image = g.C * g.H * g.W;

        public Tensor Col { get; } = Scratch(ref columnsScratch, [g.PatchLength, ImagesPerChunk(g) * g.OH * g.OW], device);

        private Tensor Images { get; } = Scratch(ref imagesScratch, [ImagesPerChunk(g), g.C, g.H, g.W], device);

        /// <summary>im2col of images n0 .. n0 + chunk.N of X into <see cref="Col"/>.</summary>
        public Tensor Columns(Tensor x, int n0, ConvolutionGeometry chunk)
        {
            x.Backend.StridedCopy(x.Storage, n0 * image, [1], Images.Storage, 0, [1], [chunk.N * image]);
            x.Backend.Im2Col(Images.Storage, chunk, Col.Storage);
            return Col;
        }

        /// <summary>col2im of a run's dcol into images n0 .. n0 + chunk.N of dX.</summary>
        public void AddBackImages(Tensor dcol, ConvolutionGeometry chunk, Tensor dx, int n0)
        {
            dx.Backend.Col2Im(dcol.Storage, chunk, Images.Storage);
            dx.Backend.StridedCopy(Images.Storage, 0, [1], dx.Storage, n0 * image, [1], [chunk.N * image]);
        }
    }

    // Y (N, OC, OH, OW) with every row Y[n, oc, :] starting at b[oc], for the GEMM to add onto (without a bias the GEMM
    // overwrites Y: beta = 0); b is read with strides (0, 1, 0) over (N, OC, OH·OW), so it never leaves its device.
    private static Tensor BiasRows(Tensor? b, ConvolutionGeometry g, int oc, Device device, Tensor? into = null)
    {
        var y = into ?? new Tensor([g.N, oc, g.OH, g.OW], device);
        int p = g.OH * g.OW;
        if (b is not null) y.Backend.StridedCopy(b.Storage, 0, [0, 1, 0], y.Storage, 0, [oc * p, p, 1], [g.N, oc, p]);
        return y;
    }

    // A result tensor the caller passes in to be overwritten: its shape and device must be exactly those of the result.
    private static void CheckResult(Tensor? into, Tensor operand, Shape shape, string fits)
    {
        if (into is null) return;
        ShapeChecks.Exactly(Op, "output", into, shape, fits);
        Tensor.SameDevice(Op, operand, into);
    }

    private static int CheckFilter(Tensor f, ConvolutionGeometry g)
    {
        ShapeChecks.Rank4(Op, "filter", f.Shape, "(OC, C, FH, FW)");
        int oc = f.Shape[0];
        ShapeChecks.Exactly(Op, "filter", f, [oc, g.C, g.FH, g.FW], $"a {g.C}-channel input with a {g.FH}x{g.FW} filter");
        return oc;
    }

    private static void CheckOutputGradient(Tensor dy, ConvolutionGeometry g, int oc) =>
        ShapeChecks.Exactly(Op, "output gradient", dy, [g.N, oc, g.OH, g.OW],
            $"the output of input ({g.N},{g.C},{g.H},{g.W}) with {g.StrideAndPadding}");
}
