namespace CourseKit.Layers;

/// <summary>
/// Cuts (N, C, H, W) images to (N, C, TH, TW) around their centre, or pads them with zeros when the target is larger:
/// how a U-Net (lecture 5.4) joins a skip connection whose size differs from the decoder's (the original U-Net's
/// unpadded convolutions make the encoder's maps larger; an odd size halved and doubled comes back one smaller).
/// The extra rows are split evenly, the odd one at the bottom (columns: at the right):
/// top = (H − TH) / 2 rows are cut when cropping, (TH − H) / 2 rows of zeros added when padding.
/// Backward is the same operation the other way: dout (TH, TW) back to (H, W) — a crop's gradient is zero-padded,
/// a pad's gradient is cropped.
/// </summary>
public sealed class CenterCrop : Layer
{
    private Shape? inputShape;

    public CenterCrop(int height, int width)
    {
        if (height < 1 || width < 1) throw new ArgumentException($"CenterCrop: the target size must be positive, got {height}x{width}.");
        Height = height;
        Width = width;
    }

    /// <summary>The target height TH.</summary>
    public int Height { get; }

    /// <summary>The target width TW.</summary>
    public int Width { get; }

    public override Tensor Forward(Tensor x, bool training = false)
    {
        if (x.Rank != 4) throw new ArgumentException($"{Name}: expects (N, C, H, W) input, got {x.Shape}.");
        inputShape = x.Shape;
        return Apply(x, Height, Width);
    }

    public override Tensor Backward(Tensor dout)
    {
        var shape = inputShape ?? throw new InvalidOperationException($"{Name}.Backward was called before {Name}.Forward: run Forward on a mini-batch first.");
        ExpectGradient(dout, [shape[0], shape[1], Height, Width]);
        return Apply(dout, shape[2], shape[3]);
    }

    /// <summary>x (N, C, H, W) cropped or zero-padded around its centre to (N, C, <paramref name="height"/>, <paramref name="width"/>).</summary>
    public static Tensor Apply(Tensor x, int height, int width)
    {
        if (x.Rank != 4) throw new ArgumentException($"CenterCrop: expects (N, C, H, W) input, got {x.Shape}.");
        var (n, c, h, w) = x.Shape;
        var y = new Tensor([n, c, height, width], x.Device);
        // Output row r shows input row r + dy (dy < 0 when padding); only the rows inside both are copied.
        int dy = Offset(h, height), dx = Offset(w, width);
        int r0 = Math.Max(0, -dy), r1 = Math.Min(height, h - dy);
        int q0 = Math.Max(0, -dx), q1 = Math.Min(width, w - dx);
        if (r0 < r1 && q0 < q1)
            x.Backend.StridedCopy(x.Storage, (r0 + dy) * w + q0 + dx, [h * w, w, 1],
                                  y.Storage, r0 * width + q0, [height * width, width, 1],
                                  [n * c, r1 - r0, q1 - q0]);
        return y;
    }

    // top = (H − TH) / 2 when cropping; −(TH − H) / 2 when padding (so that backward undoes forward exactly).
    private static int Offset(int size, int target) => size >= target ? (size - target) / 2 : -((target - size) / 2);
}
