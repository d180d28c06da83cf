namespace CourseKit.Layers;

/// <summary>How a layer's weights are drawn at construction.</summary>
public enum WeightInit
{
    /// <summary>He (Kaiming): N(0, 2 / fan_in); suits ReLU networks.</summary>
    He,
    /// <summary>Xavier/Glorot: N(0, 2 / (fan_in + fan_out)); suits sigmoid and tanh.</summary>
    Xavier,
    /// <summary>The lecture's 0.01·randn: N(0, 0.01²) whatever the layer size.</summary>
    SmallNormal,
    /// <summary>N(0, 0.02²) whatever the layer size: the initialisation of the DCGAN and pix2pix papers (lecture 5.7, 5.9).</summary>
    Gan,
}

/// <summary>Draws initial weights reproducibly from a seed.</summary>
public static class WeightInitializer
{
    /// <summary>The standard deviation of <paramref name="init"/> for a layer with these fan-in and fan-out.</summary>
    public static double StandardDeviation(WeightInit init, int fanIn, int fanOut) => init switch
    {
        WeightInit.He => Math.Sqrt(2.0 / fanIn),
        WeightInit.Xavier => Math.Sqrt(2.0 / (fanIn + fanOut)),
        WeightInit.SmallNormal => 0.01,
        WeightInit.Gan => 0.02,
        _ => throw new ArgumentOutOfRangeException(nameof(init), init, null),
    };

    /// <summary>A tensor of <paramref name="shape"/> with N(0, σ²) entries, σ from <paramref name="init"/>.</summary>
    public static Tensor Create(Shape shape, WeightInit init, int fanIn, int fanOut, int seed)
    {
        double std = StandardDeviation(init, fanIn, fanOut);
        var rng = new Random(seed);
        var data = new float[shape.Size];
        for (int i = 0; i < data.Length; i++) data[i] = (float)(std * StandardNormal(rng));
        return new Tensor(shape, data);
    }

    // Box–Muller: two uniforms give one standard normal sample.
    private static double StandardNormal(Random rng)
    {
        double u1 = 1.0 - rng.NextDouble(), u2 = rng.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }
}
