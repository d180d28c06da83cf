using CourseKit.Detection;
using CourseKit.Losses;
using CourseKit.Optimizers;

namespace CourseKit.Tests.Detection;

public class DenseTrainingTests
{
    [Fact]
    public void RowsGathersFirstAxisEntriesInOrder()
    {
        var x = Tensor.Arange(12).Reshape(4, 3);
        Assert.Equal([9f, 10, 11, 0, 1, 2], DenseTraining.Rows(x, [3, 0]).ToArray());
    }

    [Fact]
    public void OneHotPixelsPutsOneInTheLabelledChannel()
    {
        var t = DenseTraining.OneHotPixels([2, 0], 1, 3, 1, 2);
        Assert.Equal([0f, 1, 0, 0, 1, 0], t.ToArray());
    }

    [Fact]
    public void AGridDetectorLearnsToLowerItsLossOnShapes()
    {
        var data = Shapes.Generate(64, size: 32, seed: 4);
        var grid = new YoloGrid(4, 32, 32, 3);
        var network = GridDetector.Create(3, 3, width: 8, seed: 1);
        Assert.Equal([2, 8, 4, 4], network.Forward(data.Images[0..2]).Shape.ToArray());
        var history = DenseTraining.Fit(network, new YoloLoss(3), new Adam(0.003f), data.Images, grid.Encode(data.Objects), epochs: 4, batchSize: 16);
        Assert.True(history[^1] < 0.7f * history[0], string.Join(", ", history));
    }
}
