using CourseKit.Backends;

namespace CourseKit.Operations;

/// <summary>
/// Transposed convolution ("deconvolution", lecture 5.3): makes images larger. X (N, C_in, H, W) and a filter
/// F (C_in, C_out, FH, FW) give Y (N, C_out, OH, OW) with OH = (H − 1)·S − 2P + FH, OW = (W − 1)·S − 2P + FW,
/// where S and P are the stride and padding of the convolution that would take Y back to X's size (square, or per axis
/// as PyTorch's <c>stride=(sh, sw), padding=(ph, pw), output_padding=(oph, opw)</c>: every method has both forms).
/// With stride S, S sizes of Y all go back to the same H (the convolution's // rounds down); the output padding
/// OP (0 ≤ OP &lt; S) picks one of them by adding OP rows and columns at the bottom and right: OH = (H − 1)·S − 2P + FH + OP.
/// <para>
/// Two forms, equal once the filter is rotated by 180 degrees:
/// <see cref="Lecture"/> dilates X by S, pads it with FH − 1 − P zeros and correlates it with F as printed in the lecture;
/// <see cref="Forward"/> is the gradient of a convolution with respect to its input (col2im of F^T·X, no multiplications
/// by the dilated zeros), which is the convention of PyTorch's ConvTranspose2d.
/// The library's transposed-convolution layer uses <see cref="Forward"/> and its filter layout (C_in, C_out, FH, FW):
/// Lecture(x, f) = Forward(x, Rotate180(f)).
/// </para>
/// </summary>
public static class TransposedConvolution
{
    private const string Op = "ConvTranspose2d";

    /// <summary>OH = (H − 1)·S − 2P + FH + OP (and the same for OW): the size a convolution with stride S and padding P takes back to H.</summary>
    public static (int OH, int OW) OutputSize(int h, int w, int fh, int fw, int pad = 0, int stride = 1, int outputPadding = 0) =>
        OutputSize(h, w, fh, fw, (pad, pad), (stride, stride), (outputPadding, outputPadding));

    /// <summary>Per axis: OH = (H − 1)·SH − 2·PH + FH + OPH, OW = (W − 1)·SW − 2·PW + FW + OPW.</summary>
    public static (int OH, int OW) OutputSize(int h, int w, int fh, int fw, (int H, int W) pad, (int H, int W) stride, (int H, int W) outputPadding)
    {
        if (h <= 0 || w <= 0 || fh <= 0 || fw <= 0 || stride.H <= 0 || stride.W <= 0 || pad.H < 0 || pad.W < 0)
            throw new ArgumentException($"{Op}: sizes and stride must be positive and padding non-negative " +
                                        $"(H={h}, W={w}, FH={fh}, FW={fw}, {ConvolutionGeometry.Describe(stride.H, stride.W, pad.H, pad.W)}).");
        int oh = Length("OH", "H", h, fh, pad.H, stride.H, outputPadding.H), ow = Length("OW", "W", w, fw, pad.W, stride.W, outputPadding.W);
        return (oh, ow);
    }

    // One axis: (size − 1)·S − 2P + F + OP, with errors that name the axis.
    private static int Length(string output, string input, int size, int filter, int pad, int stride, int outputPadding)
    {
        // OP ≥ S would be a size the convolution does not take back to the input's size.
        if (outputPadding < 0 || outputPadding >= stride)
            throw new ArgumentException($"{Op}: output padding must be in 0..S-1 = 0..{stride - 1} along {input} (it picks one of the {stride} " +
                                        $"sizes a stride-{stride} convolution takes back to {input}), got {outputPadding}.");
        int length = (size - 1) * stride - 2 * pad + filter + outputPadding;
        if (length < 1)
            throw new ArgumentException(
                $"{Op}: padding {pad} crops everything along {input}: {output} = ({size} - 1)*{stride} - 2*{pad} + {filter}" +
                (outputPadding > 0 ? $" + {outputPadding}" : "") + $" = {length}; it must be at least 1.");
        return length;
    }

    /// <summary>
    /// The geometry of the convolution this operation transposes: its input is the output Y (N, C_out, OH, OW)
    /// and its output has X's size H×W.
    /// </summary>
    public static ConvolutionGeometry Geometry(Shape xShape, Shape fShape, int stride = 1, int pad = 0, int outputPadding = 0) =>
        Geometry(xShape, fShape, (stride, stride), (pad, pad), (outputPadding, outputPadding));

    /// <summary>The same with stride, padding and output padding per axis (PyTorch's <c>stride=(sh, sw), padding=(ph, pw), output_padding=(oph, opw)</c>).</summary>
    public static ConvolutionGeometry Geometry(Shape xShape, Shape fShape, (int H, int W) stride, (int H, int W) pad, (int H, int W) outputPadding)
    {
        ShapeChecks.Rank4(Op, "input", xShape, "(N, C_in, H, W)");
        ShapeChecks.Rank4(Op, "filter", fShape, "(C_in, C_out, FH, FW)");
        if (xShape[1] != fShape[0])
            throw new ArgumentException(
                $"{Op}: input has {xShape[1]} channels but the filter expects {fShape[0]} " +
                $"(input {ShapeChecks.Compact(xShape)}, filter {ShapeChecks.Compact(fShape)})");
        var (oh, ow) = OutputSize(xShape[2], xShape[3], fShape[2], fShape[3], pad, stride, outputPadding);
        return new ConvolutionGeometry(xShape[0], fShape[1], oh, ow, fShape[2], fShape[3], stride.H, stride.W, pad.H, pad.W).Validate(Op);
    }

    /// <summary>
    /// lecture 5.3, as printed: dilate X (S − 1 zeros between neighbours), pad it with FH − 1 − P zeros, then the
    /// ordinary convolution ⊗ with F unflipped. (When P > FH − 1 that "padding" is negative: the border is cut off instead.)
    /// The output padding OP adds OP more zero rows and columns at the bottom and right of the dilated image.
    /// </summary>
    public static Tensor Lecture(Tensor x, Tensor f, int stride = 1, int pad = 0, int outputPadding = 0) =>
        Lecture(x, f, (stride, stride), (pad, pad), (outputPadding, outputPadding));

    /// <summary>The lecture's form with stride, padding and output padding per axis: rows dilated by SH, columns by SW.</summary>
    public static Tensor Lecture(Tensor x, Tensor f, (int H, int W) stride, (int H, int W) pad, (int H, int W) outputPadding)
    {
        var g = Geometry(x.Shape, f.Shape, stride, pad, outputPadding);
        var (n, cin, h, w) = x.Shape;
        int qh = g.FH - 1 - pad.H, qw = g.FW - 1 - pad.W;
        // The dilated, padded image is exactly big enough for an OH×OW output of a stride-1 convolution.
        int hd = g.H + g.FH - 1, wd = g.W + g.FW - 1;
        // X[i, j] goes to (qh + i·SH, qw + j·SW); everything else stays 0. Rows/columns that fall outside are cut off.
        var (i0, i1) = Inside(qh, stride.H, h, hd);
        var (j0, j1) = Inside(qw, stride.W, w, wd);
        var dilated = new Tensor([n, cin, hd, wd], x.Device);
        if (i0 < i1 && j0 < j1)
            x.Backend.StridedCopy(x.Storage, i0 * w + j0, [cin * h * w, h * w, w, 1],
                                  dilated.Storage, (qh + i0 * stride.H) * wd + qw + j0 * stride.W,
                                  [cin * hd * wd, hd * wd, stride.H * wd, stride.W],
                                  [n, cin, i1 - i0, j1 - j0]);
        // The convolution sums over its second filter axis, here C_in: (C_in, C_out, ...) -> (C_out, C_in, ...).
        return ConvolutionOperation.Naive(dilated, f.Transpose(1, 0, 2, 3));
    }

    // The input indices i in [0, count) whose place offset + i·stride lies in [0, size).
    private static (int First, int End) Inside(int offset, int stride, int count, int size)
    {
        int first = offset >= 0 ? 0 : (-offset + stride - 1) / stride;
        int end = Math.Min(count, size - offset <= 0 ? 0 : (size - offset + stride - 1) / stride);
        return (first, end);
    }

    /// <summary>
    /// The efficient form (PyTorch's ConvTranspose2d): the gradient of a convolution with stride S and padding P with
    /// respect to its input, Y = col2im(F^T · X) + b. Each input pixel adds X[n, ci, i, j]·F[ci, :, :, :] into Y at (i·S − P, j·S − P).
    /// </summary>
    public static Tensor Forward(Tensor x, Tensor f, Tensor? b = null, int stride = 1, int pad = 0, int outputPadding = 0) =>
        Forward(x, f, b, (stride, stride), (pad, pad), (outputPadding, outputPadding));

    /// <summary>
    /// The efficient form with stride, padding and output padding per axis: PyTorch's
    /// <c>conv_transpose2d(x, f, b, stride=(sh, sw), padding=(ph, pw), output_padding=(oph, opw))</c>.
    /// </summary>
    public static Tensor Forward(Tensor x, Tensor f, Tensor? b, (int H, int W) stride, (int H, int W) pad, (int H, int W) outputPadding)
    {
        var g = Geometry(x.Shape, f.Shape, stride, pad, outputPadding);
        ShapeChecks.Bias(Op, b, g.C, f.Shape);
        Tensor.SameDevice(Op, x, f);
        // F (C_in, C_out, FH, FW) is exactly the filter (OC, C, FH, FW) of the convolution from Y's size to X's size.
        var y = ConvolutionOperation.BackwardInput(x, f, g);
        return b is null ? y : y + b.Reshape(1, g.C, 1, 1);
    }

    /// <summary>dX: transposing twice gives back the convolution, so dX = dY ⊗ F with the same stride and padding.</summary>
    public static Tensor BackwardInput(Tensor dy, Tensor f, Shape xShape, int stride = 1, int pad = 0, int outputPadding = 0) =>
        BackwardInput(dy, f, xShape, (stride, stride), (pad, pad), (outputPadding, outputPadding));

    /// <summary>dX with stride, padding and output padding per axis.</summary>
    public static Tensor BackwardInput(Tensor dy, Tensor f, Shape xShape, (int H, int W) stride, (int H, int W) pad, (int H, int W) outputPadding)
    {
        var g = Geometry(xShape, f.Shape, stride, pad, outputPadding);
        ShapeChecks.Exactly(Op, "output gradient", dy, [g.N, g.C, g.H, g.W], $"input {ShapeChecks.Compact(xShape)} with {g.StrideAndPadding}");
        return ConvolutionOperation.Forward(dy, f, null, stride, pad);
    }

    /// <summary>dF: the filter gradient of the same convolution with the roles of input and output gradient swapped; returns (C_in, C_out, FH, FW).</summary>
    public static Tensor BackwardFilter(Tensor dy, Tensor x, Shape fShape, int stride = 1, int pad = 0, int outputPadding = 0) =>
        BackwardFilter(dy, x, fShape, (stride, stride), (pad, pad), (outputPadding, outputPadding));

    /// <summary>dF with stride, padding and output padding per axis.</summary>
    public static Tensor BackwardFilter(Tensor dy, Tensor x, Shape fShape, (int H, int W) stride, (int H, int W) pad, (int H, int W) outputPadding)
    {
        var g = Geometry(x.Shape, fShape, stride, pad, outputPadding);
        ShapeChecks.Exactly(Op, "output gradient", dy, [g.N, g.C, g.H, g.W], $"input {ShapeChecks.Compact(x.Shape)} with {g.StrideAndPadding}");
        return ConvolutionOperation.BackwardFilter(x, Im2Col.Columns(dy, g), g);
    }

    /// <summary>db[co] = Σ over n, oh, ow of dY[n, co, oh, ow], as for the convolution.</summary>
    public static Tensor BackwardBias(Tensor dy) => ConvolutionOperation.BackwardBias(dy);

    /// <summary>F rotated by 180 degrees in its two spatial axes: turns the lecture's form into the efficient one and back.</summary>
    public static Tensor Rotate180(Tensor f)
    {
        ShapeChecks.Rank4("Rotate180", "filter", f.Shape, "(C_in, C_out, FH, FW)");
        var (a, b, fh, fw) = f.Shape;
        var r = new Tensor(f.Shape, f.Device);
        // read F[.., FH-1-i, FW-1-j] with negative strides
        f.Backend.StridedCopy(f.Storage, (fh - 1) * fw + fw - 1, [b * fh * fw, fh * fw, -fw, -1], r.Storage, 0, [b * fh * fw, fh * fw, fw, 1], [a, b, fh, fw]);
        return r;
    }
}
