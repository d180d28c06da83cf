using System.Text.Json.Nodes;

namespace CourseKit.Display;

/// <summary>
/// Values counted into <see cref="Bins"/> equal bins over [<see cref="Min"/>, <see cref="Max"/>] (the last bin
/// includes Max), drawn as bars or as a line through the bin centres, so several histograms can share one plot
/// (the activations of every layer of a deep network, 0-1). Values outside the range, and NaN, are counted in
/// <see cref="Outside"/>, not in a bin; fractions are of all values, so a histogram with many outside sums below 1.
/// </summary>
public sealed class Histogram
{
    private readonly int[] counts;

    public Histogram(IEnumerable<double> values, int bins, double min, double max)
    {
        if (bins <= 0) throw new ArgumentException($"Histogram: the number of bins must be positive, got {bins}.");
        if (!(min < max) || !double.IsFinite(min) || !double.IsFinite(max))
            throw new ArgumentException($"Histogram: the range must be finite with min < max, got [{min}, {max}].");
        Min = min;
        Max = max;
        counts = new int[bins];
        foreach (double v in values)
        {
            Total++;
            if (!(v >= min && v <= max)) { Outside++; continue; }
            counts[Math.Min((int)((v - min) / Width), bins - 1)]++;   // v = max falls in the last bin
        }
    }

    /// <summary>A histogram of every entry of <paramref name="values"/>, whatever its shape.</summary>
    public Histogram(Tensor values, int bins, double min, double max)
        : this(values.ToArray().Select(v => (double)v), bins, min, max) { }

    public double Min { get; }
    public double Max { get; }
    public int Bins => counts.Length;
    public double Width => (Max - Min) / Bins;

    /// <summary>How many values fell in each bin.</summary>
    public IReadOnlyList<int> Counts => counts;

    /// <summary>How many values were counted, in a bin or not.</summary>
    public int Total { get; }

    /// <summary>How many values were outside [Min, Max] or NaN.</summary>
    public int Outside { get; }

    /// <summary>The middle of each bin: Min + (k + ½)·Width.</summary>
    public double[] Centres => [.. Enumerable.Range(0, Bins).Select(k => Min + (k + 0.5) * Width)];

    /// <summary>The share of all values in each bin (count / Total; 0 when there are no values).</summary>
    public double[] Fractions => [.. counts.Select(c => Total == 0 ? 0 : (double)c / Total)];

    /// <summary>One bar per bin, as wide as the bin, its height the fraction of the values in it.</summary>
    public Trace Bars(string? name = null) => new("bar", name, new JsonObject
    {
        ["x"] = Trace.Numbers(Centres), ["y"] = Trace.Numbers(Fractions), ["width"] = Width,
    });

    /// <summary>A line through (bin centre, fraction): several histograms overlaid stay readable.</summary>
    public Trace Line(string? name = null) => Chart.Line(Centres, Fractions, name);
}
