using CourseKit.Generative;

namespace CourseKit.Tests.Generative;

public class ToyDistributionsTests
{
    [Fact]
    public void OptimalDiscriminatorIsOneHalfWhereTheDensitiesAgree()
    {
        Assert.Equal(0.5, ToyDistributions.OptimalDiscriminator(0.3, 0.3));
        Assert.Equal(0.75, ToyDistributions.OptimalDiscriminator(0.3, 0.1), 12);
        Assert.Equal(0.0, ToyDistributions.OptimalDiscriminator(0, 0.2));
    }

    [Fact]
    public void GaussianSamplesHaveTheirMeanAndDensityIntegratesToOne()
    {
        var g = new Gaussian1D(2, 0.5);
        var x = g.Sample(20000, new Xoshiro256(1)).ToArray();
        Assert.Equal(2, x.Average(), 1);
        double integral = Enumerable.Range(0, 4000).Sum(i => g.Density(-2 + i * 0.002) * 0.002);
        Assert.Equal(1, integral, 3);
    }

    [Fact]
    public void RingSamplesCoverEveryModeAndOneModeCoversOne()
    {
        var ring = ToyDistributions.Ring(4000, new Xoshiro256(2));
        Assert.Equal(8, ToyDistributions.ModesCovered(ring));
        var collapsed = Tensor.FromData([100, 2], [.. Enumerable.Range(0, 100).SelectMany(_ => new[] { 2f, 0f })]);
        Assert.Equal(1, ToyDistributions.ModesCovered(collapsed));
    }
}
