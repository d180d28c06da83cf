using CourseKit.Losses;
using CourseKit.Tests.Layers;
using CourseKit.Training;

namespace CourseKit.Tests.Losses;

public class LossTests
{
    // Losses return float32 values (rounding ≈ 1e-7·E/h in the differences); measured errors stay below 4e-5.
    private const double Bound = GradientBound.Float32;

    private static Tensor SoftTargets(int n, int k, int seed)
    {
        var t = RandomTensor.Uniform([n, k], seed).Abs() + 0.1f;
        var s = t.ToArray();
        for (int i = 0; i < n; i++)
        {
            float row = s.Skip(i * k).Take(k).Sum();
            for (int j = 0; j < k; j++) s[i * k + j] /= row;
        }
        return Tensor.FromData([n, k], s);
    }

    [Fact]
    public void SoftmaxWithLossGradientMatchesNumericalGradient()
    {
        double error = GradientCheck.Loss(new SoftmaxWithLoss(), RandomTensor.Uniform([4, 5], seed: 1) * 3f, SoftTargets(4, 5, 2));
        Assert.True(error < Bound, $"error {error:E2}");
    }

    [Fact]
    public void SoftmaxWithLossIsTheCrossEntropyOfTheSoftmax()
    {
        Tensor x = new float[,] { { 1f, 2f, 3f }, { 0.5f, -1f, 0f } };
        float e = new SoftmaxWithLoss().Forward(x, [2, 0]);
        double Log(double a, double b, double c, double of) => Math.Log(Math.Exp(of) / (Math.Exp(a) + Math.Exp(b) + Math.Exp(c)));
        double expected = -(Log(1, 2, 3, 3) + Log(0.5, -1, 0, 0.5)) / 2;
        Assert.Equal(expected, e, 5);
    }

    [Fact]
    public void IntegerLabelsAndOneHotTargetsGiveTheSameLossAndGradient()
    {
        var x = RandomTensor.Uniform([3, 4], seed: 3);
        int[] labels = [1, 3, 0];
        var withLabels = new SoftmaxWithLoss();
        var withOneHot = new SoftmaxWithLoss();
        Assert.Equal(withLabels.Forward(x, labels), withOneHot.Forward(x, Loss.OneHot(labels, 4)));
        Assert.Equal(withLabels.Backward().ToArray(), withOneHot.Backward().ToArray());
    }

    [Fact]
    public void SoftmaxWithLossGradientIsProbabilitiesMinusTargetsOverN()
    {
        var loss = new SoftmaxWithLoss();
        var x = RandomTensor.Uniform([2, 3], seed: 4);
        loss.Forward(x, [0, 2]);
        var y = loss.Probabilities!.ToArray();
        var t = new float[] { 1, 0, 0, 0, 0, 1 };
        Assert.Equal(y.Zip(t, (a, b) => (a - b) / 2f), loss.Backward().ToArray());
    }

    [Fact]
    public void SigmoidBinaryCrossEntropyGradientMatchesNumericalGradient()
    {
        var t = RandomTensor.Uniform([3, 4], seed: 5).Abs();
        double error = GradientCheck.Loss(new SigmoidBinaryCrossEntropy(), RandomTensor.Uniform([3, 4], seed: 6) * 4f, t);
        Assert.True(error < Bound, $"error {error:E2}");
    }

    [Fact]
    public void SigmoidBinaryCrossEntropyIsStableForLargeLogits()
    {
        Tensor x = new float[] { 100f, -100f, 0f };
        Tensor t = new float[] { 1f, 1f, 0f };
        // −log σ(100) ≈ 0, −log σ(−100) = 100 + log(1 + e^−100) ≈ 100, −log(1 − σ(0)) = log 2.
        double expected = (0 + 100 + Math.Log(2)) / 3;
        Assert.Equal(expected, new SigmoidBinaryCrossEntropy().Forward(x, t), 4);
    }

    [Fact]
    public void MeanSquaredErrorGradientMatchesNumericalGradientAndValue()
    {
        var y = RandomTensor.Uniform([2, 3, 2, 2], seed: 7);
        var t = RandomTensor.Uniform([2, 3, 2, 2], seed: 8);
        Assert.True(GradientCheck.Loss(new MeanSquaredError(), y, t) < Bound);
        double expected = y.ToArray().Zip(t.ToArray(), (a, b) => (double)(a - b) * (a - b)).Average();
        Assert.Equal(expected, new MeanSquaredError().Forward(y, t), 5);
    }

    [Fact]
    public void L1LossGradientMatchesNumericalGradientAndValue()
    {
        var y = RandomTensor.Uniform([4, 6], seed: 9);
        var t = y + RandomTensor.AwayFromZero([4, 6], seed: 10);       // |y − t| ≥ 0.1: no kink within the step
        Assert.True(GradientCheck.Loss(new L1Loss(), y, t) < Bound);
        double expected = y.ToArray().Zip(t.ToArray(), (a, b) => (double)Math.Abs(a - b)).Average();
        Assert.Equal(expected, new L1Loss().Forward(y, t), 5);
    }

    [Fact]
    public void PixelwiseSoftmaxCrossEntropyGradientMatchesNumericalGradient()
    {
        var rng = new Random(11);
        int[] labels = Enumerable.Range(0, 2 * 3 * 4).Select(_ => rng.Next(3)).ToArray();
        var x = RandomTensor.Uniform([2, 3, 3, 4], seed: 12) * 2f;
        var loss = new PixelwiseSoftmaxCrossEntropy();
        loss.Forward(x, labels);
        var analytic = loss.Backward().ToArray();
        var numeric = GradientCheck.Numerical(x, () => loss.Forward(x, labels));
        Assert.True(GradientCheck.Compare(analytic, numeric) < Bound);
    }

    [Fact]
    public void PixelwiseSoftmaxCrossEntropyAveragesThePerPixelClassificationLoss()
    {
        // Each pixel is a small classification problem: compare with SoftmaxWithLoss on the pixels as rows.
        var rng = new Random(13);
        int[] labels = Enumerable.Range(0, 2 * 2 * 3).Select(_ => rng.Next(4)).ToArray();
        var x = RandomTensor.Uniform([2, 4, 2, 3], seed: 14);
        var rows = x.Reshape(2, 4, 6).Transpose(0, 2, 1).Reshape(12, 4);
        Assert.Equal(new SoftmaxWithLoss().Forward(rows, labels), new PixelwiseSoftmaxCrossEntropy().Forward(x, labels), 5);
    }

    [Fact]
    public void MismatchedShapesAreReported()
    {
        var e = Assert.Throws<ArgumentException>(() => new MeanSquaredError().Forward(Tensor.Zeros(2, 3), Tensor.Zeros(3, 2)));
        Assert.Contains("(2, 3)", e.Message);
        Assert.Contains("(3, 2)", e.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => new SoftmaxWithLoss().Forward(Tensor.Zeros(2, 3), [0, 3]));
    }
}
