namespace CourseKit;

/// <summary>
/// Random tensors. Every function takes a seed (the same seed gives the same tensor on every machine,
/// see <see cref="Xoshiro256"/>) or a generator to draw from; without either they draw from one
/// shared generator that <see cref="ManualSeed"/> restarts, like torch.manual_seed.
/// </summary>
public sealed partial class Tensor
{
    private static readonly Lock SharedLock = new();
    private static Xoshiro256 shared = new(0);

    /// <summary>Restarts the shared generator, so that a notebook run from the top draws the same numbers.</summary>
    public static void ManualSeed(long seed)
    {
        lock (SharedLock) shared = new Xoshiro256(seed);
    }

    /// <summary>Samples of the normal distribution N(mean, std²).</summary>
    public static Tensor Normal(Shape shape, float mean = 0f, float std = 1f, long? seed = null) =>
        Draw(shape, seed, rng => Normal(shape, mean, std, rng));

    public static Tensor Normal(Shape shape, float mean, float std, Xoshiro256 generator)
    {
        var data = new float[shape.Size];
        for (int i = 0; i < data.Length; i++) data[i] = (float)(mean + std * generator.NextNormal());
        return new Tensor(shape, data);
    }

    /// <summary>Samples of the uniform distribution on [low, high).</summary>
    public static Tensor Uniform(Shape shape, float low = 0f, float high = 1f, long? seed = null) =>
        Draw(shape, seed, rng => Uniform(shape, low, high, rng));

    public static Tensor Uniform(Shape shape, float low, float high, Xoshiro256 generator)
    {
        if (!(high >= low)) throw new ArgumentException($"Uniform: low ({low}) must not exceed high ({high}).");
        var data = new float[shape.Size];
        double width = (double)high - low;
        for (int i = 0; i < data.Length; i++) data[i] = (float)(low + width * generator.NextDouble());
        return new Tensor(shape, data);
    }

    /// <summary>Standard normal samples (NumPy's randn): <c>Tensor.RandN(2, 3, seed: 0)</c>.</summary>
    public static Tensor RandN(int d0, long? seed = null) => Normal([d0], 0f, 1f, seed);
    public static Tensor RandN(int d0, int d1, long? seed = null) => Normal([d0, d1], 0f, 1f, seed);
    public static Tensor RandN(int d0, int d1, int d2, long? seed = null) => Normal([d0, d1, d2], 0f, 1f, seed);
    public static Tensor RandN(int d0, int d1, int d2, int d3, long? seed = null) => Normal([d0, d1, d2, d3], 0f, 1f, seed);
    /// <summary>Standard normal samples of any shape: <c>Tensor.RandN([2, 3, 4, 5, 6], seed: 1)</c>.</summary>
    public static Tensor RandN(Shape shape, long? seed = null) => Normal(shape, 0f, 1f, seed);

    /// <summary>Uniform samples on [0, 1) (NumPy's rand): <c>Tensor.Rand(2, 3, seed: 0)</c>.</summary>
    public static Tensor Rand(int d0, long? seed = null) => Uniform([d0], 0f, 1f, seed);
    public static Tensor Rand(int d0, int d1, long? seed = null) => Uniform([d0, d1], 0f, 1f, seed);
    public static Tensor Rand(int d0, int d1, int d2, long? seed = null) => Uniform([d0, d1, d2], 0f, 1f, seed);
    public static Tensor Rand(int d0, int d1, int d2, int d3, long? seed = null) => Uniform([d0, d1, d2, d3], 0f, 1f, seed);
    public static Tensor Rand(Shape shape, long? seed = null) => Uniform(shape, 0f, 1f, seed);

    private static Tensor Draw(Shape shape, long? seed, Func<Xoshiro256, Tensor> draw)
    {
        if (seed is long s) return draw(new Xoshiro256(s));
        lock (SharedLock) return draw(shared);
    }
}
