namespace CourseKit.Data;

/// <summary>
/// Images with a mask for each (semantic segmentation, lecture 5.4–5.5): <see cref="Images"/> (N, 1, H, W) with pixels
/// in [0, 1], <see cref="Masks"/> (N, 1, H, W) of 0 and 1 (1 = the object, e.g. the left ventricle), and the group each
/// image belongs to (<see cref="Groups"/>: the patient for MRI frames). Frames of one patient look alike, so a test
/// set must hold patients the network never saw: split with <see cref="SplitByGroup"/>, never by frame.
/// </summary>
public sealed class SegmentationDataset
{
    public SegmentationDataset(string name, Tensor images, Tensor masks, string[] groups, string[] files)
    {
        if (images.Rank != 4 || masks.Rank != 4 || images.Shape[0] != masks.Shape[0] || images.Shape[2] != masks.Shape[2] || images.Shape[3] != masks.Shape[3])
            throw new ArgumentException($"{name}: images {images.Shape} and masks {masks.Shape} must both be (N, C, H, W) with the same N, H and W.");
        if (groups.Length != images.Shape[0] || files.Length != images.Shape[0])
            throw new ArgumentException($"{name}: {images.Shape[0]} images but {groups.Length} groups and {files.Length} file names.");
        Name = name;
        Images = images;
        Masks = masks;
        Groups = groups;
        Files = files;
    }

    public string Name { get; }

    /// <summary>(N, 1, H, W), values in [0, 1].</summary>
    public Tensor Images { get; }

    /// <summary>(N, 1, H, W), 1 where the pixel belongs to the object.</summary>
    public Tensor Masks { get; }

    /// <summary>The group (patient) of each image.</summary>
    public string[] Groups { get; }

    /// <summary>The file each image was read from.</summary>
    public string[] Files { get; }

    public int Count => Groups.Length;

    /// <summary>The distinct groups in order of first appearance.</summary>
    public string[] GroupNames => [.. Groups.Distinct()];

    /// <summary>The mask as one class index per pixel, (N·H·W) row-major: for <see cref="Losses.PixelwiseSoftmaxCrossEntropy"/>.</summary>
    public int[] Labels() => [.. Masks.ToArray().Select(v => v > 0.5f ? 1 : 0)];

    /// <summary>The images at <paramref name="indices"/>, in that order.</summary>
    public SegmentationDataset Subset(IReadOnlyList<int> indices, string? name = null) =>
        new(name ?? Name, Training.ImageToImageTrainer.Rows(Images, [.. indices]), Training.ImageToImageTrainer.Rows(Masks, [.. indices]),
            [.. indices.Select(i => Groups[i])], [.. indices.Select(i => Files[i])]);

    /// <summary>
    /// Train and test sets by group: every image of the groups in <paramref name="testGroups"/> goes to the test set,
    /// all others to the training set, so no patient is in both.
    /// </summary>
    public (SegmentationDataset Train, SegmentationDataset Test) SplitByGroup(params string[] testGroups)
    {
        var unknown = testGroups.Except(Groups).ToArray();
        if (unknown.Length > 0)
            throw new ArgumentException($"{Name}: no images of {string.Join(", ", unknown)}; the groups are {string.Join(", ", GroupNames)}.");
        var test = Enumerable.Range(0, Count).Where(i => testGroups.Contains(Groups[i])).ToArray();
        var train = Enumerable.Range(0, Count).Where(i => !testGroups.Contains(Groups[i])).ToArray();
        if (train.Length == 0) throw new ArgumentException($"{Name}: holding out {string.Join(", ", testGroups)} leaves no training images.");
        return (Subset(train, $"{Name} train"), Subset(test, $"{Name} test ({string.Join(", ", testGroups)})"));
    }

    /// <summary>
    /// Every image made <paramref name="factor"/> times smaller in height and width by averaging factor×factor blocks
    /// (quick runs on 64×64 instead of 256×256); a mask pixel stays on where at least half of its block was on.
    /// </summary>
    public SegmentationDataset Downsample(int factor)
    {
        if (factor == 1) return this;
        var (n, c, h, w) = Images.Shape;
        if (factor < 1 || h % factor != 0 || w % factor != 0)
            throw new ArgumentException($"{Name}: cannot shrink {h}x{w} images by {factor}; the factor must divide both sizes.");
        return new SegmentationDataset(Name, BlockMean(Images, factor, false), BlockMean(Masks, factor, true), Groups, Files);
    }

    private static Tensor BlockMean(Tensor x, int f, bool threshold)
    {
        var (n, c, h, w) = x.Shape;
        int oh = h / f, ow = w / f;
        var src = x.ToArray();
        var dst = new float[n * c * oh * ow];
        for (int plane = 0; plane < n * c; plane++)
            for (int i = 0; i < oh; i++)
                for (int j = 0; j < ow; j++)
                {
                    float sum = 0;
                    for (int u = 0; u < f; u++)
                        for (int v = 0; v < f; v++) sum += src[(plane * h + i * f + u) * w + j * f + v];
                    float mean = sum / (f * f);
                    dst[(plane * oh + i) * ow + j] = threshold ? (mean >= 0.5f ? 1 : 0) : mean;
                }
        return new Tensor([n, c, oh, ow], dst);
    }

    public override string ToString() =>
        $"{Name}: {Count} images {Images.Shape[1]}x{Images.Shape[2]}x{Images.Shape[3]} of {GroupNames.Length} groups ({string.Join(", ", GroupNames)})";
}
