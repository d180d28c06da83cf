using CourseKit.Layers;
using CourseKit.Training;

namespace CourseKit.Tests.Layers;

public class BatchNormalizationTests
{
    private const double Bound = GradientBound.Float32;

    private static BatchNormalization WithRandomAffine(int features, int seed)
    {
        var bn = new BatchNormalization(features);
        (RandomTensor.Uniform([features], seed) + 1.5f).AsSpan().CopyTo(bn.Gamma.Value.AsSpan());
        RandomTensor.Uniform([features], seed + 1).AsSpan().CopyTo(bn.Beta.Value.AsSpan());
        return bn;
    }

    [Fact]
    public void DenseBackwardMatchesNumericalGradientInTraining()
    {
        var result = GradientCheck.Layer(WithRandomAffine(5, 1), RandomTensor.Uniform([6, 5], seed: 2) * 3f, seed: 3);
        Assert.True(result.MaxError < Bound, result.ToString());
        Assert.Equal(["gamma", "beta"], result.ParameterErrors.Keys);
    }

    [Fact]
    public void ConvolutionalBackwardMatchesNumericalGradientInTraining()
    {
        var result = GradientCheck.Layer(WithRandomAffine(3, 4), RandomTensor.Uniform([2, 3, 3, 4], seed: 5) * 3f, seed: 6);
        Assert.True(result.MaxError < Bound, result.ToString());
    }

    [Fact]
    public void BackwardMatchesNumericalGradientInInference()
    {
        var bn = WithRandomAffine(3, 7);
        bn.Forward(RandomTensor.Uniform([4, 3, 2, 2], seed: 8) * 2f, training: true);   // some running statistics
        var result = GradientCheck.Layer(bn, RandomTensor.Uniform([2, 3, 2, 2], seed: 9), seed: 10, training: false);
        Assert.True(result.MaxError < Bound, result.ToString());
    }

    [Fact]
    public void TrainingOutputHasZeroMeanAndUnitVariancePerChannel()
    {
        var x = RandomTensor.Uniform([8, 2, 3, 3], seed: 11) * 5f + 3f;
        var y = new BatchNormalization(2).Forward(x, training: true).ToArray();
        for (int c = 0; c < 2; c++)
        {
            var values = Enumerable.Range(0, 8).SelectMany(n => y.Skip((n * 2 + c) * 9).Take(9)).Select(v => (double)v).ToArray();
            double mean = values.Average(), variance = values.Select(v => (v - mean) * (v - mean)).Average();
            Assert.Equal(0.0, mean, 4);
            Assert.Equal(1.0, variance, 3);   // ε = 1e-5 against a variance of about 8
        }
    }

    [Fact]
    public void InferenceUsesTheRunningStatistics()
    {
        var bn = new BatchNormalization(2, momentum: 0.5f);
        Tensor batch = new float[,] { { 1, 10 }, { 3, 30 } };       // mean (2, 20), biased variance (1, 100)
        bn.Forward(batch, training: true);
        // running = 0.5·initial + 0.5·batch with initial mean 0 and variance 1.
        Assert.Equal([1f, 10f], bn.RunningMean.ToArray());
        Assert.Equal([1f, 50.5f], bn.RunningVariance.ToArray());
        var y = bn.Forward(new float[,] { { 2, 10 } }, training: false).ToArray();
        Assert.True(Math.Abs((2 - 1) / Math.Sqrt(1 + 1e-5) - y[0]) < 1e-6, $"got {y[0]}");
        Assert.Equal(0.0, y[1], 5);
    }

    [Fact]
    public void UnbiasedRunningVarianceKeepsPyTorchsRunningVar()
    {
        // PyTorch: running_var = (1 − 0.1)·running_var + 0.1·unbiased variance (m/(m − 1)·biased), here m = 2·2·2 = 8
        var x = Tensor.RandN(2, 3, 2, 2, seed: 4);
        var lecture = new BatchNormalization(3, momentum: 0.9f);
        var pytorch = new BatchNormalization(3, momentum: 0.9f, unbiasedRunningVariance: true);
        var yLecture = lecture.Forward(x, training: true).ToArray();
        var yPytorch = pytorch.Forward(x, training: true).ToArray();
        Assert.Equal(yLecture, yPytorch);                        // the batch itself is normalised with 1/m in both
        var values = x.ToArray();
        for (int c = 0; c < 3; c++)
        {
            var channel = Enumerable.Range(0, 2).SelectMany(n => values.Skip((n * 3 + c) * 4).Take(4)).Select(v => (double)v).ToArray();
            double mean = channel.Average(), sum = channel.Sum(v => (v - mean) * (v - mean));
            Assert.Equal(0.9 + 0.1 * sum / 7, pytorch.RunningVariance.ToArray()[c], 5);
            Assert.Equal(0.9 + 0.1 * sum / 8, lecture.RunningVariance.ToArray()[c], 5);
        }
    }
}
