namespace CourseKit.Generative;

/// <summary>A normal distribution on the line, for the 1-D GAN toy: samples and density.</summary>
public sealed record Gaussian1D(double Mean, double Std)
{
    /// <summary>n samples as a column (n, 1).</summary>
    public Tensor Sample(int n, Xoshiro256 random)
    {
        var data = new float[n];
        for (int i = 0; i < n; i++) data[i] = (float)(Mean + Std * random.NextNormal());
        return Tensor.FromData([n, 1], data);
    }

    /// <summary>p(x) = exp(−(x − μ)²/(2σ²)) / (σ√(2π)).</summary>
    public double Density(double x) => Math.Exp(-0.5 * Math.Pow((x - Mean) / Std, 2)) / (Std * Math.Sqrt(2 * Math.PI));
}

/// <summary>
/// Toy data for GANs small enough to see: a Gaussian on the line, and a ring of Gaussians in the plane on which a
/// generator that covers only some modes (mode collapse) is seen at once.
/// </summary>
public static class ToyDistributions
{
    /// <summary>
    /// The best discriminator for a fixed generator (Goodfellow et al. 2014, Prop. 1): maximising V(D, G) point by point,
    /// p_data·log D + p_g·log(1 − D) is largest at D*(x) = p_data(x) / (p_data(x) + p_g(x)).
    /// </summary>
    public static double OptimalDiscriminator(double pData, double pGenerated) =>
        pData + pGenerated == 0 ? 0.5 : pData / (pData + pGenerated);

    /// <summary>The centres of <paramref name="modes"/> Gaussians evenly spaced on a circle of <paramref name="radius"/>.</summary>
    public static (double X, double Y)[] RingCentres(int modes, double radius = 2.0) =>
        [.. Enumerable.Range(0, modes).Select(k => (radius * Math.Cos(2 * Math.PI * k / modes), radius * Math.Sin(2 * Math.PI * k / modes)))];

    /// <summary>n points (n, 2) from the ring: a centre chosen uniformly, plus N(0, std²) in each coordinate.</summary>
    public static Tensor Ring(int n, Xoshiro256 random, int modes = 8, double radius = 2.0, double std = 0.05)
    {
        var centres = RingCentres(modes, radius);
        var data = new float[2 * n];
        for (int i = 0; i < n; i++)
        {
            var (cx, cy) = centres[random.NextInt(modes)];
            data[2 * i] = (float)(cx + std * random.NextNormal());
            data[2 * i + 1] = (float)(cy + std * random.NextNormal());
        }
        return Tensor.FromData([n, 2], data);
    }

    /// <summary>
    /// How many of the ring's modes the points (n, 2) cover: a mode counts when at least <paramref name="minShare"/> of
    /// the points lie within 3 std of its centre. A generator that has collapsed covers one or two.
    /// </summary>
    public static int ModesCovered(Tensor points, int modes = 8, double radius = 2.0, double std = 0.05, double minShare = 0.02)
    {
        if (points.Rank != 2 || points.Shape[1] != 2)
            throw new ArgumentException($"ToyDistributions.ModesCovered: expects points of shape (n, 2), got {points.Shape}.");
        var centres = RingCentres(modes, radius);
        var p = points.ToArray();
        int n = points.Shape[0];
        var counts = new int[modes];
        for (int i = 0; i < n; i++)
            for (int k = 0; k < modes; k++)
                if (Math.Pow(p[2 * i] - centres[k].X, 2) + Math.Pow(p[2 * i + 1] - centres[k].Y, 2) <= 9 * std * std) { counts[k]++; break; }
        return counts.Count(c => c >= minShare * n);
    }
}
