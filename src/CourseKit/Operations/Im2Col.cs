using CourseKit.Backends;

namespace CourseKit.Operations;

/// <summary>
/// im2col (lecture 1.3): cut out of X every patch the filter meets and lay the patches out as rows of a matrix,
/// so that the convolution becomes one matrix product.
/// <list type="bullet">
/// <item><see cref="Simple"/> and <see cref="ViaXHat"/> are the lecture's two listings. They return the lecture's
/// X-tilde of shape (N·OH·OW, C·FH·FW): one row per output position (n, oh, ow), one column per filter weight (c, fh, fw).</item>
/// <item><see cref="Columns(Tensor, ConvolutionGeometry)"/> is the fast path the layers use: the backend's column matrix
/// (C·FH·FW, N·OH·OW), which is X-tilde transposed, so that Y = F · col needs no transpose of F.</item>
/// <item><see cref="Col2Im"/> is the adjoint: it adds every entry of a column matrix back onto the pixel it came from (lecture 2.1).</item>
/// </list>
/// Stride and padding are square (S, P) as in the lecture, or per axis, <c>(int H, int W) stride, (int H, int W) pad</c>,
/// as PyTorch's <c>unfold(x, (fh, fw), stride=(sh, sw), padding=(ph, pw))</c>.
/// </summary>
public static class Im2Col
{
    private const string Op = "im2col";

    /// <summary>
    /// The lecture's first listing: loop over the OH·OW output positions and copy the patch under the filter,
    /// <c>xt[oh, ow, :, :] = x[oh:oh + FH, ow:ow + FW]</c> (here for all images and channels at once, with stride and padding).
    /// </summary>
    public static Tensor Simple(Tensor x, int fh, int fw, int stride = 1, int pad = 0) =>
        Simple(x, fh, fw, (stride, stride), (pad, pad));

    /// <summary>The first listing with stride (SH, SW) and padding (PH, PW) per axis.</summary>
    public static Tensor Simple(Tensor x, int fh, int fw, (int H, int W) stride, (int H, int W) pad)
    {
        var g = Geometry(x.Shape, fh, fw, stride, pad);
        var xp = Padded(x, g);
        int hp = g.H + 2 * g.PadH, wp = g.W + 2 * g.PadW, k = g.PatchLength;
        // X-tilde viewed as (N, OH, OW, C, FH, FW)
        var xt = new Tensor([g.Positions, k], x.Device);
        for (int oh = 0; oh < g.OH; oh++)
        for (int ow = 0; ow < g.OW; ow++)
        {
            // xt[:, oh, ow, :, :, :] = xp[:, :, oh·SH : oh·SH + FH, ow·SW : ow·SW + FW]
            x.Backend.StridedCopy(
                xp.Storage, oh * g.StrideH * wp + ow * g.StrideW, [g.C * hp * wp, hp * wp, wp, 1],
                xt.Storage, (oh * g.OW + ow) * k, [g.OH * g.OW * k, fh * fw, fw, 1],
                [g.N, g.C, fh, fw]);
        }
        return xt;
    }

    /// <summary>
    /// The lecture's second listing: loop over the FH·FW filter positions, each time copying a whole OH×OW
    /// (strided) slice, <c>xh[fh, fw, :, :] = x[fh:fh + OH, fw:fw + OW]</c>, then transpose X-hat into X-tilde.
    /// </summary>
    public static Tensor ViaXHat(Tensor x, int fh, int fw, int stride = 1, int pad = 0) =>
        ViaXHat(x, fh, fw, (stride, stride), (pad, pad));

    /// <summary>The second listing with stride (SH, SW) and padding (PH, PW) per axis.</summary>
    public static Tensor ViaXHat(Tensor x, int fh, int fw, (int H, int W) stride, (int H, int W) pad)
    {
        var g = Geometry(x.Shape, fh, fw, stride, pad);
        var xh = XHat(x, g);
        // lecture 1.3: X-tilde[oh, ow, fh, fw] = X-hat[fh, fw, oh, ow], with the image n first and the channel c beside (fh, fw)
        return xh.Transpose(0, 4, 5, 1, 2, 3).Reshape(g.Positions, g.PatchLength);
    }

    /// <summary>X-hat of lecture 1.3 with mini-batch and channels: shape (N, C, FH, FW, OH, OW).</summary>
    public static Tensor XHat(Tensor x, int fh, int fw, int stride = 1, int pad = 0) =>
        XHat(x, Geometry(x.Shape, fh, fw, (stride, stride), (pad, pad)));

    /// <summary>X-hat with stride (SH, SW) and padding (PH, PW) per axis.</summary>
    public static Tensor XHat(Tensor x, int fh, int fw, (int H, int W) stride, (int H, int W) pad) =>
        XHat(x, Geometry(x.Shape, fh, fw, stride, pad));

    private static Tensor XHat(Tensor x, ConvolutionGeometry g)
    {
        var xp = Padded(x, g);
        int hp = g.H + 2 * g.PadH, wp = g.W + 2 * g.PadW, sh = g.StrideH, sw = g.StrideW, oh = g.OH, ow = g.OW;
        var xh = new Tensor([g.N, g.C, g.FH, g.FW, oh, ow], x.Device);
        for (int fh = 0; fh < g.FH; fh++)
        for (int fw = 0; fw < g.FW; fw++)
        {
            // xh[:, :, fh, fw, :, :] = xp[:, :, fh : fh + SH·OH : SH, fw : fw + SW·OW : SW]
            x.Backend.StridedCopy(
                xp.Storage, fh * wp + fw, [g.C * hp * wp, hp * wp, sh * wp, sw],
                xh.Storage, (fh * g.FW + fw) * oh * ow, [g.C * g.FH * g.FW * oh * ow, g.FH * g.FW * oh * ow, ow, 1],
                [g.N, g.C, oh, ow]);
        }
        return xh;
    }

    /// <summary>The backend's column matrix (C·FH·FW, N·OH·OW) = X-tilde transposed: what the layers use.</summary>
    public static Tensor Columns(Tensor x, int fh, int fw, int stride = 1, int pad = 0) =>
        Columns(x, Geometry(x.Shape, fh, fw, (stride, stride), (pad, pad)));

    /// <summary>The column matrix with stride (SH, SW) and padding (PH, PW) per axis.</summary>
    public static Tensor Columns(Tensor x, int fh, int fw, (int H, int W) stride, (int H, int W) pad) =>
        Columns(x, Geometry(x.Shape, fh, fw, stride, pad));

    /// <inheritdoc cref="Columns(Tensor, int, int, int, int)"/>
    public static Tensor Columns(Tensor x, ConvolutionGeometry g) => Columns(x, g, reuse: null);

    /// <summary>
    /// The column matrix written into <paramref name="reuse"/> when that already has its shape and device (a layer
    /// passes its matrix of the previous batch: one large allocation less per step), else into a new tensor.
    /// </summary>
    public static Tensor Columns(Tensor x, ConvolutionGeometry g, Tensor? reuse)
    {
        ShapeChecks.Exactly(Op, "input", x, [g.N, g.C, g.H, g.W], "this convolution geometry");
        var col = reuse is not null && reuse.Device == x.Device && reuse.Shape == new Shape(g.PatchLength, g.Positions)
            ? reuse
            : new Tensor([g.PatchLength, g.Positions], x.Device);
        x.Backend.Im2Col(x.Storage, g, col.Storage);
        return col;
    }

    /// <summary>
    /// col2im, the adjoint of <see cref="Columns(Tensor, ConvolutionGeometry)"/>: from a (C·FH·FW, N·OH·OW) matrix,
    /// dX[n, c, h, w] = the sum of all entries that im2col had copied from X[n, c, h, w] (lecture 2.1). Returns (N, C, H, W).
    /// </summary>
    public static Tensor Col2Im(Tensor col, ConvolutionGeometry g) => Col2Im(col, g, into: null);

    /// <summary>col2im into <paramref name="into"/> (N, C, H, W), which it overwrites, or into a new tensor when that is null.</summary>
    public static Tensor Col2Im(Tensor col, ConvolutionGeometry g, Tensor? into)
    {
        ShapeChecks.Exactly("col2im", "column matrix", col, [g.PatchLength, g.Positions], "this convolution geometry");
        if (into is not null) ShapeChecks.Exactly("col2im", "output", into, [g.N, g.C, g.H, g.W], "the image of this convolution geometry");
        var dx = into ?? new Tensor([g.N, g.C, g.H, g.W], col.Device);
        col.Backend.Col2Im(col.Storage, g, dx.Storage);
        return dx;
    }

    private static ConvolutionGeometry Geometry(Shape xShape, int fh, int fw, (int H, int W) stride, (int H, int W) pad)
    {
        ShapeChecks.Rank4(Op, "input", xShape, "(N, C, H, W)");
        return new ConvolutionGeometry(xShape[0], xShape[1], xShape[2], xShape[3], fh, fw, stride.H, stride.W, pad.H, pad.W).Validate(Op);
    }

    // lecture 1.2: a frame of zeros around every image, PH rows above and below, PW columns left and right (the input
    // itself when both are 0).
    private static Tensor Padded(Tensor x, ConvolutionGeometry g) =>
        g.PadH == 0 && g.PadW == 0 ? x : x.PadSpatial((g.PadH, g.PadW));
}
