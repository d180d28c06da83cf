namespace CourseKit.Backends;

/// <summary>
/// Sizes of one convolution on (N, C, H, W) input with (OC, C, FH, FW) filters, stride (SH, SW) and zero padding
/// (PH, PW) per axis (lecture 1.2–1.3; PyTorch's <c>stride=(sh, sw), padding=(ph, pw)</c>). The lecture's square
/// stride S and padding P are the common case: <c>new ConvolutionGeometry(N, C, H, W, FH, FW, S, P)</c>.
/// </summary>
public readonly record struct ConvolutionGeometry(int N, int C, int H, int W, int FH, int FW, int StrideH, int StrideW, int PadH, int PadW)
{
    /// <summary>The lecture's square stride S and padding P: the same along rows and columns.</summary>
    public ConvolutionGeometry(int n, int c, int h, int w, int fh, int fw, int stride, int pad)
        : this(n, c, h, w, fh, fw, stride, stride, pad, pad) { }

    /// <summary>lecture 1.2, per axis: OH = (H + 2·PH − FH) // SH + 1.</summary>
    public int OH => OutputLength(H, FH, PadH, StrideH);
    /// <summary>lecture 1.2, per axis: OW = (W + 2·PW − FW) // SW + 1.</summary>
    public int OW => OutputLength(W, FW, PadW, StrideW);

    /// <summary>Whether rows and columns have the same stride and the same padding (what some fast paths need).</summary>
    public bool IsSquare => StrideH == StrideW && PadH == PadW;

    /// <summary>Rows of the column matrix: C·FH·FW (one filter's worth of inputs).</summary>
    public int PatchLength => C * FH * FW;

    /// <summary>Number of output positions over the whole mini-batch: N·OH·OW.</summary>
    public int Positions => N * OH * OW;

    /// <summary>lecture 1.2: OH = (H + 2P − FH) // S + 1, along one axis.</summary>
    public static int OutputLength(int size, int filter, int pad, int stride) => (size + 2 * pad - filter) / stride + 1;

    /// <summary>Checks the numbers and throws an error that names them, and the axis at fault, when no output would fit.</summary>
    public ConvolutionGeometry Validate(string operation)
    {
        if (N <= 0 || C <= 0 || H <= 0 || W <= 0 || FH <= 0 || FW <= 0)
            throw new ArgumentException($"{operation}: all sizes must be positive (N={N}, C={C}, H={H}, W={W}, FH={FH}, FW={FW}).");
        if (StrideH <= 0 || StrideW <= 0)
            throw new ArgumentException($"{operation}: stride must be at least 1 along each axis, got (SH, SW) = ({StrideH}, {StrideW}).");
        if (PadH < 0 || PadW < 0)
            throw new ArgumentException($"{operation}: padding cannot be negative, got (PH, PW) = ({PadH}, {PadW}).");
        bool rowsFit = H + 2 * PadH >= FH, columnsFit = W + 2 * PadW >= FW;
        if (!rowsFit || !columnsFit)
            throw new ArgumentException(
                $"{operation}: a {FH}x{FW} filter does not fit a {H}x{W} input with padding (PH, PW) = ({PadH}, {PadW}): " +
                (rowsFit ? "" : $"OH = (H + 2*PH - FH) // SH + 1 = ({H} + 2*{PadH} - {FH}) // {StrideH} + 1 = {OutputLengthSigned(H, FH, PadH, StrideH)}") +
                (rowsFit || columnsFit ? "" : ", ") +
                (columnsFit ? "" : $"OW = (W + 2*PW - FW) // SW + 1 = ({W} + 2*{PadW} - {FW}) // {StrideW} + 1 = {OutputLengthSigned(W, FW, PadW, StrideW)}") +
                "; it must be at least 1.");
        return this;
    }

    /// <summary>"stride 2 and padding 1", or per axis "stride (1, 2) and padding (0, 1)": for error messages.</summary>
    public string StrideAndPadding => Describe(StrideH, StrideW, PadH, PadW);

    internal static string Describe(int strideH, int strideW, int padH, int padW) =>
        $"stride {Pair(strideH, strideW)} and padding {Pair(padH, padW)}";

    private static string Pair(int h, int w) => h == w ? $"{h}" : $"({h}, {w})";

    // Python-style floor division so that the message shows the number the lecture's formula gives.
    private static int OutputLengthSigned(int size, int filter, int pad, int stride) => (int)Math.Floor((size + 2.0 * pad - filter) / stride) + 1;
}

/// <summary>
/// Sizes of one pooling on (N, C, H, W) input with a PH×PW frame, stride (StrideH, StrideW) and zero padding
/// (PadH, PadW) per axis (lecture 1.5; PyTorch's <c>stride=(sh, sw), padding=(ph, pw)</c>).
/// </summary>
public readonly record struct PoolingGeometry(int N, int C, int H, int W, int PH, int PW, int StrideH, int StrideW, int PadH, int PadW)
{
    /// <summary>The lecture's square stride S and padding P: the same along rows and columns.</summary>
    public PoolingGeometry(int n, int c, int h, int w, int ph, int pw, int stride, int pad)
        : this(n, c, h, w, ph, pw, stride, stride, pad, pad) { }

    public int OH => ConvolutionGeometry.OutputLength(H, PH, PadH, StrideH);
    public int OW => ConvolutionGeometry.OutputLength(W, PW, PadW, StrideW);

    /// <summary>"stride 2 and padding 1", or per axis "stride (1, 2) and padding (0, 1)": for error messages.</summary>
    public string StrideAndPadding => ConvolutionGeometry.Describe(StrideH, StrideW, PadH, PadW);

    public PoolingGeometry Validate(string operation)
    {
        new ConvolutionGeometry(N, C, H, W, PH, PW, StrideH, StrideW, PadH, PadW).Validate(operation);
        return this;
    }
}
