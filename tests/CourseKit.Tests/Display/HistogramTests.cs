using System.Text.Json.Nodes;
using CourseKit.Display;

namespace CourseKit.Tests.Display;

public sealed class HistogramTests
{
    [Fact]
    public void Values_fall_in_equal_bins_with_the_maximum_in_the_last_and_the_rest_outside()
    {
        var histogram = new Histogram([-1.0, -0.5, -0.49, 0.0, 0.3, 0.99, 1.0, 1.01, -2, double.NaN], bins: 4, min: -1, max: 1);
        Assert.Equal(0.5, histogram.Width);
        Assert.Equal([-0.75, -0.25, 0.25, 0.75], histogram.Centres);
        // [-1, -0.5): -1 | [-0.5, 0): -0.5, -0.49 | [0, 0.5): 0, 0.3 | [0.5, 1]: 0.99, 1
        Assert.Equal([1, 2, 2, 2], histogram.Counts);
        Assert.Equal(10, histogram.Total);
        Assert.Equal(3, histogram.Outside);
        Assert.Equal([0.1, 0.2, 0.2, 0.2], histogram.Fractions);
    }

    [Fact]
    public void A_tensor_is_counted_entry_by_entry_whatever_its_shape()
    {
        var x = Tensor.Arange(0, 12).Reshape(3, 4);   // 0 … 11
        var histogram = new Histogram(x, bins: 3, min: 0, max: 12);
        Assert.Equal([4, 4, 4], histogram.Counts);
        Assert.Equal(0, histogram.Outside);
    }

    [Fact]
    public void Bars_are_as_wide_as_a_bin_at_the_centres_and_the_line_goes_through_the_same_points()
    {
        var histogram = new Histogram([0.1, 0.2, 0.7], bins: 2, min: 0, max: 1);
        var figure = JsonNode.Parse(new Figure().Add(histogram.Bars("bars")).Add(histogram.Line("line")).ToJson())!["data"]!.AsArray();
        Assert.Equal("bar", (string)figure[0]!["type"]!);
        Assert.Equal(0.5, (double)figure[0]!["width"]!);
        Assert.Equal([0.25, 0.75], figure[0]!["x"]!.AsArray().Select(v => (double)v!));
        Assert.Equal([2 / 3.0, 1 / 3.0], figure[0]!["y"]!.AsArray().Select(v => (double)v!));
        Assert.Equal("scatter", (string)figure[1]!["type"]!);
        Assert.Equal([0.25, 0.75], figure[1]!["x"]!.AsArray().Select(v => (double)v!));
    }

    [Theory]
    [InlineData(0, 0.0, 1.0)]
    [InlineData(3, 1.0, 1.0)]
    [InlineData(3, 0.0, double.PositiveInfinity)]
    public void A_range_or_bin_count_that_makes_no_histogram_is_refused(int bins, double min, double max)
    {
        var error = Assert.Throws<ArgumentException>(() => new Histogram([0.5], bins, min, max));
        Assert.StartsWith("Histogram:", error.Message);
    }
}
