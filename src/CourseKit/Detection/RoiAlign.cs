using CourseKit.Layers;

namespace CourseKit.Detection;

/// <summary>
/// RoI align of Mask R-CNN (lecture 6.5): like RoI pooling, a fixed grid of features per region, but without snapping
/// the region to whole cells: each bin averages the feature map sampled by bilinear interpolation at
/// <see cref="SamplingRatio"/>² evenly spaced points, so the features line up with the pixels (what masks need).
/// <para>Definition (Detectron2's "aligned" RoI align, pixel convention of <see cref="Box"/>): feature cell (i, j) has its
/// centre at (i + ½, j + ½)/s in image pixels. The box becomes y ∈ [y1·s − ½, y2·s − ½] in cell-index coordinates
/// (s = <see cref="SpatialScale"/>), its height split into P bins of height b = (y2 − y1)·s / P; bin p samples
/// y = y1·s − ½ + p·b + (i + ½)·b / R for i = 0..R−1 (R = SamplingRatio), likewise x. A sample is the bilinear
/// interpolation of its four neighbouring cells; outside [−1, H] it is 0, between −1 and 0 it is clamped to row 0,
/// beyond H − 1 to row H − 1. Output (K, C, P, Q) = the mean of each bin's R² samples.</para>
/// Backward sends each output's gradient back to the four cells of every sample with the same bilinear weights / R².
/// </summary>
public sealed class RoiAlign(int outputHeight, int outputWidth, float spatialScale, int samplingRatio = 2) : Layer
{
    private Shape inputShape;
    private bool ran;

    public int OutputHeight { get; } = outputHeight;
    public int OutputWidth { get; } = outputWidth;
    public float SpatialScale { get; } = spatialScale;
    public int SamplingRatio { get; } = samplingRatio >= 1 ? samplingRatio
        : throw new ArgumentException($"RoiAlign: the sampling ratio must be at least 1, got {samplingRatio}.");

    /// <summary>The regions the next Forward cuts out.</summary>
    public IReadOnlyList<RegionOfInterest> Regions { get; set; } = [];

    /// <summary>The aligned features of <paramref name="regions"/>: (K, C, OutputHeight, OutputWidth).</summary>
    public Tensor Forward(Tensor features, IReadOnlyList<RegionOfInterest> regions)
    {
        Regions = regions;
        return Forward(features);
    }

    public override Tensor Forward(Tensor x, bool training = false)
    {
        var (_, c, h, w) = RoiGeometry.CheckFeatures(Name, x, Regions);
        inputShape = x.Shape;
        ran = true;
        var f = x.ToArray();
        var y = new float[Regions.Count * c * OutputHeight * OutputWidth];
        Visit(h, w, (region, p, q, plane, at, weight) =>
        {
            for (int ch = 0; ch < c; ch++)
                y[((region * c + ch) * OutputHeight + p) * OutputWidth + q] += weight * f[(plane * c + ch) * h * w + at];
        });
        return new Tensor([Regions.Count, c, OutputHeight, OutputWidth], y).To(x.Device);
    }

    public override Tensor Backward(Tensor dout)
    {
        if (!ran) throw new InvalidOperationException($"{Name}.Backward was called before {Name}.Forward: run Forward on features and regions first.");
        var (_, c, h, w) = inputShape;
        ExpectGradient(dout, [Regions.Count, c, OutputHeight, OutputWidth]);
        var d = dout.ToArray();
        var dx = new float[inputShape.Size];
        Visit(h, w, (region, p, q, plane, at, weight) =>
        {
            for (int ch = 0; ch < c; ch++)
                dx[(plane * c + ch) * h * w + at] += weight * d[((region * c + ch) * OutputHeight + p) * OutputWidth + q];
        });
        return new Tensor(inputShape, dx).To(dout.Device);
    }

    // Calls use(region, p, q, image, cell, weight) for every feature cell that a sample of bin (p, q) reads, with
    // its bilinear weight divided by R² (the bin's mean): forward gathers with these weights, backward scatters.
    private void Visit(int h, int w, Action<int, int, int, int, int, float> use)
    {
        int r2 = SamplingRatio * SamplingRatio;
        for (int region = 0; region < Regions.Count; region++)
        {
            var (image, box) = Regions[region];
            float top = box.Y1 * SpatialScale - 0.5f, left = box.X1 * SpatialScale - 0.5f;
            float binH = box.Height * SpatialScale / OutputHeight, binW = box.Width * SpatialScale / OutputWidth;
            for (int p = 0; p < OutputHeight; p++)
                for (int q = 0; q < OutputWidth; q++)
                    for (int iy = 0; iy < SamplingRatio; iy++)
                    {
                        float sy = top + p * binH + (iy + 0.5f) * binH / SamplingRatio;
                        for (int ix = 0; ix < SamplingRatio; ix++)
                        {
                            float sx = left + q * binW + (ix + 0.5f) * binW / SamplingRatio;
                            if (sy < -1f || sy > h || sx < -1f || sx > w) continue;  // outside the map: the sample is 0
                            var (y0, y1, ly) = Neighbours(sy, h);
                            var (x0, x1, lx) = Neighbours(sx, w);
                            use(region, p, q, image, y0 * w + x0, (1 - ly) * (1 - lx) / r2);
                            use(region, p, q, image, y0 * w + x1, (1 - ly) * lx / r2);
                            use(region, p, q, image, y1 * w + x0, ly * (1 - lx) / r2);
                            use(region, p, q, image, y1 * w + x1, ly * lx / r2);
                        }
                    }
        }
    }

    // The two cells around coordinate v and the weight of the second; clamped at the borders.
    private static (int Low, int High, float Fraction) Neighbours(float v, int size)
    {
        if (v < 0) v = 0;
        int low = (int)v;
        if (low >= size - 1) return (size - 1, size - 1, 0f);
        return (low, low + 1, v - low);
    }
}
