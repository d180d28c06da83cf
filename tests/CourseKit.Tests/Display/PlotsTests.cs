using System.Text.Json.Nodes;
using CourseKit.Display;

namespace CourseKit.Tests.Display;

public sealed class PlotsTests
{
    [Fact]
    public void History_puts_loss_on_top_and_both_accuracies_in_the_second_subplot()
    {
        double[] loss = [2.3, 1.1, 0.6], train = [0.3, 0.7, 0.9], test = [0.28, 0.65, 0.85];
        var json = JsonNode.Parse(Plots.History(loss, train, test).ToJson())!;
        var data = json["data"]!.AsArray();
        Assert.Equal(["loss", "train accuracy", "test accuracy"], data.Select(t => (string)t!["name"]!));
        Assert.Null(data[0]!["yaxis"]);
        Assert.Equal("y2", (string)data[1]!["yaxis"]!);
        Assert.Equal("y2", (string)data[2]!["yaxis"]!);
        Assert.Equal([1.0, 2.0, 3.0], data[2]!["x"]!.AsArray().Select(v => (double)v!));
        Assert.Equal(test, data[2]!["y"]!.AsArray().Select(v => (double)v!));
        var layout = json["layout"]!;
        Assert.Equal(2, (int)layout["grid"]!["rows"]!);
        Assert.Equal("loss", (string)layout["yaxis"]!["title"]!["text"]!);
        Assert.Equal("accuracy", (string)layout["yaxis2"]!["title"]!["text"]!);
        Assert.Equal("epoch", (string)layout["xaxis2"]!["title"]!["text"]!);
    }

    [Fact]
    public void History_without_accuracy_is_a_single_loss_plot()
    {
        var json = JsonNode.Parse(Plots.History([1.0, 0.5]).ToJson())!;
        Assert.Single(json["data"]!.AsArray());
        Assert.Null(json["layout"]!["grid"]);
        Assert.Equal("epoch", (string)json["layout"]!["xaxis"]!["title"]!["text"]!);
    }
}
