namespace CourseKit.Detection;

/// <summary>
/// Images with their objects: boxes and classes (detection), one mask per object (instance segmentation, Mask R-CNN)
/// and one class per pixel (semantic segmentation, FCN and SegNet), the three tasks of lecture 6 on the same pictures.
/// </summary>
public sealed class DetectionDataset
{
    public DetectionDataset(string name, Tensor images, DetectedObject[][] objects, bool[][][] masks, string[] classNames)
    {
        if (images.Rank != 4) throw new ArgumentException($"{name}: images must be (N, C, H, W), got {images.Shape}.");
        int n = images.Shape[0], pixels = images.Shape[2] * images.Shape[3];
        if (objects.Length != n || masks.Length != n)
            throw new ArgumentException($"{name}: {n} images but {objects.Length} object lists and {masks.Length} mask lists; one of each per image.");
        for (int i = 0; i < n; i++)
            if (masks[i].Length != objects[i].Length || masks[i].Any(m => m.Length != pixels))
                throw new ArgumentException($"{name}: image {i} needs one mask of {pixels} pixels per object.");
        Name = name; Images = images; Objects = objects; Masks = masks; ClassNames = classNames;
    }

    public string Name { get; }

    /// <summary>(N, C, H, W), values in [0, 1].</summary>
    public Tensor Images { get; }

    /// <summary>The objects of each image: box (pixel convention of <see cref="Box"/>) and class, score 1.</summary>
    public DetectedObject[][] Objects { get; }

    /// <summary>Per image, per object, its visible pixels (row-major H·W); the object's box is their bounding box.</summary>
    public bool[][][] Masks { get; }

    public string[] ClassNames { get; }
    public int Count => Images.Shape[0];
    public int ClassCount => ClassNames.Length;
    public int Height => Images.Shape[2];
    public int Width => Images.Shape[3];

    /// <summary>
    /// One label per pixel, (N·H·W) row-major: 0 for background, class + 1 where an object is visible (K + 1 classes in all),
    /// the target of semantic segmentation.
    /// </summary>
    public int[] SemanticLabels()
    {
        int pixels = Height * Width;
        var labels = new int[Count * pixels];
        for (int i = 0; i < Count; i++)
            for (int o = 0; o < Objects[i].Length; o++)
                for (int p = 0; p < pixels; p++)
                    if (Masks[i][o][p]) labels[i * pixels + p] = Objects[i][o].Class + 1;
        return labels;
    }

    /// <summary>Images <paramref name="start"/> .. start + count − 1 as a data set of their own.</summary>
    public DetectionDataset Slice(int start, int count)
    {
        if (start < 0 || count < 0 || start + count > Count)
            throw new ArgumentOutOfRangeException(nameof(count), $"{Name}: images {start}..{start + count - 1} are outside 0..{Count - 1}.");
        var (_, c, h, w) = Images.Shape;
        var images = Tensor.FromData([count, c, h, w], Images.AsSpan().Slice(start * c * h * w, count * c * h * w));
        return new DetectionDataset(Name, images, Objects[start..(start + count)], Masks[start..(start + count)], ClassNames);
    }

    public override string ToString() =>
        $"{Name}: {Count} images {Images.Shape[1]}x{Height}x{Width}, {Objects.Sum(o => o.Length)} objects of {ClassCount} classes ({string.Join(", ", ClassNames)})";

    /// <summary>The bounding box of a mask (pixel convention of <see cref="Box"/>: the last column + 1), or null for an empty mask.</summary>
    public static Box? BoundingBox(bool[] mask, int width)
    {
        int left = int.MaxValue, top = int.MaxValue, right = -1, bottom = -1;
        for (int p = 0; p < mask.Length; p++)
        {
            if (!mask[p]) continue;
            int y = p / width, x = p % width;
            left = Math.Min(left, x); right = Math.Max(right, x);
            top = Math.Min(top, y); bottom = Math.Max(bottom, y);
        }
        return right < 0 ? null : Box.FromInclusivePixels(left, top, right, bottom);
    }
}
