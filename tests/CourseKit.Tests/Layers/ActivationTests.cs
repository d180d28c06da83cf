using CourseKit.Layers;
using CourseKit.Training;

namespace CourseKit.Tests.Layers;

public class ActivationTests
{
    private const double Bound = GradientBound.Float32;

    public static TheoryData<string> Names => ["ReLU", "LeakyReLU", "ELU", "Sigmoid", "Tanh", "Softsign", "Softmax"];

    private static Layer Create(string name) => name switch
    {
        "ReLU" => new ReLU(),
        "LeakyReLU" => new LeakyReLU(0.1f),
        "ELU" => new ELU(0.7f),
        "Sigmoid" => new Sigmoid(),
        "Tanh" => new Tanh(),
        "Softsign" => new Softsign(),
        "Softmax" => new Softmax(),
        _ => throw new ArgumentException(name),
    };

    [Theory]
    [MemberData(nameof(Names))]
    public void BackwardMatchesNumericalGradientOnMatrices(string name)
    {
        var result = GradientCheck.Layer(Create(name), RandomTensor.AwayFromZero([4, 7], seed: 1), seed: 2);
        Assert.True(result.InputError < Bound, $"{name}: {result}");
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void BackwardMatchesNumericalGradientOnFeatureMaps(string name)
    {
        var result = GradientCheck.Layer(Create(name), RandomTensor.AwayFromZero([2, 3, 4, 5], seed: 3, gap: 0.05f) * 2f, seed: 4);
        Assert.True(result.InputError < Bound, $"{name}: {result}");
    }

    [Fact]
    public void ForwardComputesTheTextbookFormulas()
    {
        float[] x = [-2f, -0.5f, 0.5f, 3f];
        Tensor t = x;
        Assert.Equal(x.Select(v => Math.Max(0f, v)), new ReLU().Forward(t).ToArray());
        Assert.Equal(x.Select(v => v > 0 ? v : 0.1f * v), new LeakyReLU(0.1f).Forward(t).ToArray());
        AssertClose(x.Select(v => v > 0 ? v : 0.7 * (Math.Exp(v) - 1)), new ELU(0.7f).Forward(t).ToArray());
        AssertClose(x.Select(v => 1 / (1 + Math.Exp(-v))), new Sigmoid().Forward(t).ToArray());
        AssertClose(x.Select(v => Math.Tanh(v)), new Tanh().Forward(t).ToArray());
        AssertClose(x.Select(v => (double)v / (1 + Math.Abs(v))), new Softsign().Forward(t).ToArray());
    }

    [Fact]
    public void SoftmaxRowsArePositiveAndSumToOneEvenForHugeScores()
    {
        Tensor x = new float[,] { { 1000f, 1001f, 1002f }, { -5f, 0f, 5f } };
        var y = new Softmax().Forward(x).ToArray();
        double e0 = 1, e1 = Math.Exp(1), e2 = Math.Exp(2);
        AssertClose([e0 / (e0 + e1 + e2), e1 / (e0 + e1 + e2), e2 / (e0 + e1 + e2)], y[..3]);
        Assert.Equal(1.0, y[3..].Sum(), 5);
    }

    // The functions whose derivative is read from y: backward must not depend on the input tensor, which the layer no
    // longer keeps (the next layer keeps y as its input; holding x too doubled the activations a network stores).
    [Theory]
    [InlineData("ReLU")]
    [InlineData("LeakyReLU")]
    [InlineData("ELU")]
    [InlineData("Sigmoid")]
    [InlineData("Tanh")]
    public void BackwardReadsTheOutputSoTheInputMayChangeAfterForward(string name)
    {
        var x = RandomTensor.AwayFromZero([3, 5], seed: 7);
        var dout = RandomTensor.Uniform([3, 5], seed: 8);
        var expected = Create(name);
        expected.Forward(x.Clone(), training: true);
        var layer = Create(name);
        layer.Forward(x, training: true);
        for (int i = 0; i < 3; i++)
            for (int j = 0; j < 5; j++) x[i, j] = -x[i, j];   // the caller reuses its buffer
        Assert.Equal(expected.Backward(dout).ToArray(), layer.Backward(dout).ToArray());
    }

    [Fact]
    public void ReLUBackwardBlocksTheGradientWhereTheInputWasNegative()
    {
        var relu = new ReLU();
        relu.Forward(new float[] { -1f, 2f, -3f, 4f });
        Assert.Equal([0f, 10f, 0f, 10f], relu.Backward(new float[] { 10f, 10f, 10f, 10f }).ToArray());
    }

    [Theory]
    [InlineData(1)]
    [InlineData(37)]
    [InlineData(1000)]
    public void ReLUBackwardIsTheMaskForEveryLengthIncludingTheVectorTail(int length)
    {
        var x = RandomTensor.Uniform([length], seed: length);
        var dout = RandomTensor.Uniform([length], seed: length + 1);
        var relu = new ReLU();
        relu.Forward(x);
        var expected = x.ToArray().Zip(dout.ToArray(), (a, g) => a > 0 ? g : 0f);
        Assert.Equal(expected, relu.Backward(dout).ToArray());
    }

    [Fact]
    public void BackwardBeforeForwardSaysWhatToDo()
    {
        var e = Assert.Throws<InvalidOperationException>(() => new ReLU().Backward(new float[] { 1f }));
        Assert.Contains("Forward", e.Message);
    }

    private static void AssertClose(IEnumerable<double> expected, float[] actual)
    {
        var e = expected.ToArray();
        Assert.Equal(e.Length, actual.Length);
        for (int i = 0; i < e.Length; i++) Assert.True(Math.Abs(e[i] - actual[i]) < 1e-6, $"entry {i}: expected {e[i]}, got {actual[i]}");
    }
}
