using CourseKit.Layers;

namespace CourseKit.Tests.Layers;

public class WeightInitTests
{
    [Theory]
    [InlineData(WeightInit.He, 2.0 / 400)]
    [InlineData(WeightInit.Xavier, 2.0 / (400 + 100))]
    [InlineData(WeightInit.SmallNormal, 0.0001)]
    public void WeightsHaveTheVarianceOfTheirRule(WeightInit init, double variance)
    {
        var w = new Affine(400, 100, init, seed: 1).W.Value.ToArray();
        double mean = w.Average(), v = w.Select(x => (x - mean) * (x - mean)).Average();
        Assert.InRange(mean, -0.05 * Math.Sqrt(variance), 0.05 * Math.Sqrt(variance));
        Assert.InRange(v / variance, 0.97, 1.03);                   // 40,000 samples: ±3% is > 4 standard deviations
    }

    [Fact]
    public void TheSameSeedGivesTheSameWeights()
    {
        Assert.Equal(new Convolution(2, 3, 3, seed: 4).W.Value.ToArray(), new Convolution(2, 3, 3, seed: 4).W.Value.ToArray());
        Assert.NotEqual(new Convolution(2, 3, 3, seed: 4).W.Value.ToArray(), new Convolution(2, 3, 3, seed: 5).W.Value.ToArray());
    }
}
