namespace CourseKit.Backends;

/// <summary>
/// Optional for a backend: convolution without a column matrix in memory (implicit im2col). When a batch's column
/// matrix would not fit in the cache, <see cref="Operations.ConvolutionOperation"/> uses these methods where the
/// backend has them, and im2col + GEMM a few images at a time otherwise. Same numbers as im2col + GEMM, up to rounding.
/// </summary>
public interface IImplicitConvolution
{
    /// <summary>Y (N, OC, OH, OW) = X (N, C, H, W) ⊗ F (OC, C, FH, FW) + b; <paramref name="bias"/> may be null. Overwrites y.</summary>
    void ConvolutionForward(TensorStorage x, ConvolutionGeometry g, TensorStorage f, int outChannels, TensorStorage? bias, TensorStorage y);

    /// <summary>dF (OC, C, FH, FW) = Σ_n dY_n · col_n^T (lecture 2.1). Overwrites df.</summary>
    void ConvolutionBackwardFilter(TensorStorage dy, TensorStorage x, ConvolutionGeometry g, int outChannels, TensorStorage df);

    /// <summary>dX (N, C, H, W) = col2im(F^T · dY) (lecture 2.1), overwriting dx; false (dx untouched) where the backend has no such path.</summary>
    bool TryConvolutionBackwardInput(TensorStorage dy, TensorStorage f, ConvolutionGeometry g, int outChannels, TensorStorage dx);
}
