namespace CourseKit.Data;

/// <summary>
/// Labelled images held in memory: <see cref="Images"/> is (N, C, H, W) with pixels scaled to [0, 1]
/// (byte / 255), <see cref="Labels"/> holds one class index per image, and <see cref="Pixels"/> keeps
/// the original bytes. The lecture's CNN reads MNIST as (N, 1, 28, 28).
/// </summary>
public sealed partial class ImageDataset
{
    /// <summary>Builds a data set from raw 8-bit pixels laid out (N, C, H, W) and one label per image.</summary>
    public ImageDataset(byte[] pixels, Shape imageShape, int[] labels, int classCount, string name = "dataset")
    {
        if (imageShape.Rank != 3)
            throw new ArgumentException($"{name}: the image shape must be (C, H, W), but {imageShape} was given.");
        int perImage = imageShape.Size;
        if (perImage == 0 || pixels.Length % perImage != 0)
            throw new ArgumentException($"{name}: {pixels.Length} pixel bytes are not a whole number of {imageShape} images ({perImage} bytes each).");
        int count = pixels.Length / perImage;
        if (labels.Length != count)
            throw new ArgumentException($"{name}: there are {count} images but {labels.Length} labels; each image needs exactly one label.");
        for (int i = 0; i < labels.Length; i++)
            if ((uint)labels[i] >= (uint)classCount)
                throw new ArgumentException($"{name}: label {labels[i]} of image {i} is outside 0..{classCount - 1}.");

        Name = name;
        Pixels = pixels;
        Labels = labels;
        ClassCount = classCount;
        ImageShape = imageShape;

        // Pixel intensities 0..255 become 0..1, the input scale the lecture's networks expect.
        var values = new float[pixels.Length];
        for (int i = 0; i < values.Length; i++) values[i] = pixels[i] / 255f;
        Images = new Tensor([count, imageShape[0], imageShape[1], imageShape[2]], values);
    }

    /// <summary>A short name used in messages and summaries, e.g. "MNIST sample train".</summary>
    public string Name { get; }

    /// <summary>All images as one CPU tensor (N, C, H, W), values in [0, 1].</summary>
    public Tensor Images { get; }

    /// <summary>The original 8-bit pixels, (N, C, H, W) row-major.</summary>
    public byte[] Pixels { get; }

    /// <summary>Class index of each image, 0..ClassCount−1.</summary>
    public int[] Labels { get; }

    /// <summary>The shape of one image, (C, H, W).</summary>
    public Shape ImageShape { get; }

    /// <summary>Number of classes (10 for MNIST digits).</summary>
    public int ClassCount { get; }

    /// <summary>The name of each class, indexed by label (CIFAR-10: airplane, automobile, …), or null when the classes are just numbers.</summary>
    public IReadOnlyList<string>? ClassNames
    {
        get;
        init
        {
            if (value is not null && value.Count != ClassCount)
                throw new ArgumentException($"{Name}: {value.Count} class names were given for {ClassCount} classes; give one name per class.");
            field = value;
        }
    }

    /// <summary>The name of class <paramref name="label"/>, or the number itself when the classes have no names.</summary>
    public string ClassName(int label) => ClassNames is { } names ? names[label] : label.ToString();

    /// <summary>Number of images (N).</summary>
    public int Count => Labels.Length;

    /// <summary>How many images each class has, indexed by label.</summary>
    public int[] ClassCounts()
    {
        var counts = new int[ClassCount];
        foreach (int label in Labels) counts[label]++;
        return counts;
    }

    /// <summary>The images at <paramref name="indices"/>, in that order, as a new data set.</summary>
    public ImageDataset Subset(ReadOnlySpan<int> indices, string? name = null)
    {
        int perImage = ImageShape.Size;
        var pixels = new byte[indices.Length * perImage];
        var labels = new int[indices.Length];
        for (int k = 0; k < indices.Length; k++)
        {
            int i = indices[k];
            if ((uint)i >= (uint)Count)
                throw new ArgumentOutOfRangeException(nameof(indices), $"{Name}.Subset: index {i} is outside 0..{Count - 1}.");
            Pixels.AsSpan(i * perImage, perImage).CopyTo(pixels.AsSpan(k * perImage));
            labels[k] = Labels[i];
        }
        return new ImageDataset(pixels, ImageShape, labels, ClassCount, name ?? $"{Name} subset") { ClassNames = ClassNames };
    }

    /// <summary>The first <paramref name="count"/> images (handy for quick experiments and tests).</summary>
    public ImageDataset Take(int count)
    {
        count = Math.Clamp(count, 0, Count);
        var indices = new int[count];
        for (int i = 0; i < count; i++) indices[i] = i;
        return Subset(indices, $"{Name} (first {count})");
    }

    public override string ToString() => $"{Name}: {Count} images of {ImageShape}, {ClassCount} classes";
}
