namespace CourseKit.Display;

/// <summary>
/// Looking inside a CNN: the learned filters of a convolution layer and the feature maps it produces.
/// Both take tensors (the layer's weights or its output), not layer objects.
/// </summary>
public static class NetworkViews
{
    /// <summary>
    /// One tile per filter of a convolution weight tensor F of shape (OC, C, FH, FW) (lecture 1.3: the filter F).
    /// With C = 3 the filter is shown in colour; otherwise channel <paramref name="channel"/> in gray.
    /// Each tile gets its own value range (Auto), so weak and strong filters are both visible.
    /// </summary>
    public static ImageGrid Filters(Tensor weights, int channel = 0, ValueRange range = ValueRange.Auto, string? title = "filters")
    {
        if (weights.Rank != 4)
            throw new ArgumentException($"NetworkViews.Filters: convolution filters have shape (OC, C, FH, FW), but this tensor has shape {weights.Shape}.");
        var (oc, c, fh, fw) = weights.Shape;
        bool colour = c == 3;
        if (!colour && (channel < 0 || channel >= c))
            throw new ArgumentException($"NetworkViews.Filters: channel {channel} does not exist in filters of shape {weights.Shape} (channels 0..{c - 1}).");
        var values = weights.ToArray();
        var grid = new ImageGrid { Title = title, MinimumSize = 48 };
        for (int k = 0; k < oc; k++)
        {
            var filter = values.AsSpan(k * c * fh * fw, c * fh * fw);
            var image = colour
                ? Image.FromPlanes(filter, 3, fh, fw, range)
                : Image.FromPlanes(filter.Slice(channel * fh * fw, fh * fw), 1, fh, fw, range);
            grid.Add(image, $"filter {k}");
        }
        return grid;
    }

    /// <summary>
    /// One gray tile per channel of a layer's output Y for one input: shape (1, OC, OH, OW) or (OC, OH, OW) (lecture 1.3).
    /// Shows at most <paramref name="maxMaps"/> channels; each map gets its own value range (Auto).
    /// </summary>
    public static ImageGrid FeatureMaps(Tensor activations, int maxMaps = 64, ValueRange range = ValueRange.Auto, string? title = "feature maps")
    {
        var shape = activations.Shape;
        if (!(shape.Rank == 3 || (shape.Rank == 4 && shape[0] == 1)))
            throw new ArgumentException($"NetworkViews.FeatureMaps: expected the output for one input, shape (1, C, H, W) or (C, H, W), but got {shape}. Select one input first.");
        int c = shape[shape.Rank - 3], h = shape[shape.Rank - 2], w = shape[shape.Rank - 1];
        var values = activations.ToArray();
        var grid = new ImageGrid { Title = title };
        for (int k = 0; k < Math.Min(c, maxMaps); k++)
            grid.Add(Image.FromPlanes(values.AsSpan(k * h * w, h * w), 1, h, w, range), $"channel {k}");
        return grid;
    }

    /// <summary>The picture of a model's graph: boxes for the layers and joins, arrows for the data (lecture 4.3).</summary>
    public static ModelGraph Graph(Layers.Model model) => new(model);
}
