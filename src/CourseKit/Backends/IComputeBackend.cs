namespace CourseKit.Backends;

/// <summary>Elementwise functions of one argument; <c>alpha</c> is the parameter where one is needed.</summary>
public enum UnaryOp { Copy, Negate, Abs, Square, Sqrt, Exp, Log, Reciprocal, Relu, LeakyRelu, Elu, Sigmoid, Tanh, Softsign }

/// <summary>Elementwise functions of two arguments.</summary>
public enum BinaryOp { Add, Subtract, Multiply, Divide, Maximum, Minimum, Power }

/// <summary>Reductions over one axis.</summary>
public enum ReduceOp { Sum, Max, Min, ArgMax, ArgMin }

/// <summary>
/// The one narrow interface every heavy operation goes through. A backend computes on the
/// storages of its own device only. The CPU backend is the default; an OpenCL (or ILGPU) backend
/// implements the same methods, so layers and notebooks never change.
/// All matrices are row-major. Storages are contiguous float32.
/// </summary>
public partial interface IComputeBackend
{
    Device Device { get; }

    /// <summary>C = alpha·op(A)·op(B) + beta·C with op(A): m×k, op(B): k×n, C: m×n (row-major, leading dimensions in elements).</summary>
    void Gemm(bool transA, bool transB, int m, int n, int k,
              float alpha, TensorStorage a, int aOffset, int lda,
              TensorStorage b, int bOffset, int ldb,
              float beta, TensorStorage c, int cOffset, int ldc);

    /// <summary>Sets <paramref name="length"/> elements from <paramref name="offset"/> to <paramref name="value"/>.</summary>
    void Fill(TensorStorage y, int offset, int length, float value);

    /// <summary>
    /// y[yOffset + Σ i_d·yStrides[d]] = x[xOffset + Σ i_d·xStrides[d]] over all indices of <paramref name="shape"/>.
    /// Covers transpose, slicing, slice assignment and padding.
    /// </summary>
    void StridedCopy(TensorStorage x, int xOffset, ReadOnlySpan<int> xStrides,
                     TensorStorage y, int yOffset, ReadOnlySpan<int> yStrides, ReadOnlySpan<int> shape);

    /// <summary>y = f(x) elementwise over the first <paramref name="length"/> elements.</summary>
    void Unary(UnaryOp op, TensorStorage x, TensorStorage y, int length, float alpha = 0f);

    /// <summary>
    /// y = a ∘ b with NumPy broadcasting: y is contiguous with <paramref name="shape"/>; a and b are read
    /// through strides in which broadcast axes have stride 0.
    /// </summary>
    void Binary(BinaryOp op, TensorStorage a, ReadOnlySpan<int> aStrides, TensorStorage b, ReadOnlySpan<int> bStrides,
                TensorStorage y, ReadOnlySpan<int> shape);

    /// <summary>y = a ∘ s (or s ∘ a when <paramref name="scalarFirst"/>) over the first <paramref name="length"/> elements.</summary>
    void BinaryScalar(BinaryOp op, TensorStorage a, float scalar, bool scalarFirst, TensorStorage y, int length);

    /// <summary>
    /// Reduces x viewed as (outer, axis, inner) over its middle axis into y viewed as (outer, inner).
    /// ArgMax/ArgMin write the index along the axis as a float.
    /// </summary>
    void Reduce(ReduceOp op, TensorStorage x, int outer, int axis, int inner, TensorStorage y);

    /// <summary>
    /// Column matrix of a convolution (lecture 1.3): col has shape (C·FH·FW, N·OH·OW), the transpose of
    /// the lecture's X-tilde, so that Y = F·col is one GEMM. Rows are ordered (c, fh, fw), columns (n, oh, ow).
    /// </summary>
    void Im2Col(TensorStorage x, ConvolutionGeometry g, TensorStorage col);

    /// <summary>The adjoint of <see cref="Im2Col"/>: dx (N,C,H,W) = Σ of col entries over the positions they came from. Overwrites dx.</summary>
    void Col2Im(TensorStorage col, ConvolutionGeometry g, TensorStorage dx);

    /// <summary>Max pooling forward; argmax receives, per output, the flat index ph·PW+pw inside the frame (lecture 2.3).</summary>
    void MaxPoolForward(TensorStorage x, PoolingGeometry g, TensorStorage y, TensorStorage argmax);

    /// <summary>Routes dy to the argmax of each frame; overwrites dx.</summary>
    void MaxPoolBackward(TensorStorage dy, TensorStorage argmax, PoolingGeometry g, TensorStorage dx);

    /// <summary>Average pooling forward (padding counts as zeros in the mean).</summary>
    void AveragePoolForward(TensorStorage x, PoolingGeometry g, TensorStorage y);

    /// <summary>Spreads dy / (PH·PW) over each frame; overwrites dx.</summary>
    void AveragePoolBackward(TensorStorage dy, PoolingGeometry g, TensorStorage dx);
}
