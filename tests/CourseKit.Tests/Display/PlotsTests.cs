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

    [Theory]
    [InlineData(3, 1)]
    [InlineData(10, 1)]
    [InlineData(11, 2)]
    [InlineData(30, 5)]
    [InlineData(100, 10)]
    [InlineData(101, 10)]
    [InlineData(111, 20)]
    public void History_ticks_whole_epochs_at_most_about_ten_per_axis(int epochs, int expectedStep)
    {
        var loss = Enumerable.Range(0, epochs).Select(i => 1.0 / (i + 1)).ToArray();
        var layout = JsonNode.Parse(Plots.History(loss, loss).ToJson())!["layout"]!;
        Assert.Equal(expectedStep, (double)layout["xaxis"]!["dtick"]!);
        Assert.Equal(expectedStep, (double)layout["xaxis2"]!["dtick"]!);
        Assert.InRange(epochs / expectedStep, 1, 10);
    }

    [Fact]
    public void History_of_a_trainer_record_plots_epoch_loss_and_both_accuracies()
    {
        var history = new CourseKit.Training.TrainingHistory();
        history.EpochLoss.AddRange([1.5f, 0.75f]);
        history.TrainAccuracy.AddRange([0.5, 0.8]);
        history.TestAccuracy.AddRange([0.45, 0.7]);
        var data = JsonNode.Parse(Plots.History(history).ToJson())!["data"]!.AsArray();
        Assert.Equal(["loss", "train accuracy", "test accuracy"], data.Select(t => (string)t!["name"]!));
        Assert.Equal([1.5, 0.75], data[0]!["y"]!.AsArray().Select(v => (double)v!));
        Assert.Equal([0.45, 0.7], data[2]!["y"]!.AsArray().Select(v => (double)v!));
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
