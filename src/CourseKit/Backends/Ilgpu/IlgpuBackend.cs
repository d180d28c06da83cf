using CourseKit.Backends.Ilgpu;
using Axes = CourseKit.Backends.OpenCl.Axes;
using Int8Vector = CourseKit.Backends.OpenCl.Int8Vector;
using ILGPU;
using ILGPU.Runtime;

namespace CourseKit.Backends;

/// <summary>
/// <see cref="IComputeBackend"/> on an ILGPU accelerator: every method checks its sizes on the host (a kernel
/// that reads past a device buffer does not throw, it returns garbage), then launches one kernel from Kernels/
/// on the device's in-order stream and returns without waiting; reading a result back waits for it.
/// </summary>
public sealed partial class IlgpuBackend : IComputeBackend
{
    private readonly IlgpuDevice device;

    internal IlgpuBackend(IlgpuDevice device) => this.device = device;

    public Device Device => device;

    public void Gemm(bool transA, bool transB, int m, int n, int k,
                     float alpha, TensorStorage a, int aOffset, int lda,
                     TensorStorage b, int bOffset, int ldb,
                     float beta, TensorStorage c, int cOffset, int ldc) =>
        RunGemm(device.GemmKernel, transA, transB, m, n, k, 1, alpha, a, aOffset, lda, 0, b, bOffset, ldb, 0, beta, c, cOffset, ldc, 0);

    public void GemmBatched(bool transA, bool transB, int m, int n, int k, int count,
                            float alpha, TensorStorage a, int aOffset, int lda, int aStride,
                            TensorStorage b, int bOffset, int ldb, int bStride,
                            float beta, TensorStorage c, int cOffset, int ldc, int cStride)
    {
        BatchedGemm.Validate(m, n, k, count, aStride, bStride, cStride);
        if (cStride != 0 || count <= 1)
        {
            // One launch: the grid's third axis runs over the products.
            RunGemm(device.GemmKernel, transA, transB, m, n, k, count, alpha, a, aOffset, lda, aStride, b, bOffset, ldb, bStride, beta, c, cOffset, ldc, cStride);
            return;
        }
        // All products sum into one C: one launch each, in order (the first applies beta), so no two threads add to the same element at once.
        for (int i = 0; i < count; i++)
            RunGemm(device.GemmKernel, transA, transB, m, n, k, 1, alpha, a, aOffset + i * aStride, lda, 0, b, bOffset + i * bStride, ldb, 0,
                    i == 0 ? beta : 1f, c, cOffset, ldc, 0);
    }

    /// <summary>The three GEMM kernels of Kernels/GemmKernels.cs.</summary>
    internal enum GemmKernel { Naive, Tiled, Blocked }

    /// <summary>Any of the three GEMM kernels over a batch of <paramref name="count"/> products (tests and benchmarks compare them).</summary>
    internal void RunGemm(GemmKernel kernel, bool transA, bool transB, int m, int n, int k, int count,
                          float alpha, TensorStorage a, int aOffset, int lda, int aStride,
                          TensorStorage b, int bOffset, int ldb, int bStride,
                          float beta, TensorStorage c, int cOffset, int ldc, int cStride)
    {
        const string op = "Gemm";
        if (m < 0 || n < 0 || k < 0) throw new ArgumentException($"{op}: sizes cannot be negative (m={m}, n={n}, k={k}).");
        long last = Math.Max(count - 1, 0);
        var va = View(a, BufferExtent.Matrix(transA, m, k, aOffset, lda, op, "A") + last * aStride, op, $"A ({m}x{k}{(transA ? ", transposed" : "")}, offset {aOffset}, lda {lda})");
        var vb = View(b, BufferExtent.Matrix(transB, k, n, bOffset, ldb, op, "B") + last * bStride, op, $"B ({k}x{n}{(transB ? ", transposed" : "")}, offset {bOffset}, ldb {ldb})");
        var vc = View(c, BufferExtent.Matrix(false, m, n, cOffset, ldc, op, "C") + last * cStride, op, $"C ({m}x{n}, offset {cOffset}, ldc {ldc})");
        if (m == 0 || n == 0 || count == 0) return;
        var args = new GemmArgs(transA ? 1 : 0, transB ? 1 : 0, m, n, k, alpha, beta, aOffset, lda, aStride, bOffset, ldb, bStride, cOffset, ldc, cStride);
        int t = device.GemmTile;
        lock (device.Gate)
        {
            device.Bind();
            switch (kernel)
            {
                case GemmKernel.Naive:
                    GemmNaiveKernel(device.Stream, new Index3D(n, m, count), args, va, vb, vc);
                    break;
                case GemmKernel.Tiled:
                    GemmTiledKernel(device.Stream, new KernelConfig(new Index3D(Blocks(n, t), Blocks(m, t), count), new Index3D(t, t, 1),
                                    SharedMemoryConfig.RequestDynamic<float>(2 * t * t)), args, va, vb, vc);
                    break;
                default:
                    int block = t * GemmKernels.Work;
                    GemmBlockedKernel(device.Stream, new KernelConfig(new Index3D(Blocks(n, block), Blocks(m, block), count), new Index3D(t, t, 1),
                                      SharedMemoryConfig.RequestDynamic<float>(2 * block * t)), args, va, vb, vc);
                    break;
            }
        }
    }

    private static int Blocks(int size, int block) => (size + block - 1) / block;

    private Action<AcceleratorStream, Index3D, GemmArgs, ArrayView<float>, ArrayView<float>, ArrayView<float>> GemmNaiveKernel =>
        device.Kernel("GemmNaive", acc => acc.LoadAutoGroupedKernel<Index3D, GemmArgs, ArrayView<float>, ArrayView<float>, ArrayView<float>>(GemmKernels.Naive));

    private Action<AcceleratorStream, KernelConfig, GemmArgs, ArrayView<float>, ArrayView<float>, ArrayView<float>> GemmTiledKernel =>
        device.Kernel("GemmTiled", acc => acc.LoadKernel<GemmArgs, ArrayView<float>, ArrayView<float>, ArrayView<float>>(GemmKernels.Tiled));

    private Action<AcceleratorStream, KernelConfig, GemmArgs, ArrayView<float>, ArrayView<float>, ArrayView<float>> GemmBlockedKernel =>
        device.Kernel("GemmBlocked", acc => acc.LoadKernel<GemmArgs, ArrayView<float>, ArrayView<float>, ArrayView<float>>(GemmKernels.Blocked));

    public void Fill(TensorStorage y, int offset, int length, float value)
    {
        if (offset < 0 || length < 0) throw new ArgumentException($"Fill: offset ({offset}) and length ({length}) cannot be negative.");
        var target = View(y, (long)offset + length, "Fill", $"y (offset {offset}, length {length})");
        Launch("Fill", acc => acc.LoadAutoGroupedKernel<Index1D, ArrayView<float>, int, float>(ElementwiseKernels.Fill),
               (kernel, stream) => kernel(stream, length, target, offset, value), length);
    }

    public void StridedCopy(TensorStorage x, int xOffset, ReadOnlySpan<int> xStrides,
                            TensorStorage y, int yOffset, ReadOnlySpan<int> yStrides, ReadOnlySpan<int> shape)
    {
        const string op = "StridedCopy";
        var (dims, strides, total) = Axes.Simplify(op, shape, xStrides, yStrides);
        var source = View(x, BufferExtent.Strided(xOffset, xStrides, shape, op), op, "x");
        var target = View(y, BufferExtent.Strided(yOffset, yStrides, shape, op), op, "y");
        var (s, xs, ys) = (ToAxes(dims), ToAxes(strides[0], dims.Rank), ToAxes(strides[1], dims.Rank));
        Launch("StridedCopy", acc => acc.LoadAutoGroupedKernel<Index1D, ArrayView<float>, int, Axes8, ArrayView<float>, int, Axes8, Axes8>(ElementwiseKernels.StridedCopy),
               (kernel, stream) => kernel(stream, total, source, xOffset, xs, target, yOffset, ys, s), total);
    }

    public void Unary(UnaryOp op, TensorStorage x, TensorStorage y, int length, float alpha = 0f)
    {
        var source = View(x, length, $"Unary({op})", "x");
        var target = View(y, length, $"Unary({op})", "y");
        if (op == UnaryOp.Copy && ReferenceEquals(x, y)) return;
        Launch("Unary", acc => acc.LoadAutoGroupedKernel<Index1D, ArrayView<float>, ArrayView<float>, int, float>(ElementwiseKernels.Unary),
               (kernel, stream) => kernel(stream, length, source, target, (int)op, alpha), length);
    }

    public void Binary(BinaryOp op, TensorStorage a, ReadOnlySpan<int> aStrides, TensorStorage b, ReadOnlySpan<int> bStrides,
                       TensorStorage y, ReadOnlySpan<int> shape)
    {
        // y is contiguous: its strides take part in merging axes so that y's flat index stays the thread's index.
        Span<int> yStrides = stackalloc int[shape.Length];
        for (int d = shape.Length - 1, step = 1; d >= 0; step *= shape[d], d--) yStrides[d] = step;
        string what = $"Binary({op})";
        var (dims, strides, total) = Axes.Simplify(what, shape, aStrides, bStrides, yStrides);
        var left = View(a, BufferExtent.Strided(0, aStrides, shape, what), what, "a");
        var right = View(b, BufferExtent.Strided(0, bStrides, shape, what), what, "b");
        var target = View(y, total, what, "y");
        var (s, sa, sb) = (ToAxes(dims), ToAxes(strides[0], dims.Rank), ToAxes(strides[1], dims.Rank));
        Launch("Binary", acc => acc.LoadAutoGroupedKernel<Index1D, ArrayView<float>, ArrayView<float>, ArrayView<float>, int, Axes8, Axes8, Axes8>(ElementwiseKernels.Binary),
               (kernel, stream) => kernel(stream, total, left, right, target, (int)op, s, sa, sb), total);
    }

    public void BinaryScalar(BinaryOp op, TensorStorage a, float scalar, bool scalarFirst, TensorStorage y, int length)
    {
        var source = View(a, length, $"BinaryScalar({op})", "a");
        var target = View(y, length, $"BinaryScalar({op})", "y");
        Launch("BinaryScalar", acc => acc.LoadAutoGroupedKernel<Index1D, ArrayView<float>, ArrayView<float>, int, float, int>(ElementwiseKernels.BinaryScalar),
               (kernel, stream) => kernel(stream, length, source, target, (int)op, scalar, scalarFirst ? 1 : 0), length);
    }

    public void Reduce(ReduceOp op, TensorStorage x, int outer, int axis, int inner, TensorStorage y)
    {
        long outputs = (long)outer * inner;
        var source = View(x, outputs * axis, $"Reduce({op})", $"x (outer {outer}, axis {axis}, inner {inner})");
        var target = View(y, outputs, $"Reduce({op})", $"y (outer {outer}, inner {inner})");
        Launch("Reduce", acc => acc.LoadAutoGroupedKernel<Index1D, ArrayView<float>, ArrayView<float>, int, int, int>(ReductionKernels.Reduce),
               (kernel, stream) => kernel(stream, (int)outputs, source, target, (int)op, axis, inner), outputs);
    }

    public void Im2Col(TensorStorage x, ConvolutionGeometry g, TensorStorage col)
    {
        g.Validate("Im2Col");
        var source = View(x, Pixels(g), "Im2Col", $"x (N, C, H, W) = ({g.N}, {g.C}, {g.H}, {g.W})");
        var target = View(col, (long)g.PatchLength * g.Positions, "Im2Col", $"col (C·FH·FW, N·OH·OW) = ({g.PatchLength}, {g.Positions})");
        Launch("Im2Col", acc => acc.LoadAutoGroupedKernel<Index2D, ArrayView<float>, ArrayView<float>, ConvolutionGeometry>(Im2ColKernels.Im2Col),
               (kernel, stream) => kernel(stream, new Index2D(g.Positions, g.PatchLength), source, target, g), (long)g.PatchLength * g.Positions);
    }

    public void Col2Im(TensorStorage col, ConvolutionGeometry g, TensorStorage dx)
    {
        g.Validate("Col2Im");
        var source = View(col, (long)g.PatchLength * g.Positions, "Col2Im", $"col (C·FH·FW, N·OH·OW) = ({g.PatchLength}, {g.Positions})");
        var target = View(dx, Pixels(g), "Col2Im", $"dx (N, C, H, W) = ({g.N}, {g.C}, {g.H}, {g.W})");
        Launch("Col2Im", acc => acc.LoadAutoGroupedKernel<Index1D, ArrayView<float>, ArrayView<float>, ConvolutionGeometry>(Im2ColKernels.Col2Im),
               (kernel, stream) => kernel(stream, (int)Pixels(g), source, target, g), Pixels(g));
    }

    public void MaxPoolForward(TensorStorage x, PoolingGeometry g, TensorStorage y, TensorStorage argmax)
    {
        const string op = "MaxPoolForward";
        g.Validate(op);
        var (vx, vy, va) = (View(x, Pixels(g), op, Input(g)), View(y, Outputs(g), op, Output(g, "y")), View(argmax, Outputs(g), op, Output(g, "argmax")));
        Launch(op, acc => acc.LoadAutoGroupedKernel<Index1D, ArrayView<float>, ArrayView<float>, ArrayView<float>, PoolingGeometry>(PoolingKernels.MaxForward),
               (kernel, stream) => kernel(stream, (int)Outputs(g), vx, vy, va, g), Outputs(g));
    }

    public void MaxPoolBackward(TensorStorage dy, TensorStorage argmax, PoolingGeometry g, TensorStorage dx)
    {
        const string op = "MaxPoolBackward";
        g.Validate(op);
        var (vdy, va, vdx) = (View(dy, Outputs(g), op, Output(g, "dy")), View(argmax, Outputs(g), op, Output(g, "argmax")), View(dx, Pixels(g), op, Input(g, "dx")));
        Launch(op, acc => acc.LoadAutoGroupedKernel<Index1D, ArrayView<float>, ArrayView<float>, ArrayView<float>, PoolingGeometry>(PoolingKernels.MaxBackward),
               (kernel, stream) => kernel(stream, (int)Pixels(g), vdy, va, vdx, g), Pixels(g));
    }

    public void AveragePoolForward(TensorStorage x, PoolingGeometry g, TensorStorage y)
    {
        const string op = "AveragePoolForward";
        g.Validate(op);
        var (vx, vy) = (View(x, Pixels(g), op, Input(g)), View(y, Outputs(g), op, Output(g, "y")));
        Launch(op, acc => acc.LoadAutoGroupedKernel<Index1D, ArrayView<float>, ArrayView<float>, PoolingGeometry>(PoolingKernels.AverageForward),
               (kernel, stream) => kernel(stream, (int)Outputs(g), vx, vy, g), Outputs(g));
    }

    public void AveragePoolBackward(TensorStorage dy, PoolingGeometry g, TensorStorage dx)
    {
        const string op = "AveragePoolBackward";
        g.Validate(op);
        var (vdy, vdx) = (View(dy, Outputs(g), op, Output(g, "dy")), View(dx, Pixels(g), op, Input(g, "dx")));
        Launch(op, acc => acc.LoadAutoGroupedKernel<Index1D, ArrayView<float>, ArrayView<float>, PoolingGeometry>(PoolingKernels.AverageBackward),
               (kernel, stream) => kernel(stream, (int)Pixels(g), vdy, vdx, g), Pixels(g));
    }

    /// <summary>Compiles (once) and launches a kernel over <paramref name="threads"/> threads; nothing to do when there are none.</summary>
    private void Launch<TKernel>(string name, Func<Accelerator, TKernel> load, Action<TKernel, AcceleratorStream> launch, long threads) where TKernel : Delegate
    {
        if (threads <= 0) return;
        if (threads > int.MaxValue) throw new ArgumentException($"{name}: {threads} threads are more than one launch can take ({int.MaxValue}).");
        var kernel = device.Kernel(name, load);
        lock (device.Gate)
        {
            device.Bind();
            launch(kernel, device.Stream);
        }
    }

    /// <summary>The device buffer behind a storage, checked to hold <paramref name="count"/> elements, or an error that says what is wrong.</summary>
    private ArrayView<float> View(TensorStorage s, long count, string operation, string role)
    {
        if (s is not IlgpuStorage storage || storage.Device != device)
            throw new InvalidOperationException($"{operation} on {device} was given data that lives on {s.Device.Name}. Move it with .To(device) first.");
        if (count > storage.Length)
            throw new ArgumentException($"{operation}: {role} needs {count} elements but its device buffer holds {storage.Length}.");
        return storage.View;
    }

    private static Axes8 ToAxes(Axes.Dims dims) => ToAxes(dims.Vector, dims.Rank);

    private static Axes8 ToAxes(Int8Vector vector, int rank)
    {
        Span<int> values = vector;
        return Axes8.From(values[..rank]);
    }

    private static long Pixels(ConvolutionGeometry g) => (long)g.N * g.C * g.H * g.W;
    private static long Pixels(PoolingGeometry g) => (long)g.N * g.C * g.H * g.W;
    private static long Outputs(PoolingGeometry g) => (long)g.N * g.C * g.OH * g.OW;
    private static string Input(PoolingGeometry g, string name = "x") => $"{name} (N, C, H, W) = ({g.N}, {g.C}, {g.H}, {g.W})";
    private static string Output(PoolingGeometry g, string name) => $"{name} (N, C, OH, OW) = ({g.N}, {g.C}, {g.OH}, {g.OW})";
}
