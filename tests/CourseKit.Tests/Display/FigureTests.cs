using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using CourseKit.Display;

namespace CourseKit.Tests.Display;

public sealed class FigureTests
{
    private static Figure TwoLines() =>
        new Figure("Loss", "epoch", "loss")
            .Add(Chart.Line([1, 2, 3], [0.9, 0.5, 0.3], "train"))
            .Add(Chart.Line([1, 2, 3], [1.0, 0.7, double.NaN], "test"));

    [Fact]
    public void Line_chart_json_has_every_trace_with_its_points_and_the_axis_titles()
    {
        var json = JsonNode.Parse(TwoLines().ToJson())!;
        var data = json["data"]!.AsArray();
        Assert.Equal(2, data.Count);
        Assert.Equal(["train", "test"], data.Select(t => (string)t!["name"]!));
        Assert.All(data, t => Assert.Equal("lines", (string)t!["mode"]!));
        Assert.Equal([0.9, 0.5, 0.3], data[0]!["y"]!.AsArray().Select(v => (double)v!));
        Assert.Null(data[1]!["y"]![2]); // NaN becomes a gap, not invalid JSON
        Assert.Equal("epoch", (string)json["layout"]!["xaxis"]!["title"]!["text"]!);
        Assert.Equal("loss", (string)json["layout"]!["yaxis"]!["title"]!["text"]!);
        Assert.Equal("Loss", (string)json["layout"]!["title"]!["text"]!);
    }

    [Fact]
    public void A_line_of_one_point_or_with_a_point_between_gaps_gets_markers_so_that_it_is_visible()
    {
        // one epoch of training (quick mode): a line of one point draws nothing without markers
        var history = JsonNode.Parse(Plots.History([0.7], [0.8], [0.75]).ToJson())!["data"]!.AsArray();
        Assert.Equal(3, history.Count);
        Assert.All(history, t => Assert.Equal("lines+markers", (string)t!["mode"]!));
        var isolated = JsonNode.Parse(new Figure().Add(Chart.Line([1, 2, 3, 4, 5], [1, double.NaN, 3, double.NaN, double.NaN])).ToJson())!;
        Assert.Equal("lines+markers", (string)isolated["data"]![0]!["mode"]!);
        var connected = JsonNode.Parse(new Figure().Add(Chart.Line([1, 2], [1.0, 2.0])).ToJson())!;
        Assert.Equal("lines", (string)connected["data"]![0]!["mode"]!);
    }

    [Fact]
    public void Scatter_bar_and_heatmap_traces_carry_their_plotly_types_and_values()
    {
        var figure = new Figure()
            .Add(Chart.Scatter([0.5, 1.5], [2, 3], "points", ["a", "b"]))
            .Add(Chart.Bar(["cat", "dog"], [4, 5], "counts"))
            .Add(Chart.Heatmap(new double[,] { { 1, 2 }, { 3, 4 } }, ["p0", "p1"], ["t0", "t1"]));
        var data = JsonNode.Parse(figure.ToJson())!["data"]!.AsArray();
        Assert.Equal(["scatter", "bar", "heatmap"], data.Select(t => (string)t!["type"]!));
        Assert.Equal("markers", (string)data[0]!["mode"]!);
        Assert.Equal(["a", "b"], data[0]!["text"]!.AsArray().Select(v => (string)v!));
        Assert.Equal(["cat", "dog"], data[1]!["x"]!.AsArray().Select(v => (string)v!));
        Assert.Equal(3.0, (double)data[2]!["z"]![1]![0]!);
        Assert.Equal("reversed", (string)JsonNode.Parse(figure.ToJson())!["layout"]!["yaxis"]!["autorange"]!);
    }

    [Fact]
    public void Heatmap_of_a_tensor_keeps_rows_and_columns()
    {
        var t = TestImages.RandomTensor(50, 3, 4);
        var z = JsonNode.Parse(new Figure().Add(Chart.Heatmap(t)).ToJson())!["data"]![0]!["z"]!.AsArray();
        Assert.Equal(3, z.Count);
        Assert.Equal((double)t.ToArray()[1 * 4 + 2], (double)z[1]![2]!, 6);
    }

    [Fact]
    public void Html_fragment_has_a_div_with_unique_id_and_calls_Plotly_newPlot_on_it()
    {
        var figure = TwoLines();
        string first = figure.ToHtml(), second = figure.ToHtml();
        var id = Regex.Match(first, "<div id=\"([^\"]+)\"").Groups[1].Value;
        Assert.StartsWith("coursekit-plot-", id);
        Assert.Contains($"Plotly.newPlot('{id}'", first);
        Assert.DoesNotContain(id, second); // shown twice, drawn twice
        Assert.Contains("requirejs", first);
        Assert.Contains(PlotlyJs.CdnUrl, first);
    }

    [Fact]
    public void Html_fragment_escapes_script_closing_text_in_titles()
    {
        var html = new Figure("</script><b>").Add(Chart.Line([1.0], "x")).ToHtml();
        Assert.Single(Regex.Matches(html, "</script>"));
    }

    [Fact]
    public void Add_to_a_missing_subplot_row_says_how_many_rows_exist()
    {
        var error = Assert.Throws<ArgumentException>(() => new Figure().Add(Chart.Line([1.0]), row: 2));
        Assert.Contains("1 row(s)", error.Message);
    }

    [Fact]
    public void Line_rejects_x_and_y_of_different_lengths()
    {
        var error = Assert.Throws<ArgumentException>(() => Chart.Line([1, 2, 3], [1, 2]));
        Assert.Contains("3 x values but 2 y values", error.Message);
    }
}
