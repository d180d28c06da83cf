using CourseKit.Backends;

namespace CourseKit.Operations;

/// <summary>
/// The result of max pooling: the output and, per output, where its maximum sat in the frame (ph·PW + pw). With
/// <see cref="PoolingOptions"/> other than the lecture's, <see cref="Geometry"/> is that of the input padded explicitly
/// (pad 0), the way the kernels ran it.
/// </summary>
public readonly record struct MaxPoolingResult(Tensor Y, Tensor Argmax, PoolingGeometry Geometry)
{
    private readonly PoolingOptions? options;

    /// <summary>The border rules the pooling followed (the lecture's unless given).</summary>
    public PoolingOptions Options { get => options ?? PoolingOptions.Lecture; init => options = value; }

    /// <summary>The pooling as asked for (the input's own size and padding), where the gradient is cropped back to.</summary>
    internal PoolingGeometry Requested { get; init; }
}

/// <summary>
/// The result of average pooling: the output and the geometry the kernels ran, as <see cref="MaxPoolingResult"/> has them
/// (average pooling needs no argmax: every cell of a frame receives the same share of dY). With
/// <see cref="PoolingOptions"/> other than the lecture's, <see cref="Geometry"/> is that of the input padded explicitly.
/// </summary>
public readonly record struct AveragePoolingResult(Tensor Y, PoolingGeometry Geometry)
{
    private readonly PoolingOptions? options;

    /// <summary>The border rules the pooling followed (the lecture's unless given).</summary>
    public PoolingOptions Options { get => options ?? PoolingOptions.Lecture; init => options = value; }

    /// <summary>The pooling as asked for (the input's own size and padding), where the gradient is cropped back to.</summary>
    internal PoolingGeometry Requested { get; init; }
}

/// <summary>
/// Pooling (lecture 1.5) and its gradients (lecture 2.3) on (N, C, H, W): a frame slides over every channel of every
/// image on its own (pooling is per channel and has no parameters), keeping the maximum or the mean.
/// The frame is square with stride = frame size by default, as in the lecture; rectangular frames, other strides and
/// zero padding are allowed, square (S, P) or per axis as PyTorch's <c>stride=(sh, sw), padding=(ph, pw)</c>: every method
/// that takes <c>int stride, int pad</c> also takes <c>(int H, int W) stride, (int H, int W) pad</c>.
/// </summary>
public static class PoolingOperation
{
    /// <summary>Checks the numbers and returns the sizes of one pooling of an (N, C, H, W) input.</summary>
    public static PoolingGeometry Geometry(Shape xShape, int ph, int pw, int stride, int pad = 0, string operation = "MaxPool2d") =>
        Geometry(xShape, ph, pw, (stride, stride), (pad, pad), operation);

    /// <summary>The same with stride (SH, SW) and padding (PH, PW) per axis.</summary>
    public static PoolingGeometry Geometry(Shape xShape, int ph, int pw, (int H, int W) stride, (int H, int W) pad, string operation = "MaxPool2d")
    {
        ShapeChecks.Rank4(operation, "input", xShape, "(N, C, H, W)");
        return new PoolingGeometry(xShape[0], xShape[1], xShape[2], xShape[3], ph, pw, stride.H, stride.W, pad.H, pad.W).Validate(operation);
    }

    /// <summary>Max pooling with a size×size frame moved by its own size (lecture 1.5).</summary>
    public static MaxPoolingResult Max(Tensor x, int size = 2, int pad = 0) => Max(x, size, size, size, pad);

    /// <summary>Max pooling with a PH×PW frame: Y[n, c, oh, ow] = the maximum of the frame at (oh·S − P, ow·S − P); padding counts as 0.</summary>
    public static MaxPoolingResult Max(Tensor x, int ph, int pw, int stride, int pad = 0) =>
        Max(x, ph, pw, (stride, stride), (pad, pad));

    /// <summary>
    /// Max pooling with stride (SH, SW) and padding (PH, PW) per axis: the frame at (oh·SH − PH, ow·SW − PW). PyTorch's
    /// <c>max_pool2d(x, (ph, pw), stride=(sh, sw), padding=(ph, pw))</c> (with <see cref="PoolingOptions.PyTorch"/>).
    /// </summary>
    public static MaxPoolingResult Max(Tensor x, int ph, int pw, (int H, int W) stride, (int H, int W) pad)
    {
        var g = Geometry(x.Shape, ph, pw, stride, pad, "MaxPool2d");
        var y = new Tensor([g.N, g.C, g.OH, g.OW], x.Device);
        var argmax = new Tensor([g.N, g.C, g.OH, g.OW], x.Device);
        x.Backend.MaxPoolForward(x.Storage, g, y.Storage, argmax.Storage);
        return new MaxPoolingResult(y, argmax, g);
    }

    /// <summary>
    /// Max pooling with the border rules of <paramref name="options"/>, e.g. <see cref="PoolingOptions.PyTorch"/> to
    /// compare with PyTorch's <c>MaxPool2d</c>: the input is padded explicitly (with −∞, so a padded cell never wins)
    /// and pooled by the lecture's kernels without padding.
    /// </summary>
    public static MaxPoolingResult Max(Tensor x, int ph, int pw, int stride, int pad, PoolingOptions options) =>
        Max(x, ph, pw, (stride, stride), (pad, pad), options);

    /// <summary>Max pooling with the border rules of <paramref name="options"/> and stride and padding per axis.</summary>
    public static MaxPoolingResult Max(Tensor x, int ph, int pw, (int H, int W) stride, (int H, int W) pad, PoolingOptions options)
    {
        if (!options.ChangesMax) return Max(x, ph, pw, stride, pad) with { Options = options };
        var g = Geometry(x.Shape, ph, pw, stride, pad, "MaxPool2d");
        if (options.MaxPadsWithNegativeInfinity && (2 * pad.H > ph || 2 * pad.W > pw))
            throw new ArgumentException(
                $"MaxPool2d: padding {(pad.H == pad.W ? $"{pad.H}" : $"({pad.H}, {pad.W})")} is more than half the {ph}x{pw} frame " +
                $"along {(2 * pad.H > ph ? "H" : "W")}; with −∞ padding a frame could hold padding only (PyTorch refuses it too).");
        var (padded, gp) = PadExplicitly(x, g, options, options.MaxPadsWithNegativeInfinity ? float.NegativeInfinity : 0f);
        var y = new Tensor([gp.N, gp.C, gp.OH, gp.OW], x.Device);
        var argmax = new Tensor([gp.N, gp.C, gp.OH, gp.OW], x.Device);
        x.Backend.MaxPoolForward(padded.Storage, gp, y.Storage, argmax.Storage);
        return new MaxPoolingResult(y, argmax, gp) { Options = options, Requested = g };
    }

    /// <summary>lecture 2.3: dY flows only to where each maximum came from; every other entry of dX is 0.</summary>
    public static Tensor MaxBackward(Tensor dy, MaxPoolingResult forward)
    {
        var dx = MaxBackward(dy, forward.Argmax, forward.Geometry);
        return forward.Options.ChangesMax ? Crop(dx, forward.Requested) : dx;
    }

    /// <inheritdoc cref="MaxBackward(Tensor, MaxPoolingResult)"/>
    public static Tensor MaxBackward(Tensor dy, Tensor argmax, PoolingGeometry g)
    {
        CheckOutputGradient("MaxPool2d", dy, g);
        ShapeChecks.Exactly("MaxPool2d", "argmax", argmax, dy.Shape, "the output gradient");
        Tensor.SameDevice("MaxPool2d", dy, argmax);
        var dx = new Tensor([g.N, g.C, g.H, g.W], dy.Device);
        dy.Backend.MaxPoolBackward(dy.Storage, argmax.Storage, g, dx.Storage);
        return dx;
    }

    /// <summary>
    /// The lecture's way through X-tilde (lecture 1.5): im2col of every channel on its own gives one row per output
    /// position and one column per frame cell; the maximum of each row is the output. Slower than <see cref="Max(Tensor, int, int, int, int)"/>
    /// and the same result (argmax = the column of the maximum), kept for teaching.
    /// </summary>
    public static MaxPoolingResult MaxViaXTilde(Tensor x, int ph, int pw, int stride, int pad = 0) =>
        MaxViaXTilde(x, ph, pw, (stride, stride), (pad, pad));

    /// <summary>The way through X-tilde with stride and padding per axis.</summary>
    public static MaxPoolingResult MaxViaXTilde(Tensor x, int ph, int pw, (int H, int W) stride, (int H, int W) pad)
    {
        var g = Geometry(x.Shape, ph, pw, stride, pad, "MaxPool2d");
        // Channels are pooled separately: treat the N·C planes as N·C one-channel images.
        var xt = Im2Col.ViaXHat(x.Reshape(g.N * g.C, 1, g.H, g.W), ph, pw, stride, pad); // (N·C·OH·OW, PH·PW)
        int rows = xt.Shape[0];
        var y = new Tensor([g.N, g.C, g.OH, g.OW], x.Device);
        var argmax = new Tensor([g.N, g.C, g.OH, g.OW], x.Device);
        x.Backend.Reduce(ReduceOp.Max, xt.Storage, rows, ph * pw, 1, y.Storage);
        x.Backend.Reduce(ReduceOp.ArgMax, xt.Storage, rows, ph * pw, 1, argmax.Storage);
        return new MaxPoolingResult(y, argmax, g);
    }

    /// <summary>Average pooling with a size×size frame moved by its own size; the output is <c>.Y</c>.</summary>
    public static AveragePoolingResult Average(Tensor x, int size = 2, int pad = 0) => Average(x, size, size, size, pad);

    /// <summary>Average pooling: the mean of each PH×PW frame (padding counts as 0 in the mean, the lecture's rule).</summary>
    public static AveragePoolingResult Average(Tensor x, int ph, int pw, int stride, int pad = 0) =>
        Average(x, ph, pw, (stride, stride), (pad, pad));

    /// <summary>
    /// Average pooling with stride (SH, SW) and padding (PH, PW) per axis: PyTorch's
    /// <c>avg_pool2d(x, (ph, pw), stride=(sh, sw), padding=(ph, pw))</c>.
    /// </summary>
    public static AveragePoolingResult Average(Tensor x, int ph, int pw, (int H, int W) stride, (int H, int W) pad)
    {
        var g = Geometry(x.Shape, ph, pw, stride, pad, "AvgPool2d");
        var y = new Tensor([g.N, g.C, g.OH, g.OW], x.Device);
        x.Backend.AveragePoolForward(x.Storage, g, y.Storage);
        return new AveragePoolingResult(y, g) { Requested = g };
    }

    /// <summary>lecture 2.3: each input of a frame contributed 1/(PH·PW) of its mean (or 1/PyTorch's divisor under the result's options).</summary>
    public static Tensor AverageBackward(Tensor dy, AveragePoolingResult forward) =>
        AverageBackward(dy, forward.Requested, forward.Options);

    /// <summary>Each input of a frame contributed 1/(PH·PW) of the mean, so it receives dY/(PH·PW) (summed over overlapping frames).</summary>
    public static Tensor AverageBackward(Tensor dy, PoolingGeometry g)
    {
        CheckOutputGradient("AvgPool2d", dy, g);
        var dx = new Tensor([g.N, g.C, g.H, g.W], dy.Device);
        dy.Backend.AveragePoolBackward(dy.Storage, g, dx.Storage);
        return dx;
    }

    /// <summary>
    /// Average pooling with the border rules of <paramref name="options"/> (PyTorch's <c>AvgPool2d</c> with
    /// <c>ceil_mode</c> and <c>count_include_pad</c>): the mean of the explicitly padded frame, rescaled to PyTorch's divisor.
    /// </summary>
    public static AveragePoolingResult Average(Tensor x, int ph, int pw, int stride, int pad, PoolingOptions options) =>
        Average(x, ph, pw, (stride, stride), (pad, pad), options);

    /// <summary>Average pooling with the border rules of <paramref name="options"/> and stride and padding per axis.</summary>
    public static AveragePoolingResult Average(Tensor x, int ph, int pw, (int H, int W) stride, (int H, int W) pad, PoolingOptions options)
    {
        if (!options.ChangesAverage) return Average(x, ph, pw, stride, pad) with { Options = options };
        var g = Geometry(x.Shape, ph, pw, stride, pad, "AvgPool2d");
        var (padded, gp) = PadExplicitly(x, g, options, 0f);
        var mean = new Tensor([gp.N, gp.C, gp.OH, gp.OW], x.Device);
        x.Backend.AveragePoolForward(padded.Storage, gp, mean.Storage);
        return new AveragePoolingResult(mean * AverageScale(g, gp, options, x.Device), gp) { Options = options, Requested = g };
    }

    /// <summary>The gradient of <see cref="Average(Tensor, int, int, int, int, PoolingOptions)"/>: each cell receives dY / divisor of every frame it is in.</summary>
    public static Tensor AverageBackward(Tensor dy, PoolingGeometry g, PoolingOptions options)
    {
        if (!options.ChangesAverage) return AverageBackward(dy, g);
        var (gp, _, _) = ExplicitGeometry(g, options);
        CheckOutputGradient("AvgPool2d", dy, gp);
        return Crop(AverageBackward(dy * AverageScale(g, gp, options, dy.Device), gp), g);
    }

    /// <summary>The output shape (N, C, OH, OW) of a pooling under <paramref name="options"/>.</summary>
    public static Shape OutputShape(PoolingGeometry g, PoolingOptions options)
    {
        var (gp, _, _) = ExplicitGeometry(g, options);
        return [g.N, g.C, gp.OH, gp.OW];
    }

    // The pooling without padding on the input padded explicitly: P before, and after it P or as many as the last
    // frame of ceil mode needs (each axis with its own stride and padding).
    private static (PoolingGeometry Padded, int Bottom, int Right) ExplicitGeometry(PoolingGeometry g, PoolingOptions options)
    {
        int oh = options.OutputLength(g.H, g.PH, g.PadH, g.StrideH), ow = options.OutputLength(g.W, g.PW, g.PadW, g.StrideW);
        int bottom = Math.Max(g.PadH, (oh - 1) * g.StrideH + g.PH - g.H - g.PadH);
        int right = Math.Max(g.PadW, (ow - 1) * g.StrideW + g.PW - g.W - g.PadW);
        var gp = new PoolingGeometry(g.N, g.C, g.H + g.PadH + bottom, g.W + g.PadW + right, g.PH, g.PW,
                                     g.StrideH, g.StrideW, PadH: 0, PadW: 0);
        if (gp.OH != oh || gp.OW != ow)
            throw new InvalidOperationException($"Pooling: the explicit padding gives {gp.OH}x{gp.OW} frames instead of {oh}x{ow}; this is a bug.");
        return (gp, bottom, right);
    }

    private static (Tensor Padded, PoolingGeometry Geometry) PadExplicitly(Tensor x, PoolingGeometry g, PoolingOptions options, float fill)
    {
        var (gp, bottom, right) = ExplicitGeometry(g, options);
        return (x.Pad([(0, 0), (0, 0), (g.PadH, bottom), (g.PadW, right)], fill), gp);
    }

    // dX of the explicitly padded input, cut back to the input: the padding's gradient goes nowhere.
    private static Tensor Crop(Tensor dx, PoolingGeometry g) =>
        dx.Shape[2] == g.H && dx.Shape[3] == g.W ? dx : dx[.., .., g.PadH..(g.PadH + g.H), g.PadW..(g.PadW + g.W)];

    // PH·PW / PyTorch's divisor for every frame, (1, 1, OH, OW): the kernels' mean divides by PH·PW. With
    // count_include_pad the divisor counts the cells of the frame inside the image and its padding P (not the extra
    // cells of ceil mode), without it only the image's pixels (PyTorch's avg_pool2d).
    private static Tensor AverageScale(PoolingGeometry g, PoolingGeometry gp, PoolingOptions options, Device device)
    {
        var scale = new float[gp.OH * gp.OW];
        for (int i = 0; i < gp.OH; i++)
            for (int j = 0; j < gp.OW; j++)
            {
                int h0 = i * g.StrideH - g.PadH, w0 = j * g.StrideW - g.PadW;
                int h1 = Math.Min(h0 + g.PH, g.H + g.PadH), w1 = Math.Min(w0 + g.PW, g.W + g.PadW);
                int divisor = options.CountIncludePad
                    ? (h1 - h0) * (w1 - w0)
                    : (Math.Min(h1, g.H) - Math.Max(h0, 0)) * (Math.Min(w1, g.W) - Math.Max(w0, 0));
                scale[i * gp.OW + j] = (float)(g.PH * g.PW) / divisor;
            }
        return Tensor.FromData([1, 1, gp.OH, gp.OW], scale).To(device);
    }

    /// <summary>Global average pooling (lecture 4.2, the end of a ResNet): the mean of each channel, (N, C, H, W) → (N, C).</summary>
    public static Tensor GlobalAverage(Tensor x)
    {
        ShapeChecks.Rank4("GlobalAvgPool", "input", x.Shape, "(N, C, H, W)");
        var (n, c, h, w) = x.Shape;
        var sum = new Tensor([n, c], x.Device);
        x.Backend.Reduce(ReduceOp.Sum, x.Storage, n * c, h * w, 1, sum.Storage);
        return sum * (1f / (h * w));
    }

    /// <summary>Every pixel of a channel gets dY[n, c] / (H·W).</summary>
    public static Tensor GlobalAverageBackward(Tensor dy, Shape xShape)
    {
        ShapeChecks.Rank4("GlobalAvgPool", "input", xShape, "(N, C, H, W)");
        var (n, c, h, w) = xShape;
        ShapeChecks.Exactly("GlobalAvgPool", "output gradient", dy, [n, c], $"an input of shape {ShapeChecks.Compact(xShape)}");
        return Tensor.Full(xShape, 1f / (h * w), dy.Device) * dy.Reshape(n, c, 1, 1);
    }

    private static void CheckOutputGradient(string operation, Tensor dy, PoolingGeometry g) =>
        ShapeChecks.Exactly(operation, "output gradient", dy, [g.N, g.C, g.OH, g.OW],
            $"pooling an input ({g.N},{g.C},{g.H},{g.W}) with a {g.PH}x{g.PW} frame, {g.StrideAndPadding}");
}
