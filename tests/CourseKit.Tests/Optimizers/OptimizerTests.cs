using CourseKit.Layers;
using CourseKit.Optimizers;

namespace CourseKit.Tests.Optimizers;

/// <summary>
/// Each optimizer runs three steps on E(w) = ½ Σ aᵢ wᵢ² (gradient aᵢ·wᵢ); the expected weights are computed
/// here in double straight from the optimizer's published formula.
/// </summary>
public class OptimizerTests
{
    private static readonly double[] A = [1.0, 4.0, 0.5];
    private static readonly double[] W0 = [1.0, -2.0, 3.0];
    private const int Steps = 3;

    private static float[] Run(Optimizer optimizer)
    {
        var p = new Parameter("w", Tensor.FromArray(W0.Select(v => (float)v).ToArray()));
        for (int s = 0; s < Steps; s++)
        {
            var w = p.Value.ToArray();
            p.Grad = Tensor.FromArray(w.Select((v, i) => (float)(A[i] * v)).ToArray());
            optimizer.Step([p]);
        }
        return p.Value.ToArray();
    }

    private static void AssertMatches(double[] expected, float[] actual)
    {
        for (int i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(expected[i] - actual[i]) < 1e-5 * Math.Max(1, Math.Abs(expected[i])), $"w[{i}]: expected {expected[i]}, got {actual[i]}");
    }

    // Runs the formula per coordinate: step(w, g, state, t) returns the new w.
    private static double[] Expected(Func<double, double, double[], int, double> step, int stateSize, double weightDecay = 0)
    {
        var result = new double[W0.Length];
        for (int i = 0; i < W0.Length; i++)
        {
            double w = W0[i];
            var state = new double[stateSize];
            for (int t = 1; t <= Steps; t++) w = step(w, A[i] * w + weightDecay * w, state, t);
            result[i] = w;
        }
        return result;
    }

    [Fact]
    public void SGDStepsAgainstTheGradient() =>
        AssertMatches(Expected((w, g, _, _) => w - 0.01 * g, 0), Run(new SGD()));

    [Fact]
    public void SGDWithWeightDecayAddsLambdaW() =>
        AssertMatches(Expected((w, g, _, _) => w - 0.1 * g, 0, weightDecay: 0.5), Run(new SGD(0.1f, weightDecay: 0.5f)));

    [Fact]
    public void MomentumAccumulatesVelocity() =>
        AssertMatches(Expected((w, g, s, _) => { s[0] = 0.9 * s[0] - 0.1 * g; return w + s[0]; }, 1), Run(new Momentum(0.1f)));

    [Fact]
    public void NesterovLooksAheadAlongTheVelocity() =>
        AssertMatches(Expected((w, g, s, _) =>
        {
            double v = s[0];
            s[0] = 0.9 * v - 0.1 * g;
            return w + 0.9 * 0.9 * v - (1 + 0.9) * 0.1 * g;     // deep-learning-from-scratch's form
        }, 1), Run(new Nesterov(0.1f)));

    [Fact]
    public void AdaGradDividesBySquaredGradientSums() =>
        AssertMatches(Expected((w, g, s, _) => { s[0] += g * g; return w - 0.1 * g / (Math.Sqrt(s[0]) + 1e-7); }, 1), Run(new AdaGrad(0.1f)));

    [Fact]
    public void RMSPropUsesADecayingAverageOfSquaredGradients() =>
        AssertMatches(Expected((w, g, s, _) => { s[0] = 0.99 * s[0] + 0.01 * g * g; return w - 0.01 * g / (Math.Sqrt(s[0]) + 1e-7); }, 1), Run(new RMSProp()));

    [Fact]
    public void AdamUsesBiasCorrectedMoments() =>
        AssertMatches(Expected((w, g, s, t) =>
        {
            s[0] = 0.9 * s[0] + 0.1 * g;
            s[1] = 0.999 * s[1] + 0.001 * g * g;
            double mHat = s[0] / (1 - Math.Pow(0.9, t)), vHat = s[1] / (1 - Math.Pow(0.999, t));
            return w - 0.001 * mHat / (Math.Sqrt(vHat) + 1e-8);
        }, 2), Run(new Adam()));

    [Fact]
    public void AdamFirstStepMovesEachWeightByAboutTheLearningRate()
    {
        // With bias correction m̂ = g and v̂ = g² at t = 1, so every weight moves by lr·sign(g).
        var w = Run(new Adam(0.001f));
        Assert.NotEqual((float)W0[0], w[0]);
        var one = new Parameter("w", Tensor.FromArray([1f, -2f]));
        one.Grad = Tensor.FromArray([5f, -0.01f]);
        new Adam(0.001f).Step([one]);
        Assert.Equal(1f - 0.001f, one.Value.ToArray()[0], 5);
        Assert.Equal(-2f + 0.001f, one.Value.ToArray()[1], 5);
    }

    [Fact]
    public void AdamOnALargeParameterEqualsItsFormulaElementByElement()
    {
        // Long enough for both cores and SIMD, with a tail that is not a whole vector.
        const int n = 1_000_003;
        var random = new Random(5);
        float[] w = Enumerable.Range(0, n).Select(_ => (float)random.NextDouble() - 0.5f).ToArray();
        float[][] grads = [.. Enumerable.Range(0, 2).Select(_ => Enumerable.Range(0, n).Select(_ => (float)random.NextDouble() - 0.5f).ToArray())];
        var p = new Parameter("w", Tensor.FromArray(w));
        var adam = new Adam(0.01f);
        float[] expected = (float[])w.Clone(), m = new float[n], v = new float[n];
        for (int t = 1; t <= grads.Length; t++)
        {
            p.Grad = Tensor.FromArray(grads[t - 1]);
            adam.Step([p]);
            float c1 = 1f - MathF.Pow(0.9f, t), c2 = 1f - MathF.Pow(0.999f, t);
            for (int i = 0; i < n; i++)
            {
                float g = grads[t - 1][i];
                m[i] = 0.9f * m[i] + (1f - 0.9f) * g;
                v[i] = 0.999f * v[i] + (1f - 0.999f) * g * g;
                expected[i] -= 0.01f * (m[i] / c1) / (MathF.Sqrt(v[i] / c2) + 1e-8f);
            }
        }
        Assert.Equal(expected, p.Value.ToArray());
    }

    [Fact]
    public void ANonPositiveLearningRateIsRefused()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new SGD(0f));
        Assert.Contains("learning rate", e.Message);
    }
}
