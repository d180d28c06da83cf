using CourseKit.Data;
using CourseKit.Losses;
using CourseKit.Models;
using CourseKit.Optimizers;
using CourseKit.Training;

namespace CourseKit.Tests.Training;

public class MnistTrainingTests
{
    [Fact]
    public void SimpleConvNetLearnsDigitsInOneShortEpoch()
    {
        // A shortened version of the full run (8,000 digits, 5 epochs, ≥ 97%): 2,000 digits, one epoch, 20 Adam steps.
        var mnist = Mnist.LoadSample();
        var train = new DataLoader(mnist.Train.Take(2000), batchSize: 100, shuffle: true, seed: 1);
        var test = new DataLoader(mnist.Test, batchSize: 500, shuffle: false);
        var net = SimpleConvNet.Create(seed: 1);
        double before = Trainer.Accuracy(net, test);

        var history = new Trainer(net, new SoftmaxWithLoss(), new Adam(0.001f)).Fit(train, epochs: 1, test);

        Assert.False(history.Stopped, history.StopReason);
        Assert.Equal(20, history.IterationLoss.Count);
        Assert.True(history.IterationLoss[^5..].Average() < history.IterationLoss[..5].Average() / 2,
                    $"loss {string.Join(", ", history.IterationLoss.Select(l => l.ToString("F2")))}");
        Assert.True(history.TestAccuracy[0] > 0.75, $"test accuracy {history.TestAccuracy[0]:P1} (before training {before:P1}; chance is 10%)");
    }
}
