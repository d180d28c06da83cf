using CourseKit.Backends.OpenCl;
using static CourseKit.Backends.OpenCl.OpenClNative;

namespace CourseKit.Backends;

/// <summary>
/// <see cref="IComputeBackend"/> on an OpenCL device: every method enqueues one kernel (or one buffer
/// command) on the device's in-order queue and returns without waiting; reading a result back to the
/// host waits for it. The kernels live in Kernels/, one file per family, and mirror the CPU kernels.
/// </summary>
public sealed partial class OpenClBackend : IComputeBackend
{
    private readonly OpenClDevice device;

    internal OpenClBackend(OpenClDevice device) => this.device = device;

    public Device Device => device;

    private static ReadOnlySpan<nuint> NoLocal => [];

    /// <summary>The device buffer behind a storage, or an error that says where the data lives instead.</summary>
    private OpenClStorage Mem(TensorStorage s, string operation) => s is OpenClStorage cl && cl.Device == device
        ? cl
        : throw new InvalidOperationException($"{operation} on {device} was given data that lives on {s.Device.Name}. Move it with .To(device) first.");

    private static nuint Count(long n) => (nuint)Math.Max(n, 0);

    // A kernel that reads past the end of a device buffer does not throw like a managed array: it returns
    // garbage or crashes the driver. So every call checks its sizes on the host first.
    private static OpenClStorage Need(OpenClStorage s, long count, string operation, string role)
    {
        if (count > s.Length)
            throw new ArgumentException($"{operation}: {role} needs {count} elements but its device buffer holds {s.Length}.");
        return s;
    }

    private OpenClStorage Mem(TensorStorage s, long count, string operation, string role) => Need(Mem(s, operation), count, operation, role);

    public void Gemm(bool transA, bool transB, int m, int n, int k,
                     float alpha, TensorStorage a, int aOffset, int lda,
                     TensorStorage b, int bOffset, int ldb,
                     float beta, TensorStorage c, int cOffset, int ldc)
    {
        var (ma, mb, mc) = GemmOperands(transA, transB, m, n, k, a, aOffset, lda, b, bOffset, ldb, c, cOffset, ldc);
        // One work-group of TILE×TILE work-items per BLOCK×BLOCK block of C.
        int block = device.GemmBlock;
        nuint tile = (nuint)device.GemmTile, across = Count((n + block - 1) / block), down = Count((m + block - 1) / block);
        device.Launch(GemmKernels.Program, "gemm_blocked", [across * tile, down * tile], [tile, tile],
            transA, transB, m, n, k, alpha, ma, aOffset, lda, mb, bOffset, ldb, beta, mc, cOffset, ldc);
    }

    /// <summary>The TILE×TILE local-memory GEMM without register blocking (the step between naive and blocked).</summary>
    internal void GemmTiled(bool transA, bool transB, int m, int n, int k,
                            float alpha, TensorStorage a, int aOffset, int lda,
                            TensorStorage b, int bOffset, int ldb,
                            float beta, TensorStorage c, int cOffset, int ldc)
    {
        var (ma, mb, mc) = GemmOperands(transA, transB, m, n, k, a, aOffset, lda, b, bOffset, ldb, c, cOffset, ldc);
        nuint tile = (nuint)device.GemmTile;
        device.Launch(GemmKernels.Program, "gemm_tiled", [Count(n), Count(m)], [tile, tile],
            transA, transB, m, n, k, alpha, ma, aOffset, lda, mb, bOffset, ldb, beta, mc, cOffset, ldc);
    }

    /// <summary>The one-work-item-per-element GEMM: the reference the tiled kernel is tested against.</summary>
    internal void GemmNaive(bool transA, bool transB, int m, int n, int k,
                            float alpha, TensorStorage a, int aOffset, int lda,
                            TensorStorage b, int bOffset, int ldb,
                            float beta, TensorStorage c, int cOffset, int ldc)
    {
        var (ma, mb, mc) = GemmOperands(transA, transB, m, n, k, a, aOffset, lda, b, bOffset, ldb, c, cOffset, ldc);
        device.Launch(GemmKernels.Program, "gemm_naive", [Count(n), Count(m)], NoLocal,
            transA, transB, m, n, k, alpha, ma, aOffset, lda, mb, bOffset, ldb, beta, mc, cOffset, ldc);
    }

    private (OpenClStorage A, OpenClStorage B, OpenClStorage C) GemmOperands(bool transA, bool transB, int m, int n, int k,
        TensorStorage a, int aOffset, int lda, TensorStorage b, int bOffset, int ldb, TensorStorage c, int cOffset, int ldc)
    {
        const string op = "Gemm";
        if (m < 0 || n < 0 || k < 0) throw new ArgumentException($"{op}: sizes cannot be negative (m={m}, n={n}, k={k}).");
        return (Mem(a, BufferExtent.Matrix(transA, m, k, aOffset, lda, op, "A"), op, $"A ({m}x{k}{(transA ? ", transposed" : "")}, offset {aOffset}, lda {lda})"),
                Mem(b, BufferExtent.Matrix(transB, k, n, bOffset, ldb, op, "B"), op, $"B ({k}x{n}{(transB ? ", transposed" : "")}, offset {bOffset}, ldb {ldb})"),
                Mem(c, BufferExtent.Matrix(false, m, n, cOffset, ldc, op, "C"), op, $"C ({m}x{n}, offset {cOffset}, ldc {ldc})"));
    }

    public unsafe void Fill(TensorStorage y, int offset, int length, float value)
    {
        if (offset < 0 || length < 0) throw new ArgumentException($"Fill: offset ({offset}) and length ({length}) cannot be negative.");
        var buffer = Mem(y, (long)offset + length, "Fill", $"y (offset {offset}, length {length})").Buffer;
        if (length == 0) return;
        int error = clEnqueueFillBuffer(device.Queue.Value, buffer.Value, &value, sizeof(float),
            (nuint)offset * sizeof(float), (nuint)length * sizeof(float), 0, null, null);
        if (error != 0) throw new OpenClException("clEnqueueFillBuffer", error, $"{length} floats at offset {offset} on {device}");
        GC.KeepAlive(buffer);
    }

    public void StridedCopy(TensorStorage x, int xOffset, ReadOnlySpan<int> xStrides,
                            TensorStorage y, int yOffset, ReadOnlySpan<int> yStrides, ReadOnlySpan<int> shape)
    {
        const string op = "StridedCopy";
        var (dims, strides, total) = Axes.Simplify(op, shape, xStrides, yStrides);
        var source = Mem(x, BufferExtent.Strided(xOffset, xStrides, shape, op), op, "x");
        var target = Mem(y, BufferExtent.Strided(yOffset, yStrides, shape, op), op, "y");
        device.Launch(ElementwiseKernels.Program, "strided_copy", [Count(total)], NoLocal,
            source, xOffset, strides[0], target, yOffset, strides[1], dims.Vector, dims.Rank, total);
    }

    public unsafe void Unary(UnaryOp op, TensorStorage x, TensorStorage y, int length, float alpha = 0f)
    {
        var source = Mem(x, length, $"Unary({op})", "x");
        var target = Mem(y, length, $"Unary({op})", "y");
        if (op == UnaryOp.Copy)
        {
            // A plain copy is a buffer command, no kernel needed.
            if (ReferenceEquals(source, target) || length <= 0) return;
            int error = clEnqueueCopyBuffer(device.Queue.Value, source.Buffer.Value, target.Buffer.Value, 0, 0, (nuint)length * sizeof(float), 0, null, null);
            if (error != 0) throw new OpenClException("clEnqueueCopyBuffer", error, $"{length} floats on {device}");
            GC.KeepAlive(source);
            GC.KeepAlive(target);
            return;
        }
        device.Launch(ElementwiseKernels.Program, "unary", [Count(length)], NoLocal, (int)op, source, target, length, alpha);
    }

    public void Binary(BinaryOp op, TensorStorage a, ReadOnlySpan<int> aStrides, TensorStorage b, ReadOnlySpan<int> bStrides,
                       TensorStorage y, ReadOnlySpan<int> shape)
    {
        // y is contiguous: its strides take part in merging axes so that y's flat index stays the work-item id.
        Span<int> yStrides = stackalloc int[shape.Length];
        for (int d = shape.Length - 1, s = 1; d >= 0; s *= shape[d], d--) yStrides[d] = s;
        string what = $"Binary({op})";
        var (dims, strides, total) = Axes.Simplify(what, shape, aStrides, bStrides, yStrides);
        var left = Mem(a, BufferExtent.Strided(0, aStrides, shape, what), what, "a");
        var right = Mem(b, BufferExtent.Strided(0, bStrides, shape, what), what, "b");
        var target = Mem(y, total, what, "y");
        device.Launch(ElementwiseKernels.Program, "binary", [Count(total)], NoLocal,
            (int)op, left, strides[0], right, strides[1], target, dims.Vector, dims.Rank, total);
    }

    public void BinaryScalar(BinaryOp op, TensorStorage a, float scalar, bool scalarFirst, TensorStorage y, int length) =>
        device.Launch(ElementwiseKernels.Program, "binary_scalar", [Count(length)], NoLocal,
            (int)op, Mem(a, length, $"BinaryScalar({op})", "a"), scalar, scalarFirst, Mem(y, length, $"BinaryScalar({op})", "y"), length);

    public void Reduce(ReduceOp op, TensorStorage x, int outer, int axis, int inner, TensorStorage y)
    {
        long outputs = (long)outer * inner;
        var source = Mem(x, outputs * axis, $"Reduce({op})", $"x (outer {outer}, axis {axis}, inner {inner})");
        var target = Mem(y, outputs, $"Reduce({op})", $"y (outer {outer}, inner {inner})");
        // Few outputs over a long axis: a work-group per output; otherwise a work-item per output.
        if (outputs < 4L * device.ComputeUnits * device.ReduceGroup && axis >= 4 * device.ReduceGroup)
        {
            nuint group = (nuint)device.ReduceGroup;
            device.Launch(ReductionKernels.Program, "reduce_axis_group", [Count(outputs) * group], [group], (int)op, source, outer, axis, inner, target);
        }
        else device.Launch(ReductionKernels.Program, "reduce_axis", [Count(outputs)], NoLocal, (int)op, source, outer, axis, inner, target);
    }

    public void Im2Col(TensorStorage x, ConvolutionGeometry g, TensorStorage col)
    {
        g.Validate("Im2Col");
        long columns = (long)g.PatchLength * g.Positions;
        device.Launch(Im2ColKernels.Program, "im2col", [Count(g.OW), Count((long)g.N * g.OH), Count(g.PatchLength)], NoLocal,
            Mem(x, Pixels(g), "Im2Col", $"x (N, C, H, W) = ({g.N}, {g.C}, {g.H}, {g.W})"),
            Mem(col, columns, "Im2Col", $"col (C·FH·FW, N·OH·OW) = ({g.PatchLength}, {g.Positions})"),
            g.N, g.C, g.H, g.W, g.FH, g.FW, g.StrideH, g.StrideW, g.PadH, g.PadW, g.OH, g.OW);
    }

    public void Col2Im(TensorStorage col, ConvolutionGeometry g, TensorStorage dx)
    {
        g.Validate("Col2Im");
        device.Launch(Im2ColKernels.Program, "col2im", [Count(g.W), Count(g.H), Count((long)g.N * g.C)], NoLocal,
            Mem(col, (long)g.PatchLength * g.Positions, "Col2Im", $"col (C·FH·FW, N·OH·OW) = ({g.PatchLength}, {g.Positions})"),
            Mem(dx, Pixels(g), "Col2Im", $"dx (N, C, H, W) = ({g.N}, {g.C}, {g.H}, {g.W})"),
            g.N, g.C, g.H, g.W, g.FH, g.FW, g.StrideH, g.StrideW, g.PadH, g.PadW, g.OH, g.OW);
    }

    public void MaxPoolForward(TensorStorage x, PoolingGeometry g, TensorStorage y, TensorStorage argmax)
    {
        const string op = "MaxPoolForward";
        g.Validate(op);
        device.Launch(PoolingKernels.Program, "max_pool_forward", OutputRange(g), NoLocal,
            Mem(x, Pixels(g), op, Input(g)), Mem(y, Outputs(g), op, Output(g, "y")), Mem(argmax, Outputs(g), op, Output(g, "argmax")),
            g.N * g.C, g.H, g.W, g.PH, g.PW, g.StrideH, g.StrideW, g.PadH, g.PadW, g.OH, g.OW);
    }

    public void MaxPoolBackward(TensorStorage dy, TensorStorage argmax, PoolingGeometry g, TensorStorage dx)
    {
        const string op = "MaxPoolBackward";
        g.Validate(op);
        device.Launch(PoolingKernels.Program, "max_pool_backward", InputRange(g), NoLocal,
            Mem(dy, Outputs(g), op, Output(g, "dy")), Mem(argmax, Outputs(g), op, Output(g, "argmax")), Mem(dx, Pixels(g), op, Input(g, "dx")),
            g.N * g.C, g.H, g.W, g.PH, g.PW, g.StrideH, g.StrideW, g.PadH, g.PadW, g.OH, g.OW);
    }

    public void AveragePoolForward(TensorStorage x, PoolingGeometry g, TensorStorage y)
    {
        const string op = "AveragePoolForward";
        g.Validate(op);
        device.Launch(PoolingKernels.Program, "average_pool_forward", OutputRange(g), NoLocal,
            Mem(x, Pixels(g), op, Input(g)), Mem(y, Outputs(g), op, Output(g, "y")),
            g.N * g.C, g.H, g.W, g.PH, g.PW, g.StrideH, g.StrideW, g.PadH, g.PadW, g.OH, g.OW);
    }

    public void AveragePoolBackward(TensorStorage dy, PoolingGeometry g, TensorStorage dx)
    {
        const string op = "AveragePoolBackward";
        g.Validate(op);
        device.Launch(PoolingKernels.Program, "average_pool_backward", InputRange(g), NoLocal,
            Mem(dy, Outputs(g), op, Output(g, "dy")), Mem(dx, Pixels(g), op, Input(g, "dx")),
            g.N * g.C, g.H, g.W, g.PH, g.PW, g.StrideH, g.StrideW, g.PadH, g.PadW, g.OH, g.OW);
    }

    // Pooling kernels run over (width, height, planes) so that no work-item divides to find its position.
    private static nuint[] OutputRange(PoolingGeometry g) => [Count(g.OW), Count(g.OH), Count((long)g.N * g.C)];
    private static nuint[] InputRange(PoolingGeometry g) => [Count(g.W), Count(g.H), Count((long)g.N * g.C)];

    private static long Pixels(ConvolutionGeometry g) => (long)g.N * g.C * g.H * g.W;
    private static long Pixels(PoolingGeometry g) => (long)g.N * g.C * g.H * g.W;
    private static long Outputs(PoolingGeometry g) => (long)g.N * g.C * g.OH * g.OW;
    private static string Input(PoolingGeometry g, string name = "x") => $"{name} (N, C, H, W) = ({g.N}, {g.C}, {g.H}, {g.W})";
    private static string Output(PoolingGeometry g, string name) => $"{name} (N, C, OH, OW) = ({g.N}, {g.C}, {g.OH}, {g.OW})";
}
