using CourseKit.Backends;

namespace CourseKit.Operations;

/// <summary>The result of max pooling: the output and, per output, where its maximum sat in the frame (ph·PW + pw).</summary>
public readonly record struct MaxPoolingResult(Tensor Y, Tensor Argmax, PoolingGeometry Geometry);

/// <summary>
/// Pooling (lecture 1.5) and its gradients (lecture 2.3) on (N, C, H, W): a frame slides over every channel of every
/// image on its own (pooling is per channel and has no parameters), keeping the maximum or the mean.
/// The frame is square with stride = frame size by default, as in the lecture; rectangular frames, other strides and
/// zero padding are allowed.
/// </summary>
public static class PoolingOperation
{
    /// <summary>Checks the numbers and returns the sizes of one pooling of an (N, C, H, W) input.</summary>
    public static PoolingGeometry Geometry(Shape xShape, int ph, int pw, int stride, int pad = 0, string operation = "MaxPool2d")
    {
        ShapeChecks.Rank4(operation, "input", xShape, "(N, C, H, W)");
        return new PoolingGeometry(xShape[0], xShape[1], xShape[2], xShape[3], ph, pw, stride, pad).Validate(operation);
    }

    /// <summary>Max pooling with a size×size frame moved by its own size (lecture 1.5).</summary>
    public static MaxPoolingResult Max(Tensor x, int size = 2, int pad = 0) => Max(x, size, size, size, pad);

    /// <summary>Max pooling with a PH×PW frame: Y[n, c, oh, ow] = the maximum of the frame at (oh·S − P, ow·S − P); padding counts as 0.</summary>
    public static MaxPoolingResult Max(Tensor x, int ph, int pw, int stride, int pad = 0)
    {
        var g = Geometry(x.Shape, ph, pw, stride, pad, "MaxPool2d");
        var y = new Tensor([g.N, g.C, g.OH, g.OW], x.Device);
        var argmax = new Tensor([g.N, g.C, g.OH, g.OW], x.Device);
        x.Backend.MaxPoolForward(x.Storage, g, y.Storage, argmax.Storage);
        return new MaxPoolingResult(y, argmax, g);
    }

    /// <summary>lecture 2.3: dY flows only to where each maximum came from; every other entry of dX is 0.</summary>
    public static Tensor MaxBackward(Tensor dy, MaxPoolingResult forward) => MaxBackward(dy, forward.Argmax, forward.Geometry);

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
    public static MaxPoolingResult MaxViaXTilde(Tensor x, int ph, int pw, int stride, int pad = 0)
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

    /// <summary>Average pooling with a size×size frame moved by its own size.</summary>
    public static Tensor Average(Tensor x, int size = 2, int pad = 0) => Average(x, size, size, size, pad);

    /// <summary>Average pooling: the mean of each PH×PW frame (padding counts as 0 in the mean).</summary>
    public static Tensor Average(Tensor x, int ph, int pw, int stride, int pad = 0)
    {
        var g = Geometry(x.Shape, ph, pw, stride, pad, "AvgPool2d");
        var y = new Tensor([g.N, g.C, g.OH, g.OW], x.Device);
        x.Backend.AveragePoolForward(x.Storage, g, y.Storage);
        return y;
    }

    /// <summary>Each input of a frame contributed 1/(PH·PW) of the mean, so it receives dY/(PH·PW) (summed over overlapping frames).</summary>
    public static Tensor AverageBackward(Tensor dy, PoolingGeometry g)
    {
        CheckOutputGradient("AvgPool2d", dy, g);
        var dx = new Tensor([g.N, g.C, g.H, g.W], dy.Device);
        dy.Backend.AveragePoolBackward(dy.Storage, g, dx.Storage);
        return dx;
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
            $"pooling an input ({g.N},{g.C},{g.H},{g.W}) with a {g.PH}x{g.PW} frame, stride {g.Stride} and padding {g.Pad}");
}
