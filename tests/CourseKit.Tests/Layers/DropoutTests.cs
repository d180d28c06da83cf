using CourseKit.Layers;

namespace CourseKit.Tests.Layers;

public class DropoutTests
{
    [Fact]
    public void InferenceIsTheIdentity()
    {
        var x = RandomTensor.Uniform([4, 10], seed: 1);
        Assert.Equal(x.ToArray(), new Dropout(0.5f).Forward(x, training: false).ToArray());
    }

    [Fact]
    public void TrainingDropsAboutTheRateAndScalesTheKeptUnits()
    {
        var x = Tensor.Ones(100, 100);
        var y = new Dropout(0.3f, seed: 2).Forward(x, training: true).ToArray();
        double dropped = y.Count(v => v == 0f) / (double)y.Length;
        Assert.InRange(dropped, 0.28, 0.32);                       // 10,000 draws: ±2% is > 4 standard deviations
        Assert.All(y.Where(v => v != 0f), v => Assert.Equal(1f / 0.7f, v, 6));
        Assert.Equal(1.0, y.Average(), 1);                          // inverted dropout keeps the expectation
    }

    [Fact]
    public void BackwardUsesTheSameMaskAsForward()
    {
        var dropout = new Dropout(0.5f, seed: 3);
        var x = RandomTensor.AwayFromZero([6, 8], seed: 4);
        var y = dropout.Forward(x, training: true).ToArray();
        var dx = dropout.Backward(Tensor.Ones(6, 8)).ToArray();
        var xs = x.ToArray();
        for (int i = 0; i < xs.Length; i++) Assert.Equal(y[i] / xs[i], dx[i], 5);
    }

    [Fact]
    public void TheSameSeedGivesTheSameMasks()
    {
        var x = Tensor.Ones(5, 5);
        Assert.Equal(new Dropout(0.5f, seed: 7).Forward(x, true).ToArray(), new Dropout(0.5f, seed: 7).Forward(x, true).ToArray());
        Assert.NotEqual(new Dropout(0.5f, seed: 7).Forward(x, true).ToArray(), new Dropout(0.5f, seed: 8).Forward(x, true).ToArray());
    }
}
