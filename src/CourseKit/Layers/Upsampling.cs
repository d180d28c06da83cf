namespace CourseKit.Layers;

/// <summary>How <see cref="Upsampling"/> fills the new pixels.</summary>
public enum UpsamplingMode
{
    /// <summary>Each pixel is copied into an S×S block: y[i, j] = x[i / S, j / S].</summary>
    Nearest,

    /// <summary>
    /// Each new pixel is interpolated from its four nearest input pixels, the input's pixel centres being at the
    /// centres of the S×S blocks (PyTorch's <c>align_corners=False</c>, Keras' <c>interpolation="bilinear"</c>).
    /// </summary>
    Bilinear,
}

/// <summary>
/// Enlarges (N, C, H, W) images to (N, C, S·H, S·W) without learnable weights: the alternative to the transposed
/// convolution (lecture 5.3) in a decoder; followed by a convolution it learns what a transposed convolution learns,
/// without the transposed convolution's checkerboard pattern where the filters overlap unevenly.
/// Both modes are linear in x: y = U·x, so backward is dx = Uᵀ·dout, each output gradient going back to the
/// input pixels it was made from, with the same weights.
/// </summary>
public sealed class Upsampling : Layer
{
    private Shape? inputShape;

    public Upsampling(int scale = 2, UpsamplingMode mode = UpsamplingMode.Nearest)
    {
        if (scale < 1) throw new ArgumentException($"Upsampling: the scale factor must be at least 1, got {scale}.");
        Scale = scale;
        Mode = mode;
    }

    public int Scale { get; }
    public UpsamplingMode Mode { get; }

    public override Tensor Forward(Tensor x, bool training = false)
    {
        if (x.Rank != 4) throw new ArgumentException($"{Name}: expects (N, C, H, W) input, got {x.Shape}.");
        inputShape = x.Shape;
        var (n, c, h, w) = x.Shape;
        var (rows, cols) = (Taps(h, Scale, Mode), Taps(w, Scale, Mode));
        var src = x.ToArray();
        var dst = new float[n * c * h * Scale * w * Scale];
        int oh = h * Scale, ow = w * Scale;
        Parallel.For(0, n * c, plane =>
        {
            var xp = src.AsSpan(plane * h * w, h * w);
            var yp = dst.AsSpan(plane * oh * ow, oh * ow);
            for (int i = 0; i < oh; i++)
            {
                var (i0, i1, a) = rows[i];
                for (int j = 0; j < ow; j++)
                {
                    var (j0, j1, b) = cols[j];
                    // The weights of the four neighbours: (1 − a)(1 − b), (1 − a)b, a(1 − b), ab.
                    yp[i * ow + j] = (1 - a) * ((1 - b) * xp[i0 * w + j0] + b * xp[i0 * w + j1])
                                   + a * ((1 - b) * xp[i1 * w + j0] + b * xp[i1 * w + j1]);
                }
            }
        });
        return LayerMath.Upload([n, c, oh, ow], dst, x.Device);
    }

    public override Tensor Backward(Tensor dout)
    {
        var shape = inputShape ?? throw new InvalidOperationException($"{Name}.Backward was called before {Name}.Forward: run Forward on a mini-batch first.");
        var (n, c, h, w) = shape;
        int oh = h * Scale, ow = w * Scale;
        ExpectGradient(dout, [n, c, oh, ow]);
        var (rows, cols) = (Taps(h, Scale, Mode), Taps(w, Scale, Mode));
        var src = dout.ToArray();
        var dx = new float[shape.Size];
        Parallel.For(0, n * c, plane =>
        {
            var dyp = src.AsSpan(plane * oh * ow, oh * ow);
            var dxp = dx.AsSpan(plane * h * w, h * w);
            for (int i = 0; i < oh; i++)
            {
                var (i0, i1, a) = rows[i];
                for (int j = 0; j < ow; j++)
                {
                    var (j0, j1, b) = cols[j];
                    float g = dyp[i * ow + j];
                    // Uᵀ: the same four weights, now adding into the input pixels.
                    dxp[i0 * w + j0] += (1 - a) * (1 - b) * g;
                    dxp[i0 * w + j1] += (1 - a) * b * g;
                    dxp[i1 * w + j0] += a * (1 - b) * g;
                    dxp[i1 * w + j1] += a * b * g;
                }
            }
        });
        return LayerMath.Upload(shape, dx, dout.Device);
    }

    /// <summary>
    /// For each output index along one axis: the two input indices it reads and the weight of the second.
    /// Nearest: (o / S, o / S, 0). Bilinear: the output pixel's centre o + ½ lies at (o + ½)/S − ½ in input
    /// coordinates (clamped at 0); it falls between ⌊·⌋ and the next pixel (the last one repeats at the edge).
    /// </summary>
    public static (int First, int Second, float Weight)[] Taps(int size, int scale, UpsamplingMode mode)
    {
        var taps = new (int, int, float)[size * scale];
        for (int o = 0; o < taps.Length; o++)
        {
            if (mode == UpsamplingMode.Nearest) { taps[o] = (o / scale, o / scale, 0f); continue; }
            double position = Math.Max(0, (o + 0.5) / scale - 0.5);
            int first = Math.Min((int)position, size - 1);
            int second = Math.Min(first + 1, size - 1);
            taps[o] = (first, second, (float)(position - first));
        }
        return taps;
    }
}
