using System.Runtime.CompilerServices;

namespace CourseKit.Backends;

/// <summary>
/// The default backend: managed code on the host, SIMD through System.Numerics vectors,
/// every core (<see cref="CoreTeam"/>) where the work is large enough to pay for it.
/// </summary>
public sealed partial class CpuBackend : IComputeBackend
{
    public static readonly CpuBackend Instance = new();

    private CpuBackend() { }

    public Device Device => CpuDevice.Instance;

    internal static float[] Host(TensorStorage s) => s is CpuStorage c
        ? c.Array
        : throw new InvalidOperationException($"The CPU backend was given data that lives on {s.Device.Name}. Move it with .To(Device.Cpu) first.");

    public void Gemm(bool transA, bool transB, int m, int n, int k,
                     float alpha, TensorStorage a, int aOffset, int lda,
                     TensorStorage b, int bOffset, int ldb,
                     float beta, TensorStorage c, int cOffset, int ldc) =>
        CpuGemm.Run(transA, transB, m, n, k, alpha, Host(a).AsSpan(aOffset), lda, Host(b).AsSpan(bOffset), ldb, beta, Host(c).AsSpan(cOffset), ldc);

    public void Fill(TensorStorage y, int offset, int length, float value) => Host(y).AsSpan(offset, length).Fill(value);

    public void StridedCopy(TensorStorage x, int xOffset, ReadOnlySpan<int> xStrides,
                            TensorStorage y, int yOffset, ReadOnlySpan<int> yStrides, ReadOnlySpan<int> shape) =>
        CpuElementwise.StridedCopy(Host(x), xOffset, xStrides, Host(y), yOffset, yStrides, shape);

    public void Unary(UnaryOp op, TensorStorage x, TensorStorage y, int length, float alpha = 0f) =>
        CpuElementwise.Unary(op, Host(x).AsSpan(0, length), Host(y).AsSpan(0, length), alpha);

    public void Binary(BinaryOp op, TensorStorage a, ReadOnlySpan<int> aStrides, TensorStorage b, ReadOnlySpan<int> bStrides,
                       TensorStorage y, ReadOnlySpan<int> shape) =>
        CpuElementwise.Binary(op, Host(a), aStrides, Host(b), bStrides, Host(y), shape);

    public void BinaryScalar(BinaryOp op, TensorStorage a, float scalar, bool scalarFirst, TensorStorage y, int length) =>
        CpuElementwise.BinaryScalar(op, Host(a).AsSpan(0, length), scalar, scalarFirst, Host(y).AsSpan(0, length));

    public void Reduce(ReduceOp op, TensorStorage x, int outer, int axis, int inner, TensorStorage y) =>
        CpuElementwise.Reduce(op, Host(x), outer, axis, inner, Host(y));

    public void Im2Col(TensorStorage x, ConvolutionGeometry g, TensorStorage col) => CpuIm2Col.Im2Col(Host(x), g, Host(col));

    public void Col2Im(TensorStorage col, ConvolutionGeometry g, TensorStorage dx) => CpuIm2Col.Col2Im(Host(col), g, Host(dx));

    public void MaxPoolForward(TensorStorage x, PoolingGeometry g, TensorStorage y, TensorStorage argmax) =>
        CpuPooling.MaxForward(Host(x), g, Host(y), Host(argmax));

    public void MaxPoolBackward(TensorStorage dy, TensorStorage argmax, PoolingGeometry g, TensorStorage dx) =>
        CpuPooling.MaxBackward(Host(dy), Host(argmax), g, Host(dx));

    public void AveragePoolForward(TensorStorage x, PoolingGeometry g, TensorStorage y) =>
        CpuPooling.AverageForward(Host(x), g, Host(y));

    public void AveragePoolBackward(TensorStorage dy, PoolingGeometry g, TensorStorage dx) =>
        CpuPooling.AverageBackward(Host(dy), g, Host(dx));
}
