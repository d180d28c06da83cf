namespace CourseKit.Data.Augmentation;

/// <summary>
/// Lecture 3.2: "all of them are applied randomly". For every image of every epoch, each transformation is drawn within
/// its range (uniformly), the geometric ones are composed into one <see cref="ImageTransform"/> (cut, zoom, shear,
/// rotation, flips, then shift) and the image is sampled once; brightness follows. The draws come from the image's own
/// seed, so an epoch's augmented images are the same however many threads make them.
/// </summary>
public sealed record RandomAugmentation
{
    /// <summary>Shift by up to this fraction of the width (x) and height (y), each way.</summary>
    public float Shift { get; init; } = 0.1f;

    /// <summary>Zoom by a scale in [1 − Zoom, 1 + Zoom]: in and out.</summary>
    public float Zoom { get; init; } = 0.1f;

    /// <summary>Cut a window whose sides are at least (1 − Cut) of the image's, at a random place, stretched to full size (0: never).</summary>
    public float Cut { get; init; }

    /// <summary>Mirror left–right with probability ½.</summary>
    public bool HorizontalFlip { get; init; } = true;

    /// <summary>Upside down with probability ½. Off by default: lecture 3.2, a photo is unlikely to be upside down, so flipping it would move the training data away from the real data.</summary>
    public bool VerticalFlip { get; init; }

    /// <summary>Rotate by up to this many degrees, each way.</summary>
    public float Rotation { get; init; } = 10f;

    /// <summary>Brightness factor in [1 − Brightness, 1 + Brightness].</summary>
    public float Brightness { get; init; } = 0.1f;

    /// <summary>Shear factor k in [−Shear, Shear].</summary>
    public float Shear { get; init; } = 0.05f;

    /// <summary>No transformation at all (every image as it is).</summary>
    public static RandomAugmentation None => new() { Shift = 0, Zoom = 0, Cut = 0, HorizontalFlip = false, VerticalFlip = false, Rotation = 0, Brightness = 0, Shear = 0 };

    /// <summary>The random geometric part for one image, from <paramref name="seed"/>.</summary>
    public ImageTransform Draw(ulong seed, int height, int width) => Draw(seed, height, width, out _);

    /// <summary>Augments one image (C, H, W) from <paramref name="seed"/> into a new tensor.</summary>
    public Tensor Apply(Tensor image, ulong seed)
    {
        if (image.Rank != 3) throw new ArgumentException($"RandomAugmentation.Apply: expects one image (C, H, W), got {image.Shape}.");
        var result = new float[image.Length];
        Apply(image.ToArray(), result, image.Shape[0], image.Shape[1], image.Shape[2], seed);
        return Tensor.FromData(image.Shape, result);
    }

    /// <summary>Augments raw (C, H, W) planes: one warp, then brightness.</summary>
    public void Apply(ReadOnlySpan<float> source, Span<float> target, int channels, int height, int width, ulong seed)
    {
        var transform = Draw(seed, height, width, out float brightness);
        Augment.Warp(source, target, channels, height, width, transform);
        if (brightness != 1f) Augment.Brighten(target[..(channels * height * width)], brightness);
    }

    /// <summary>A batch (N, C, H, W) augmented image by image, image i from seed (seed, i): for pictures.</summary>
    public Tensor ApplyToBatch(Tensor batch, ulong seed)
    {
        if (batch.Rank != 4) throw new ArgumentException($"RandomAugmentation.ApplyToBatch: expects a batch (N, C, H, W), got {batch.Shape}.");
        var (n, c, h, w) = batch.Shape;
        var source = batch.ToArray();
        var result = new float[source.Length];
        int size = c * h * w;
        for (int i = 0; i < n; i++)
            Apply(source.AsSpan(i * size, size), result.AsSpan(i * size, size), c, h, w, SeededShuffle.Combine(seed, (ulong)i));
        return Tensor.FromData(batch.Shape, result);
    }

    /// <summary>
    /// Images (N, C, H, W) and their per-pixel targets (N, K, H, W) augmented together, for segmentation: each pair gets
    /// one geometric transform from seed (seed, i), so a mask still covers its organ; brightness changes the image only.
    /// One-hot targets stay one-hot in sum (bilinear weights add to 1; edge pixels repeat outside the frame).
    /// </summary>
    public (Tensor Images, Tensor Targets) ApplyToPairs(Tensor images, Tensor targets, ulong seed)
    {
        if (images.Rank != 4 || targets.Rank != 4 || images.Shape[0] != targets.Shape[0]
            || images.Shape[2] != targets.Shape[2] || images.Shape[3] != targets.Shape[3])
            throw new ArgumentException($"RandomAugmentation.ApplyToPairs: expects images (N, C, H, W) and targets (N, K, H, W) of the same N, H and W, got {images.Shape} and {targets.Shape}.");
        var (n, c, h, w) = images.Shape;
        int k = targets.Shape[1];
        var (x, t) = (images.ToArray(), targets.ToArray());
        var (xOut, tOut) = (new float[x.Length], new float[t.Length]);
        Parallel.For(0, n, i =>
        {
            var transform = Draw(SeededShuffle.Combine(seed, (ulong)i), h, w, out float brightness);
            var image = xOut.AsSpan(i * c * h * w, c * h * w);
            Augment.Warp(x.AsSpan(i * c * h * w, c * h * w), image, c, h, w, transform);
            if (brightness != 1f) Augment.Brighten(image, brightness);
            Augment.Warp(t.AsSpan(i * k * h * w, k * h * w), tOut.AsSpan(i * k * h * w, k * h * w), k, h, w, transform);
        });
        return (Tensor.FromData(images.Shape, xOut), Tensor.FromData(targets.Shape, tOut));
    }

    private ImageTransform Draw(ulong seed, int height, int width, out float brightness)
    {
        Validate();
        var random = new SplitMix64(seed);
        float Uniform(float range) => range == 0 ? 0 : (float)((random.NextUInt64() >> 11) * (1.0 / (1UL << 53)) * 2 - 1) * range;
        bool Coin() => (random.NextUInt64() >> 63) == 1;
        var t = ImageTransform.Identity;
        if (Cut > 0)
        {
            int ch = Math.Max(1, (int)Math.Round(height * (1 - Math.Abs(Uniform(Cut))))), cw = Math.Max(1, (int)Math.Round(width * (1 - Math.Abs(Uniform(Cut)))));
            int top = random.NextBelow(height - ch + 1), left = random.NextBelow(width - cw + 1);
            t = t.Then(ImageTransform.Cut(top, left, ch, cw, height, width));
        }
        if (Zoom > 0) t = t.Then(ImageTransform.Zoom(1 + Uniform(Zoom), height, width));
        if (Shear > 0) t = t.Then(ImageTransform.Shear(Uniform(Shear), height, width));
        if (Rotation > 0) t = t.Then(ImageTransform.Rotation(Uniform(Rotation), height, width));
        if (HorizontalFlip && Coin()) t = t.Then(ImageTransform.FlipHorizontal(width));
        if (VerticalFlip && Coin()) t = t.Then(ImageTransform.FlipVertical(height));
        if (Shift > 0) t = t.Then(ImageTransform.Shift(Uniform(Shift) * width, Uniform(Shift) * height));
        brightness = 1 + Uniform(Brightness);
        return t;
    }

    /// <summary>Ranges that make sense: shift, zoom, cut and brightness below 1 (a scale or window of 0 would erase the image), none negative.</summary>
    public void Validate()
    {
        foreach (var (name, value) in new[] { ("Shift", Shift), ("Zoom", Zoom), ("Cut", Cut), ("Brightness", Brightness) })
            if (!(value >= 0 && value < 1))
                throw new ArgumentOutOfRangeException(name, $"RandomAugmentation.{name} must be in [0, 1), but is {value}.");
        if (!(Rotation >= 0) || !(Shear >= 0))
            throw new ArgumentOutOfRangeException(nameof(Rotation), $"RandomAugmentation: rotation ({Rotation}) and shear ({Shear}) are ranges ± and cannot be negative.");
    }

    public override string ToString()
    {
        var parts = new List<string>();
        if (Shift > 0) parts.Add($"shift ±{Shift:P0}");
        if (Zoom > 0) parts.Add($"zoom {1 - Zoom:0.##}–{1 + Zoom:0.##}");
        if (Cut > 0) parts.Add($"cut up to {Cut:P0}");
        if (HorizontalFlip) parts.Add("horizontal flip");
        if (VerticalFlip) parts.Add("vertical flip");
        if (Rotation > 0) parts.Add($"rotation ±{Rotation}°");
        if (Brightness > 0) parts.Add($"brightness ×{1 - Brightness:0.##}–{1 + Brightness:0.##}");
        if (Shear > 0) parts.Add($"shear ±{Shear}");
        return parts.Count == 0 ? "no augmentation" : string.Join(", ", parts);
    }
}
