using CourseKit.Data;

namespace CourseKit.Detection;

/// <summary>
/// A harder detection set: MNIST digits (28×28) placed on a larger noisy canvas, 10 classes whose shapes differ less
/// than circles and squares do. Each digit's mask is its pixels brighter than <c>threshold</c> where it is the
/// brightest digit (digits may overlap), its box the mask's bounding box. Deterministic from the seed.
/// </summary>
public static class DigitCanvas
{
    public static readonly string[] ClassNames = ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"];

    /// <summary>
    /// <paramref name="count"/> gray canvases (N, 1, size, size) with 1..<paramref name="maxDigits"/> digits drawn from
    /// <paramref name="digits"/> (e.g. <c>Mnist.Load().Train</c>).
    /// </summary>
    public static DetectionDataset Generate(ImageDataset digits, int count, int size = 64, int seed = 0, int maxDigits = 3,
                                            float maxOverlap = 0.2f, float noise = 0.08f, float threshold = 0.3f)
    {
        var (_, c, dh, dw) = digits.Images.Shape;
        if (c != 1 || size < Math.Max(dh, dw) || count <= 0)
            throw new ArgumentException($"DigitCanvas.Generate: needs gray digits no larger than the canvas {size} and count ≥ 1, got digits {digits.Images.Shape} and count {count}.");
        var source = digits.Images.AsSpan();
        var rng = new Xoshiro256(seed);
        int pixels = size * size;
        var data = new float[count * pixels];
        var objects = new DetectedObject[count][];
        var masks = new bool[count][][];
        for (int n = 0; n < count; n++)
        {
            var canvas = data.AsSpan(n * pixels, pixels);
            var owner = new int[pixels];
            Array.Fill(owner, -1);
            var placed = new List<(int Label, Box Box)>();
            int wanted = 1 + rng.NextInt(maxDigits);
            for (int attempt = 0; placed.Count < wanted && attempt < 50; attempt++)
            {
                int which = rng.NextInt(digits.Count);
                int x0 = rng.NextInt(size - dw + 1), y0 = rng.NextInt(size - dh + 1);
                var digit = source.Slice(which * dh * dw, dh * dw);
                var box = DetectionDataset.BoundingBox([.. digit.ToArray().Select(v => v > threshold)], dw);
                if (box is not { } b) continue;
                var onCanvas = new Box(b.X1 + x0, b.Y1 + y0, b.X2 + x0, b.Y2 + y0);
                if (placed.Any(p => IntersectionOverUnion.Of(p.Box, onCanvas) > maxOverlap)) continue;
                int index = placed.Count;
                for (int y = 0; y < dh; y++)
                    for (int x = 0; x < dw; x++)
                    {
                        float v = digit[y * dw + x];
                        int p = (y0 + y) * size + x0 + x;
                        if (v <= canvas[p]) continue;  // the brighter stroke stays on top
                        canvas[p] = v;
                        owner[p] = v > threshold ? index : -1;
                    }
                placed.Add((digits.Labels[which], onCanvas));
            }
            for (int p = 0; p < pixels; p++) canvas[p] = Math.Clamp(canvas[p] + noise * (float)Math.Abs(rng.NextNormal()), 0f, 1f);
            var found = new List<DetectedObject>();
            var foundMasks = new List<bool[]>();
            for (int o = 0; o < placed.Count; o++)
            {
                var mask = new bool[pixels];
                for (int p = 0; p < pixels; p++) mask[p] = owner[p] == o;
                if (DetectionDataset.BoundingBox(mask, size) is not { } visible) continue;
                found.Add(new DetectedObject(visible, placed[o].Label));
                foundMasks.Add(mask);
            }
            objects[n] = [.. found];
            masks[n] = [.. foundMasks];
        }
        return new DetectionDataset($"Digits on a canvas (seed {seed})", new Tensor([count, 1, size, size], data), objects, masks, ClassNames);
    }
}
