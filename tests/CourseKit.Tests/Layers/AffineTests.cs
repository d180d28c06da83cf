using CourseKit.Layers;
using CourseKit.Training;

namespace CourseKit.Tests.Layers;

public class AffineTests
{
    private const double Bound = GradientBound.Float32;

    [Fact]
    public void BackwardMatchesNumericalGradientOnMatrices()
    {
        var affine = new Affine(7, 5, seed: 1);
        RandomTensor.Uniform([5], seed: 2).AsSpan().CopyTo(affine.B.Value.AsSpan());
        var result = GradientCheck.Layer(affine, RandomTensor.Uniform([3, 7], seed: 3), seed: 4);
        Assert.True(result.MaxError < Bound, result.ToString());
    }

    [Fact]
    public void FourDimensionalInputIsFlattenedAndItsShapeRestoredInBackward()
    {
        var affine = new Affine(2 * 3 * 3, 4, seed: 5);
        var x = RandomTensor.Uniform([2, 2, 3, 3], seed: 6);
        Assert.Equal(new Shape(2, 4), affine.Forward(x).Shape);
        Assert.Equal(x.Shape, affine.Backward(Tensor.Ones(2, 4)).Shape);
        var result = GradientCheck.Layer(affine, x, seed: 7);
        Assert.True(result.MaxError < Bound, result.ToString());
    }

    [Fact]
    public void ForwardIsXTimesWPlusB()
    {
        var affine = new Affine(2, 3, seed: 8);
        new float[] { 1, 2, 3, 4, 5, 6 }.CopyTo(affine.W.Value.AsSpan());
        new float[] { 0.5f, -1, 2 }.CopyTo(affine.B.Value.AsSpan());
        var y = affine.Forward(new float[,] { { 1, 1 }, { 2, -1 } });
        Assert.Equal([5.5f, 6f, 11f, -1.5f, -2f, 2f], y.ToArray());
    }

    [Fact]
    public void WrongFeatureCountIsReported()
    {
        var e = Assert.Throws<ArgumentException>(() => new Affine(10, 2).Forward(Tensor.Zeros(3, 9)));
        Assert.Contains("10", e.Message);
        Assert.Contains("(3, 9)", e.Message);
    }

    [Fact]
    public void FlattenAndReshapeBackwardMatchNumericalGradient()
    {
        var x = RandomTensor.Uniform([2, 3, 2, 2], seed: 10);
        Assert.True(GradientCheck.Layer(new Flatten(), x, seed: 11).InputError < Bound);
        Assert.True(GradientCheck.Layer(new CourseKit.Layers.Reshape(4, 3), x, seed: 12).InputError < Bound);
    }

    [Fact]
    public void FlattenAndReshapeRestoreTheInputShapeInBackward()
    {
        var x = RandomTensor.Uniform([2, 3, 4, 5], seed: 9);
        var flatten = new Flatten();
        Assert.Equal(new Shape(2, 60), flatten.Forward(x).Shape);
        Assert.Equal(x.Shape, flatten.Backward(Tensor.Zeros(2, 60)).Shape);
        var reshape = new CourseKit.Layers.Reshape(5, 12);
        var y = reshape.Forward(x);
        Assert.Equal(new Shape(2, 5, 12), y.Shape);
        Assert.Equal(x.ToArray(), y.ToArray());
        Assert.Equal(x.Shape, reshape.Backward(y).Shape);
    }
}
