namespace CourseKit.Tests.Layers;

/// <summary>Seeded random tensors for the layer tests.</summary>
internal static class RandomTensor
{
    /// <summary>Uniform entries in [−scale, scale].</summary>
    public static Tensor Uniform(Shape shape, int seed, float scale = 1f)
    {
        var rng = new System.Random(seed);
        var data = new float[shape.Size];
        for (int i = 0; i < data.Length; i++) data[i] = (float)((rng.NextDouble() * 2 - 1) * scale);
        return Tensor.FromData(shape, data);
    }

    /// <summary>Entries with |x| in [gap, 1 + gap] and random sign: away from the kink of ReLU-like functions at 0.</summary>
    public static Tensor AwayFromZero(Shape shape, int seed, float gap = 0.1f)
    {
        var rng = new System.Random(seed);
        var data = new float[shape.Size];
        for (int i = 0; i < data.Length; i++) data[i] = (float)((gap + rng.NextDouble()) * (rng.Next(2) == 0 ? -1 : 1));
        return Tensor.FromData(shape, data);
    }

    /// <summary>A random permutation of 0.1·(0..n−1) (minus a shift): distinct values at least 0.1 apart, so a max never ties.</summary>
    public static Tensor Distinct(Shape shape, int seed)
    {
        var rng = new System.Random(seed);
        var values = Enumerable.Range(0, shape.Size).Select(i => 0.1f * i - 0.05f * shape.Size).ToArray();
        rng.Shuffle(values);
        return Tensor.FromData(shape, values);
    }
}
