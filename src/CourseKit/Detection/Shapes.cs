namespace CourseKit.Detection;

/// <summary>
/// A generated detection data set: circles, squares and triangles of several colours and sizes, partly overlapping, on
/// noisy backgrounds, with boxes, classes and one mask per object. The same seed gives the same images on every
/// machine (CourseKit's own <see cref="Xoshiro256"/> generator), so detection trains in minutes on a CPU and every
/// figure can be reproduced.
/// </summary>
public static class Shapes
{
    public static readonly string[] ClassNames = ["circle", "square", "triangle"];

    private static readonly (float R, float G, float B)[] Colors =
    [
        (0.90f, 0.20f, 0.20f), (0.20f, 0.80f, 0.30f), (0.25f, 0.45f, 0.95f),
        (0.95f, 0.85f, 0.20f), (0.85f, 0.30f, 0.85f), (0.20f, 0.85f, 0.85f),
    ];

    /// <summary>
    /// <paramref name="count"/> RGB images of <paramref name="size"/>² pixels with 1 to <paramref name="maxObjects"/>
    /// objects each, sized <paramref name="minObjectSize"/>..<paramref name="maxObjectSize"/> pixels (default: size/6 .. size/2.5).
    /// Objects may overlap (IoU up to <paramref name="maxOverlap"/>); a later object hides the part of an earlier one
    /// under it, and every mask and box describes what is visible.
    /// </summary>
    public static DetectionDataset Generate(int count, int size = 64, int seed = 0, int maxObjects = 3,
                                            int minObjectSize = 0, int maxObjectSize = 0, float maxOverlap = 0.3f, float noise = 0.06f)
    {
        if (count <= 0 || size < 16 || maxObjects < 1)
            throw new ArgumentException($"Shapes.Generate: needs count ≥ 1, size ≥ 16 and maxObjects ≥ 1, got {count}, {size}, {maxObjects}.");
        int lo = minObjectSize > 0 ? minObjectSize : Math.Max(5, size / 6);
        int hi = maxObjectSize > 0 ? maxObjectSize : Math.Max(lo, (int)(size / 2.5f));
        var rng = new Xoshiro256(seed);
        int pixels = size * size;
        var data = new float[count * 3 * pixels];
        var objects = new DetectedObject[count][];
        var masks = new bool[count][][];
        for (int n = 0; n < count; n++)
        {
            var image = data.AsSpan(n * 3 * pixels, 3 * pixels);
            Background(image, size, rng);
            var owner = new int[pixels];  // which object is visible at each pixel (−1: background)
            Array.Fill(owner, -1);
            var placed = new List<(int Class, Box Box)>();
            int wanted = 1 + rng.NextInt(maxObjects);
            for (int attempt = 0; placed.Count < wanted && attempt < 50; attempt++)
            {
                int cls = rng.NextInt(ClassNames.Length);
                float s = lo + (float)rng.NextDouble() * (hi - lo);
                float x0 = (float)rng.NextDouble() * (size - s), y0 = (float)rng.NextDouble() * (size - s);
                var box = new Box(x0, y0, x0 + s, y0 + s);
                if (placed.Any(p => IntersectionOverUnion.Of(p.Box, box) > maxOverlap)) continue;
                var color = Colors[rng.NextInt(Colors.Length)];
                int index = placed.Count;
                for (int y = 0; y < size; y++)
                    for (int x = 0; x < size; x++)
                    {
                        if (!Inside(cls, box, x + 0.5f, y + 0.5f)) continue;  // sampled at the pixel's centre
                        int p = y * size + x;
                        owner[p] = index;
                        image[p] = color.R; image[pixels + p] = color.G; image[2 * pixels + p] = color.B;
                    }
                placed.Add((cls, box));
            }
            // noise over everything, then the visible masks and their bounding boxes
            for (int i = 0; i < image.Length; i++) image[i] = Math.Clamp(image[i] + noise * (float)rng.NextNormal(), 0f, 1f);
            var found = new List<DetectedObject>();
            var foundMasks = new List<bool[]>();
            for (int o = 0; o < placed.Count; o++)
            {
                var mask = new bool[pixels];
                for (int p = 0; p < pixels; p++) mask[p] = owner[p] == o;
                if (DetectionDataset.BoundingBox(mask, size) is not { } visible) continue;  // hidden completely
                found.Add(new DetectedObject(visible, placed[o].Class));
                foundMasks.Add(mask);
            }
            objects[n] = [.. found];
            masks[n] = [.. foundMasks];
        }
        return new DetectionDataset($"Shapes (seed {seed})", new Tensor([count, 3, size, size], data), objects, masks, ClassNames);
    }

    /// <summary>Whether the point (x, y) lies in the shape of class <paramref name="cls"/> drawn in <paramref name="box"/>.</summary>
    public static bool Inside(int cls, Box box, float x, float y)
    {
        switch (cls)
        {
            case 0:  // circle inscribed in the box
                float r = box.Width / 2, dx = x - box.CenterX, dy = y - box.CenterY;
                return dx * dx + dy * dy <= r * r;
            case 1:  // square: the box itself
                return x >= box.X1 && x < box.X2 && y >= box.Y1 && y < box.Y2;
            default:  // triangle pointing up: apex at the top centre, base along the bottom
                if (y < box.Y1 || y >= box.Y2) return false;
                float half = box.Width / 2 * (y - box.Y1) / box.Height;
                return MathF.Abs(x - box.CenterX) <= half;
        }
    }

    // A random grey-brown level with a gentle gradient: the detector must not rely on a flat background.
    private static void Background(Span<float> image, int size, Xoshiro256 rng)
    {
        int pixels = size * size;
        float baseLevel = 0.15f + 0.3f * (float)rng.NextDouble();
        float gx = 0.2f * ((float)rng.NextDouble() - 0.5f), gy = 0.2f * ((float)rng.NextDouble() - 0.5f);
        for (int c = 0; c < 3; c++)
        {
            float tint = 0.05f * ((float)rng.NextDouble() - 0.5f);
            for (int y = 0; y < size; y++)
                for (int x = 0; x < size; x++)
                    image[c * pixels + y * size + x] = baseLevel + tint + gx * x / size + gy * y / size;
        }
    }
}
