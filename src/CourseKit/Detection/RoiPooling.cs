using CourseKit.Layers;

namespace CourseKit.Detection;

/// <summary>
/// RoI pooling of Fast/Faster R-CNN (lecture 6.1): every region of interest, whatever its size, becomes a fixed
/// <c>OutputHeight × OutputWidth</c> grid of maxima of the feature map, so one classifier head serves all regions and
/// the CNN runs once per image, not once per region.
/// <para>Definition (pixel convention of <see cref="Box"/>): the box is scaled to feature-map coordinates by
/// <see cref="SpatialScale"/> (1/stride of the backbone) and snapped outward to whole cells, rows
/// [⌊y1·s⌋, ⌈y2·s⌉) (at least one cell, clipped to the map). Its L rows are split into bins: bin p covers rows
/// [⌊p·L/P⌋, ⌈(p+1)·L/P⌉) of the region, likewise for columns; each output is the maximum of its bin. The snapping
/// to cells is what RoI align removes.</para>
/// Forward takes the features (N, C, H, W) and the regions set in <see cref="Regions"/>; the output is (K, C, P, Q).
/// Backward routes each gradient to the cell that was the maximum (lecture 2.3, as max pooling).
/// </summary>
public sealed class RoiPooling(int outputHeight, int outputWidth, float spatialScale) : Layer
{
    private int[]? argmax;  // flat index into the features of each output's maximum, −1 for an empty bin
    private Shape inputShape;

    public int OutputHeight { get; } = outputHeight;
    public int OutputWidth { get; } = outputWidth;
    public float SpatialScale { get; } = spatialScale;

    /// <summary>The regions the next Forward cuts out.</summary>
    public IReadOnlyList<RegionOfInterest> Regions { get; set; } = [];

    /// <summary>The pooled features of <paramref name="regions"/>: (K, C, OutputHeight, OutputWidth).</summary>
    public Tensor Forward(Tensor features, IReadOnlyList<RegionOfInterest> regions)
    {
        Regions = regions;
        return Forward(features);
    }

    public override Tensor Forward(Tensor x, bool training = false)
    {
        var (n, c, h, w) = RoiGeometry.CheckFeatures(Name, x, Regions);
        inputShape = x.Shape;
        int k = Regions.Count, ph = OutputHeight, pw = OutputWidth;
        var f = x.ToArray();
        var y = new float[k * c * ph * pw];
        argmax = new int[y.Length];
        for (int r = 0; r < k; r++)
        {
            var (image, box) = Regions[r];
            var (r0, rows) = Cells(box.Y1, box.Y2, h);
            var (c0, cols) = Cells(box.X1, box.X2, w);
            for (int ch = 0; ch < c; ch++)
            {
                int plane = (image * c + ch) * h * w;
                for (int p = 0; p < ph; p++)
                    for (int q = 0; q < pw; q++)
                    {
                        int o = ((r * c + ch) * ph + p) * pw + q;
                        int y0 = r0 + p * rows / ph, y1 = r0 + (int)Math.Ceiling((p + 1) * (double)rows / ph);
                        int x0 = c0 + q * cols / pw, x1 = c0 + (int)Math.Ceiling((q + 1) * (double)cols / pw);
                        int best = -1; float max = 0f;
                        for (int yy = y0; yy < y1; yy++)
                            for (int xx = x0; xx < x1; xx++)
                            {
                                int at = plane + yy * w + xx;
                                if (best < 0 || f[at] > max) { max = f[at]; best = at; }
                            }
                        y[o] = max;  // an empty bin (a region of fewer cells than bins never gives one) stays 0
                        argmax[o] = best;
                    }
            }
        }
        return new Tensor([k, c, ph, pw], y).To(x.Device);

        (int Start, int Length) Cells(float lo, float hi, int size)
        {
            int start = Math.Clamp((int)MathF.Floor(lo * SpatialScale), 0, size - 1);
            int end = Math.Clamp((int)MathF.Ceiling(hi * SpatialScale), start + 1, size);
            return (start, end - start);
        }
    }

    public override Tensor Backward(Tensor dout)
    {
        var where = Saved(argmax);
        ExpectGradient(dout, [Regions.Count, inputShape[1], OutputHeight, OutputWidth]);
        var d = dout.ToArray();
        var dx = new float[inputShape.Size];
        for (int o = 0; o < d.Length; o++)
            if (where[o] >= 0) dx[where[o]] += d[o];  // regions may overlap: their gradients add up
        return new Tensor(inputShape, dx).To(dout.Device);
    }
}

internal static class RoiGeometry
{
    public static (int N, int C, int H, int W) CheckFeatures(string name, Tensor x, IReadOnlyList<RegionOfInterest> regions)
    {
        if (x.Rank != 4) throw new ArgumentException($"{name}: expects features (N, C, H, W), got {x.Shape}.");
        var (n, c, h, w) = x.Shape;
        for (int r = 0; r < regions.Count; r++)
            if ((uint)regions[r].Image >= (uint)n)
                throw new ArgumentException($"{name}: region {r} is on image {regions[r].Image}, but the features hold images 0..{n - 1}.");
        return (n, c, h, w);
    }
}
