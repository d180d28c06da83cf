namespace CourseKit.Operations;

/// <summary>
/// Which of its ways <see cref="ConvolutionOperation"/> computes a convolution with; all give the numbers of
/// <see cref="ConvolutionOperation.Naive"/> up to rounding. The choice depends on the sizes and the device only:
/// <see cref="ConvolutionOperation.PathOf(ConvolutionGeometry, int, CourseKit.Backends.Device)"/> for the forward pass and
/// dF, <see cref="ConvolutionOperation.InputGradientPathOf"/> for dX. A <see cref="Layers.Convolution"/> shows the paths of
/// its last passes in <see cref="Layers.Convolution.Path"/> and <see cref="Layers.Convolution.InputGradientPath"/>.
/// </summary>
public enum ConvolutionPath
{
    /// <summary>
    /// Lecture 1.3 as written: the column matrix X̃ of the whole batch (im2col), then Y = F·X̃ + b image by image. Taken
    /// when X̃ fits in the cache (about 8 MB); a layer keeps X̃ for dF = dY·X̃ᵀ.
    /// </summary>
    ColumnMatrix,

    /// <summary>X̃ would not fit in the cache, and the backend (OpenCL) has no implicit path: X̃ is made a few images at a time.</summary>
    ColumnChunks,

    /// <summary>
    /// X̃ would not fit in the cache, and the backend multiplies without it: its GEMM reads the columns straight from the
    /// image (implicit im2col), so X̃ never exists in memory. On the CPU, when a stride (SH or SW) is above 1; on ILGPU, always.
    /// </summary>
    Implicit,

    /// <summary>
    /// As <see cref="Implicit"/>, for stride 1 along both axes on the CPU (the paddings PH and PW may differ): the image is padded once and every output row computed over the
    /// full padded width ("wide rows"), so that each row of X̃ is one contiguous stretch of the padded image.
    /// </summary>
    ImplicitWideRows,

    /// <summary>
    /// As <see cref="ImplicitWideRows"/>, for 3×3 filters with stride 1, the same padding along both axes and at least 8
    /// channels in and out on a CPU with AVX-512 (other geometries fall back to <see cref="ImplicitWideRows"/> or <see cref="Implicit"/>): Winograd's F(2×2, 3×3) computes each 2×2 block of outputs with 16 multiplications instead of 36.
    /// </summary>
    Winograd,
}
