namespace CourseKit.Backends;

/// <summary>
/// Sizes of one convolution on (N, C, H, W) input with (OC, C, FH, FW) filters,
/// square stride S and zero padding P (lecture 1.2–1.3).
/// </summary>
public readonly record struct ConvolutionGeometry(int N, int C, int H, int W, int FH, int FW, int Stride, int Pad)
{
    public int OH => OutputLength(H, FH, Pad, Stride);
    public int OW => OutputLength(W, FW, Pad, Stride);

    /// <summary>Rows of the column matrix: C·FH·FW (one filter's worth of inputs).</summary>
    public int PatchLength => C * FH * FW;

    /// <summary>Number of output positions over the whole mini-batch: N·OH·OW.</summary>
    public int Positions => N * OH * OW;

    /// <summary>lecture 1.2: OH = (H + 2P − FH) // S + 1.</summary>
    public static int OutputLength(int size, int filter, int pad, int stride) => (size + 2 * pad - filter) / stride + 1;

    /// <summary>Checks the numbers and throws an error that names them when no output would fit.</summary>
    public ConvolutionGeometry Validate(string operation)
    {
        if (N <= 0 || C <= 0 || H <= 0 || W <= 0 || FH <= 0 || FW <= 0)
            throw new ArgumentException($"{operation}: all sizes must be positive (N={N}, C={C}, H={H}, W={W}, FH={FH}, FW={FW}).");
        if (Stride <= 0) throw new ArgumentException($"{operation}: stride must be at least 1, got {Stride}.");
        if (Pad < 0) throw new ArgumentException($"{operation}: padding cannot be negative, got {Pad}.");
        if (H + 2 * Pad < FH || W + 2 * Pad < FW)
            throw new ArgumentException(
                $"{operation}: a {FH}x{FW} filter does not fit a {H}x{W} input with padding {Pad}: " +
                $"OH = ({H} + 2*{Pad} - {FH}) // {Stride} + 1 = {OutputLengthSigned(H, FH)}, " +
                $"OW = ({W} + 2*{Pad} - {FW}) // {Stride} + 1 = {OutputLengthSigned(W, FW)}; both must be at least 1.");
        return this;
    }

    // Python-style floor division so that the message shows the number the lecture's formula gives.
    private int OutputLengthSigned(int size, int filter) => (int)Math.Floor((size + 2.0 * Pad - filter) / Stride) + 1;
}

/// <summary>
/// Sizes of one pooling on (N, C, H, W) input with a PH×PW frame, stride and zero padding (lecture 1.5).
/// </summary>
public readonly record struct PoolingGeometry(int N, int C, int H, int W, int PH, int PW, int Stride, int Pad)
{
    public int OH => ConvolutionGeometry.OutputLength(H, PH, Pad, Stride);
    public int OW => ConvolutionGeometry.OutputLength(W, PW, Pad, Stride);

    public PoolingGeometry Validate(string operation)
    {
        new ConvolutionGeometry(N, C, H, W, PH, PW, Stride, Pad).Validate(operation);
        return this;
    }
}
