namespace CourseKit.Backends;

/// <summary>
/// A GEMM operand B (k×n) that is never stored as a matrix: it writes its packed micro-panels itself whenever the
/// GEMM asks for a block. A convolution's column matrix is such an operand (<see cref="CpuImplicitConvolution"/>):
/// made panel by panel from the image, it lives only in the cache, never in memory.
/// </summary>
internal unsafe interface IPanelSource
{
    /// <summary>
    /// Writes B[p0..p0+kc, j0..j0+nc] exactly as <see cref="GemmPacking.PackB"/> packs a stored B:
    /// ⌈nc/nr⌉ micro-panels of kc×nr floats, step p of panel q holding the nr values B[p0 + p, j0 + q·nr ..], zero-padded.
    /// </summary>
    void PackB(int p0, int kc, int j0, int nc, int nr, float* dst);
}
