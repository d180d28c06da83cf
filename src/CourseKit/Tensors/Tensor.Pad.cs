namespace CourseKit;

/// <summary>Constant padding (lecture 1.2: zero padding P adds P rows and columns of zeros around each image).</summary>
public sealed partial class Tensor
{
    /// <summary>
    /// Pads each axis with <paramref name="value"/>: <c>widths[d] = (before, after)</c>, as NumPy's
    /// <c>np.pad(x, widths, constant_values=value)</c>. For example <c>x.Pad([(0, 0), (0, 0), (1, 1), (1, 1)])</c>.
    /// </summary>
    public Tensor Pad(ReadOnlySpan<(int Before, int After)> widths, float value = 0f)
    {
        if (widths.Length != Rank)
            throw new ArgumentException($"Pad: a tensor of shape {Shape} needs {Rank} (before, after) pairs, but {widths.Length} were given.");
        var shape = new int[Rank];
        for (int d = 0; d < Rank; d++)
        {
            if (widths[d].Before < 0 || widths[d].After < 0)
                throw new ArgumentException($"Pad: widths cannot be negative, got ({widths[d].Before}, {widths[d].After}) for axis {d}.");
            shape[d] = dims[d] + widths[d].Before + widths[d].After;
        }
        var y = Full(shape, value, Device);
        var yStrides = y.Shape.Strides();
        int offset = 0;
        for (int d = 0; d < Rank; d++) offset += widths[d].Before * yStrides[d];
        // The input goes into the interior: the output's strides, starting after the leading pads.
        if (Length > 0) Backend.StridedCopy(Storage, 0, Shape.Strides(), y.Storage, offset, yStrides, dims);
        return y;
    }

    /// <summary>
    /// Zero padding of the two last (spatial) axes by <paramref name="pad"/> on every side: (N, C, H, W) → (N, C, H+2P, W+2P).
    /// </summary>
    public Tensor PadSpatial(int pad, float value = 0f) => PadSpatial((pad, pad), value);

    /// <summary>
    /// Padding per axis: PH rows above and below, PW columns left and right, (N, C, H, W) → (N, C, H+2·PH, W+2·PW)
    /// (PyTorch's <c>padding=(ph, pw)</c> of a convolution).
    /// </summary>
    public Tensor PadSpatial((int H, int W) pad, float value = 0f)
    {
        if (Rank < 2) throw new ArgumentException($"PadSpatial pads the last two axes (H, W), but the tensor has shape {Shape}.");
        var widths = new (int, int)[Rank];
        widths[^2] = (pad.H, pad.H);
        widths[^1] = (pad.W, pad.W);
        return Pad(widths, value);
    }
}
