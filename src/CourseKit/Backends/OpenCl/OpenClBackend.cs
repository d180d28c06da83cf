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

    public void Gemm(bool transA, bool transB, int m, int n, int k,
                     float alpha, TensorStorage a, int aOffset, int lda,
                     TensorStorage b, int bOffset, int ldb,
                     float beta, TensorStorage c, int cOffset, int ldc)
    {
        nuint tile = (nuint)device.GemmTile;
        device.Launch(GemmKernels.Program, "gemm_tiled", [Count(n), Count(m)], [tile, tile],
            transA, transB, m, n, k, alpha, Mem(a, "Gemm"), aOffset, lda, Mem(b, "Gemm"), bOffset, ldb, beta, Mem(c, "Gemm"), cOffset, ldc);
    }

    /// <summary>The one-work-item-per-element GEMM: the reference the tiled kernel is tested against.</summary>
    internal void GemmNaive(bool transA, bool transB, int m, int n, int k,
                            float alpha, TensorStorage a, int aOffset, int lda,
                            TensorStorage b, int bOffset, int ldb,
                            float beta, TensorStorage c, int cOffset, int ldc) =>
        device.Launch(GemmKernels.Program, "gemm_naive", [Count(n), Count(m)], NoLocal,
            transA, transB, m, n, k, alpha, Mem(a, "Gemm"), aOffset, lda, Mem(b, "Gemm"), bOffset, ldb, beta, Mem(c, "Gemm"), cOffset, ldc);

    public unsafe void Fill(TensorStorage y, int offset, int length, float value)
    {
        var buffer = Mem(y, "Fill").Buffer;
        if (length <= 0) return;
        int error = clEnqueueFillBuffer(device.Queue.Value, buffer.Value, &value, sizeof(float),
            (nuint)offset * sizeof(float), (nuint)length * sizeof(float), 0, null, null);
        if (error != 0) throw new OpenClException("clEnqueueFillBuffer", error, $"{length} floats at offset {offset} on {device}");
        GC.KeepAlive(buffer);
    }

    public void StridedCopy(TensorStorage x, int xOffset, ReadOnlySpan<int> xStrides,
                            TensorStorage y, int yOffset, ReadOnlySpan<int> yStrides, ReadOnlySpan<int> shape)
    {
        var (dims, strides, total) = Axes.Simplify("StridedCopy", shape, xStrides, yStrides);
        device.Launch(ElementwiseKernels.Program, "strided_copy", [Count(total)], NoLocal,
            Mem(x, "StridedCopy"), xOffset, strides[0], Mem(y, "StridedCopy"), yOffset, strides[1], dims.Vector, dims.Rank, total);
    }

    public unsafe void Unary(UnaryOp op, TensorStorage x, TensorStorage y, int length, float alpha = 0f)
    {
        var source = Mem(x, $"Unary({op})");
        var target = Mem(y, $"Unary({op})");
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
        var (dims, strides, total) = Axes.Simplify($"Binary({op})", shape, aStrides, bStrides, yStrides);
        device.Launch(ElementwiseKernels.Program, "binary", [Count(total)], NoLocal,
            (int)op, Mem(a, $"Binary({op})"), strides[0], Mem(b, $"Binary({op})"), strides[1], Mem(y, $"Binary({op})"), dims.Vector, dims.Rank, total);
    }

    public void BinaryScalar(BinaryOp op, TensorStorage a, float scalar, bool scalarFirst, TensorStorage y, int length) =>
        device.Launch(ElementwiseKernels.Program, "binary_scalar", [Count(length)], NoLocal,
            (int)op, Mem(a, $"BinaryScalar({op})"), scalar, scalarFirst, Mem(y, $"BinaryScalar({op})"), length);

    public void Reduce(ReduceOp op, TensorStorage x, int outer, int axis, int inner, TensorStorage y)
    {
        var source = Mem(x, $"Reduce({op})");
        var target = Mem(y, $"Reduce({op})");
        long outputs = (long)outer * inner;
        // Few outputs over a long axis: a work-group per output; otherwise a work-item per output.
        if (outputs < 4L * device.ComputeUnits * device.ReduceGroup && axis >= 4 * device.ReduceGroup)
        {
            nuint group = (nuint)device.ReduceGroup;
            device.Launch(ReductionKernels.Program, "reduce_axis_group", [Count(outputs) * group], [group], (int)op, source, outer, axis, inner, target);
        }
        else device.Launch(ReductionKernels.Program, "reduce_axis", [Count(outputs)], NoLocal, (int)op, source, outer, axis, inner, target);
    }

    public void Im2Col(TensorStorage x, ConvolutionGeometry g, TensorStorage col) =>
        device.Launch(Im2ColKernels.Program, "im2col", [Count((long)g.PatchLength * g.Positions)], NoLocal,
            Mem(x, "Im2Col"), Mem(col, "Im2Col"), g.N, g.C, g.H, g.W, g.FH, g.FW, g.Stride, g.Pad, g.OH, g.OW);

    public void Col2Im(TensorStorage col, ConvolutionGeometry g, TensorStorage dx) =>
        device.Launch(Im2ColKernels.Program, "col2im", [Count((long)g.N * g.C * g.H * g.W)], NoLocal,
            Mem(col, "Col2Im"), Mem(dx, "Col2Im"), g.N, g.C, g.H, g.W, g.FH, g.FW, g.Stride, g.Pad, g.OH, g.OW);

    public void MaxPoolForward(TensorStorage x, PoolingGeometry g, TensorStorage y, TensorStorage argmax) =>
        device.Launch(PoolingKernels.Program, "max_pool_forward", [Count((long)g.N * g.C * g.OH * g.OW)], NoLocal,
            Mem(x, "MaxPoolForward"), Mem(y, "MaxPoolForward"), Mem(argmax, "MaxPoolForward"),
            g.N * g.C, g.H, g.W, g.PH, g.PW, g.Stride, g.Pad, g.OH, g.OW);

    public void MaxPoolBackward(TensorStorage dy, TensorStorage argmax, PoolingGeometry g, TensorStorage dx) =>
        device.Launch(PoolingKernels.Program, "max_pool_backward", [Count((long)g.N * g.C * g.H * g.W)], NoLocal,
            Mem(dy, "MaxPoolBackward"), Mem(argmax, "MaxPoolBackward"), Mem(dx, "MaxPoolBackward"),
            g.N * g.C, g.H, g.W, g.PH, g.PW, g.Stride, g.Pad, g.OH, g.OW);

    public void AveragePoolForward(TensorStorage x, PoolingGeometry g, TensorStorage y) =>
        device.Launch(PoolingKernels.Program, "average_pool_forward", [Count((long)g.N * g.C * g.OH * g.OW)], NoLocal,
            Mem(x, "AveragePoolForward"), Mem(y, "AveragePoolForward"),
            g.N * g.C, g.H, g.W, g.PH, g.PW, g.Stride, g.Pad, g.OH, g.OW);

    public void AveragePoolBackward(TensorStorage dy, PoolingGeometry g, TensorStorage dx) =>
        device.Launch(PoolingKernels.Program, "average_pool_backward", [Count((long)g.N * g.C * g.H * g.W)], NoLocal,
            Mem(dy, "AveragePoolBackward"), Mem(dx, "AveragePoolBackward"),
            g.N * g.C, g.H, g.W, g.PH, g.PW, g.Stride, g.Pad, g.OH, g.OW);
}
