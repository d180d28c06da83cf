using CourseKit.Backends;

namespace CourseKit.Operations;

/// <summary>
/// How pooling treats the border of the image. The lecture (1.5) pools through X-tilde, where padding is zeros, and
/// takes ⌊(H + 2P − PH)/S⌋ + 1 frames per column; that is <see cref="Lecture"/>, the default everywhere. PyTorch's
/// <c>MaxPool2d</c>/<c>AvgPool2d</c> differ at the border, so a comparison with PyTorch needs <see cref="PyTorch"/> and its
/// two switches <see cref="CeilMode"/> and <see cref="CountIncludePad"/>. Without padding and with frames that fit, all agree.
/// </summary>
public sealed record PoolingOptions
{
    /// <summary>The lecture's pooling: padding is zeros in the maximum and in the mean, frames that do not fit are dropped.</summary>
    public static PoolingOptions Lecture { get; } = new();

    /// <summary>PyTorch's defaults: max pooling pads with −∞, average pooling counts padded zeros in the mean, floor mode.</summary>
    public static PoolingOptions PyTorch { get; } = new() { MaxPadsWithNegativeInfinity = true };

    /// <summary>
    /// PyTorch: max pooling pads with −∞, so a padded cell never wins (and never takes a gradient from a real one).
    /// The lecture pads with zeros: in a frame of negative values a padded 0 is the maximum, and its gradient is dropped.
    /// </summary>
    public bool MaxPadsWithNegativeInfinity { get; init; }

    /// <summary>
    /// PyTorch's <c>ceil_mode</c>: ⌈(H + 2P − PH)/S⌉ + 1 frames, the last may hang over the bottom or right edge
    /// (cells outside count as padding), but no frame starts in the padding after the image.
    /// </summary>
    public bool CeilMode { get; init; }

    /// <summary>
    /// PyTorch's <c>count_include_pad</c> for average pooling: true (the default, as in the lecture) divides by the cells
    /// of the frame inside the padded image; false divides by the real pixels of the frame only.
    /// </summary>
    public bool CountIncludePad { get; init; } = true;

    /// <summary>True when max pooling needs more than the lecture's kernels (−∞ padding or ceil mode).</summary>
    internal bool ChangesMax => MaxPadsWithNegativeInfinity || CeilMode;

    /// <summary>True when average pooling needs more than the lecture's kernels (ceil mode or counting only real pixels).</summary>
    internal bool ChangesAverage => CeilMode || !CountIncludePad;

    /// <summary>Frames along one axis of length <paramref name="size"/> (PyTorch's pooling_output_shape without dilation).</summary>
    public int OutputLength(int size, int frame, int pad, int stride)
    {
        if (!CeilMode) return ConvolutionGeometry.OutputLength(size, frame, pad, stride);
        int length = (size + 2 * pad - frame + stride - 1) / stride + 1;
        // the last frame must start inside the image or the padding before it
        return (length - 1) * stride >= size + pad ? length - 1 : length;
    }

    public override string ToString() => this == Lecture ? "lecture (zero padding, floor)"
        : $"{(MaxPadsWithNegativeInfinity ? "max pads with -inf" : "max pads with 0")}, {(CeilMode ? "ceil" : "floor")} mode, " +
          $"count_include_pad={CountIncludePad}";
}
