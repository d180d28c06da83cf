using CourseKit.Generative;
using CourseKit.Training;

namespace CourseKit.Tests.Generative;

public class GanLossTests
{
    private static readonly float[] RealLogits = [2.5f, -0.3f, 0.8f, -4f, 50f];
    private static readonly float[] FakeLogits = [-1.2f, 0.4f, -60f, 3f];

    private static double Sigma(double a) => 1 / (1 + Math.Exp(-a));

    // log σ(a) and log(1 − σ(a)) in double, written so that |a| = 60 stays finite: the definition, not the library's softplus.
    private static double LogSigma(double a) => a >= 0 ? -Math.Log(1 + Math.Exp(-a)) : a - Math.Log(1 + Math.Exp(a));
    private static double LogOneMinusSigma(double a) => LogSigma(-a);

    [Fact]
    public void DiscriminatorLossIsMinusTheValueFunction()
    {
        // lecture 5.6 ①: V = E[log D(x)] + E[log(1 − D(G(z)))], D maximises V, so its loss is −V
        double v = RealLogits.Average(a => LogSigma(a)) + FakeLogits.Average(a => LogOneMinusSigma(a));
        var loss = GanLoss.Discriminator(RealLogits, FakeLogits);
        Assert.Equal(-v, loss.Value, 5);
        Assert.True(float.IsFinite(loss.Value));
    }

    [Fact]
    public void DiscriminatorGradientsMatchNumericalDifferentiation()
    {
        var real = Tensor.FromArray(RealLogits);
        var fake = Tensor.FromArray(FakeLogits);
        var loss = GanLoss.Discriminator(real, fake, realLabel: 0.9f);
        double E() => GanLoss.Discriminator(real, fake, realLabel: 0.9f).Value;
        Assert.True(GradientCheck.Compare(loss.DReal.ToArray(), GradientCheck.Numerical(real, E, 1e-2f)) < 1e-3);
        Assert.True(GradientCheck.Compare(loss.DFake.ToArray(), GradientCheck.Numerical(fake, E, 1e-2f)) < 1e-3);
    }

    [Fact]
    public void LabelSmoothingMakesTheRealTermACrossEntropyWithTarget()
    {
        const double t = 0.9;
        double expected = RealLogits.Average(a => -(t * LogSigma(a) + (1 - t) * LogOneMinusSigma(a)));
        var (value, gradient) = GanLoss.RealTerm(RealLogits, (float)t);
        Assert.Equal(expected, value, 1e-6);
        var g = gradient.ToArray();
        for (int i = 0; i < g.Length; i++) Assert.Equal((Sigma(RealLogits[i]) - t) / RealLogits.Length, g[i], 1e-6);
    }

    [Fact]
    public void NonSaturatingGeneratorLossIsMinusLogD()
    {
        var loss = GanLoss.Generator(FakeLogits);
        Assert.Equal(FakeLogits.Average(a => -LogSigma(a)), loss.Value, 4);
        var fake = Tensor.FromArray(FakeLogits);
        double E() => GanLoss.Generator(fake).Value;
        Assert.True(GradientCheck.Compare(loss.DFake.ToArray(), GradientCheck.Numerical(fake, E, 1e-2f)) < 1e-3);
    }

    [Fact]
    public void MinimaxGeneratorLossIsLogOneMinusD()
    {
        var loss = GanLoss.Generator(FakeLogits, nonSaturating: false);
        Assert.Equal(FakeLogits.Average(a => LogOneMinusSigma(a)), loss.Value, 4);
        var fake = Tensor.FromArray(FakeLogits);
        double E() => GanLoss.Generator(fake, nonSaturating: false).Value;
        Assert.True(GradientCheck.Compare(loss.DFake.ToArray(), GradientCheck.Numerical(fake, E, 1e-2f)) < 1e-3);
    }

    [Fact]
    public void WhenDRejectsTheFakesOnlyTheNonSaturatingLossStillGivesAGradient()
    {
        // lecture 5.6 ②: with D(G(z)) ≈ 0 the gradient of log(1 − D) vanishes, that of −log D does not
        float[] rejected = [-8f, -9f];
        var minimax = GanLoss.Generator(rejected, nonSaturating: false).DFake.ToArray();
        var nonSaturating = GanLoss.Generator(rejected).DFake.ToArray();
        Assert.All(minimax, g => Assert.True(Math.Abs(g) < 1e-3, $"minimax gradient {g}"));
        Assert.All(nonSaturating, g => Assert.True(g < -0.49, $"non-saturating gradient {g}"));   // (σ(a) − 1)/2 ≈ −0.5
    }

    [Fact]
    public void ARealLabelOutsideTheUnitIntervalIsRefused()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => GanLoss.Discriminator(RealLogits, FakeLogits, realLabel: 1.5f));
        Assert.Contains("1.5", e.Message);
    }
}
