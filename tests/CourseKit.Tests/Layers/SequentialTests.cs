using CourseKit.Layers;
using CourseKit.Models;
using CourseKit.Training;

namespace CourseKit.Tests.Layers;

public class SequentialTests
{
    [Fact]
    public void SimpleConvNetSummaryShowsTheLectureShapesAndParameterCounts()
    {
        var net = SimpleConvNet.Create();
        var summary = net.Summary([1, 28, 28]);
        Assert.Contains("Convolution1", summary);
        Assert.Contains("(N, 30, 24, 24)", summary);
        Assert.Contains("(N, 30, 12, 12)", summary);
        Assert.Contains("(N, 100)", summary);
        Assert.Contains("(N, 10)", summary);
        int expected = 30 * 1 * 5 * 5 + 30 + 4320 * 100 + 100 + 100 * 10 + 10;
        Assert.Equal(expected, net.ParameterCount);
        Assert.Contains(expected.ToString("N0"), summary);
    }

    [Fact]
    public void DeepConvNetMapsDigitsToTenScores()
    {
        var net = DeepConvNet.Create();
        Assert.Equal(new Shape(2, 10), net.Forward(Tensor.Zeros(2, 1, 28, 28)).Shape);
        Assert.Equal(6, net.Layers.Count(l => l is Convolution));
    }

    [Fact]
    public void LayersOfOneKindAreNumberedLikeTheLecture()
    {
        var net = SimpleConvNet.Create();
        Assert.Equal(["Convolution1", "ReLU1", "MaxPooling1", "Affine1", "ReLU2", "Affine2"], net.Layers.Select(l => l.Name));
        Assert.Contains("Affine2.W", net.State().Select(s => s.Name));
    }

    [Fact]
    public void BackwardMatchesNumericalGradientThroughAWholeSmallNetwork()
    {
        var net = new Sequential(new Convolution(1, 2, 3, seed: 1), new Tanh(), new AveragePooling(2), new Affine(2 * 2 * 2, 3, seed: 2), new Sigmoid());
        var result = GradientCheck.Layer(net, RandomTensor.Uniform([2, 1, 6, 6], seed: 3), seed: 4);
        Assert.True(result.MaxError < GradientBound.Float32, result.ToString());
        Assert.Equal(4, result.ParameterErrors.Count);
    }

    [Fact]
    public void MovingToTheDeviceItIsOnKeepsEveryTensorAndTheOutputs()
    {
        var net = new Sequential(new Convolution(1, 2, 3, seed: 5), new BatchNormalization(2), new Residual(new ReLU()), new Flatten());
        var x = RandomTensor.Uniform([2, 1, 5, 5], seed: 6);
        var before = net.Forward(x).ToArray();
        var state = net.State().Select(s => s.Value).ToList();
        Assert.Same(net, net.To(CourseKit.Backends.Device.Cpu));
        Assert.Equal(state, net.State().Select(s => s.Value));                     // already there: no copies
        Assert.Equal(before, net.Forward(x).ToArray());
        Assert.All(net.State(), s => Assert.Equal(CourseKit.Backends.Device.Cpu, s.Value.Device));
    }
}
