using CourseKit.Layers;
using CourseKit.Training;

namespace CourseKit.Tests.Layers;

public class PoolingTests
{
    private const double Bound = GradientBound.Float32;

    [Theory]
    [InlineData(2, 2, 6, 6, 2, 2, 0)]
    [InlineData(1, 3, 7, 5, 3, 2, 1)]
    [InlineData(2, 1, 5, 5, 2, 1, 0)]
    public void MaxPoolingBackwardMatchesNumericalGradient(int n, int c, int h, int w, int size, int stride, int pad)
    {
        // Distinct values 0.1 apart: no ties within the difference step, so the max is differentiable there.
        var x = RandomTensor.Distinct([n, c, h, w], seed: 1);
        var result = GradientCheck.Layer(new MaxPooling(size, stride, pad), x, seed: 2, h: 1e-3f);
        Assert.True(result.InputError < Bound, result.ToString());
    }

    [Theory]
    [InlineData(2, 2, 6, 6, 2, 2, 0)]
    [InlineData(1, 3, 7, 5, 3, 2, 1)]
    public void AveragePoolingBackwardMatchesNumericalGradient(int n, int c, int h, int w, int size, int stride, int pad)
    {
        var result = GradientCheck.Layer(new AveragePooling(size, stride, pad), RandomTensor.Uniform([n, c, h, w], seed: 3), seed: 4);
        Assert.True(result.InputError < Bound, result.ToString());
    }

    [Fact]
    public void GlobalAveragePoolingBackwardMatchesNumericalGradient()
    {
        var result = GradientCheck.Layer(new GlobalAveragePooling(), RandomTensor.Uniform([2, 3, 4, 5], seed: 5), seed: 6);
        Assert.True(result.InputError < Bound, result.ToString());
    }

    [Fact]
    public void MaxPoolingRoutesTheGradientToTheMaximumAsInTheLecture()
    {
        // lecture 2.3: the maxima x11, x13, x20, x22 receive dy00, dy01, dy10, dy11.
        Tensor x = new float[,,,] { { { { 0, 1, 2, 3 }, { 4, 9, 5, 9 }, { 9, 6, 9, 7 }, { 1, 2, 3, 4 } } } };
        var pool = new MaxPooling(2);
        Assert.Equal([9f, 9f, 9f, 9f], pool.Forward(x).ToArray());
        var dx = pool.Backward(new float[,,,] { { { { 1, 2 }, { 3, 4 } } } }).ToArray();
        Assert.Equal([0, 0, 0, 0, 0, 1, 0, 2, 3, 0, 4, 0, 0, 0, 0, 0], dx);
    }

    [Fact]
    public void GlobalAveragePoolingGivesTheMeanOfEachChannel()
    {
        var x = RandomTensor.Uniform([2, 3, 4, 5], seed: 9);
        var y = new GlobalAveragePooling().Forward(x);
        Assert.Equal(new Shape(2, 3), y.Shape);
        var xs = x.ToArray();
        for (int plane = 0; plane < 6; plane++)
            Assert.Equal(xs.Skip(plane * 20).Take(20).Average(), y.ToArray()[plane], 5);
    }
}
