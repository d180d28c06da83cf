using CourseKit.Display;

namespace CourseKit.Generative;

/// <summary>
/// What a GAN's training looked like, one entry per generator step: both losses and the discriminator's mean
/// outputs D(x) on real data and D(G(z)) on fakes. At the game's equilibrium (lecture 5.6) both means approach 0.5.
/// </summary>
public sealed class GanHistory
{
    public List<float> DiscriminatorLoss { get; } = [];
    public List<float> GeneratorLoss { get; } = [];

    /// <summary>Mean D(x) over the last real batch D saw before this generator step.</summary>
    public List<float> DReal { get; } = [];

    /// <summary>Mean D(G(z)) over the fakes of the last discriminator step.</summary>
    public List<float> DFake { get; } = [];

    /// <summary>The generator step at which each epoch ended (to mark epochs on the plot).</summary>
    public List<int> EpochEnds { get; } = [];

    public int Steps => GeneratorLoss.Count;

    /// <summary>Losses (top) and D(x), D(G(z)) (bottom) against the generator step.</summary>
    public Figure Plot(string? title = "GAN training")
    {
        static double[] Of(List<float> values) => [.. values.Select(v => (double)v)];
        var figure = new Figure(title, null, "loss") { Rows = 2, Height = 520 };
        figure.Add(Chart.Line(Of(DiscriminatorLoss), "D loss"));
        figure.Add(Chart.Line(Of(GeneratorLoss), "G loss"));
        figure.Add(Chart.Line(Of(DReal), "D(x)"), row: 2);
        figure.Add(Chart.Line(Of(DFake), "D(G(z))"), row: 2);
        figure.SetAxisTitles(2, "generator step", "mean output of D");
        return figure;
    }
}
