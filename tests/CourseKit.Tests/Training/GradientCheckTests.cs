using CourseKit.Layers;
using CourseKit.Tests.Layers;
using CourseKit.Training;

namespace CourseKit.Tests.Training;

public class GradientCheckTests
{
    /// <summary>Forward is 3x, but backward forgets the factor 3: the check must notice.</summary>
    private sealed class WrongBackward : Layer
    {
        public override Tensor Forward(Tensor x, bool training = false) => x * 3f;
        public override Tensor Backward(Tensor dout) => dout;
    }

    /// <summary>Affine whose weight gradient is off by a factor 1.01: a subtle bug.</summary>
    private sealed class SlightlyWrongWeights(Affine inner) : Layer
    {
        public override IReadOnlyList<Parameter> Parameters => inner.Parameters;
        public override Tensor Forward(Tensor x, bool training = false) => inner.Forward(x, training);
        public override Tensor Backward(Tensor dout)
        {
            var dx = inner.Backward(dout);
            inner.W.Grad = inner.W.Grad * 1.01f;
            return dx;
        }
    }

    [Fact]
    public void AWrongInputGradientIsDetected()
    {
        var result = GradientCheck.Layer(new WrongBackward(), RandomTensor.Uniform([3, 4], seed: 1));
        Assert.InRange(result.InputError, 0.6, 0.7);     // |1 − 3| / 3
    }

    [Fact]
    public void AOnePercentErrorInAParameterGradientIsDetectedAndNamed()
    {
        var result = GradientCheck.Layer(new SlightlyWrongWeights(new Affine(4, 3, seed: 2)), RandomTensor.Uniform([5, 4], seed: 3));
        Assert.True(result.ParameterErrors["W"] > 5e-3, result.ToString());
        Assert.True(result.ParameterErrors["b"] < GradientBound.Float32, result.ToString());
        Assert.Contains("W:", result.ToString());
    }

    [Fact]
    public void NumericalDerivativeOfASquareIsTwoX()
    {
        Tensor x = new float[] { 0.5f, -2f, 3f };
        var g = GradientCheck.Numerical(x, () => x.ToArray().Sum(v => (double)v * v));
        Assert.Equal([1.0, -4.0, 6.0], g.Select(v => Math.Round(v, 3)));
        Assert.Equal([0.5f, -2f, 3f], x.ToArray());       // restored after perturbing
    }
}
