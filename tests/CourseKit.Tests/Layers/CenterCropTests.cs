using CourseKit.Layers;
using CourseKit.Training;

namespace CourseKit.Tests.Layers;

public class CenterCropTests
{
    private const double Bound = GradientBound.Float32;

    [Fact]
    public void Crop_keeps_the_middle_and_an_odd_extra_row_goes_at_the_bottom()
    {
        // 5x4 → 2x2: top = (5 − 2) / 2 = 1 row cut above (2 below), left = (4 − 2) / 2 = 1 column.
        var x = Tensor.Arange(20).Reshape(1, 1, 5, 4);
        var y = new CenterCrop(2, 2).Forward(x);
        Assert.Equal(new float[] { 5, 6, 9, 10 }, y.ToArray());
    }

    [Fact]
    public void Pad_puts_the_image_in_the_middle_with_zeros_around()
    {
        // 2x2 → 3x4: (3 − 2) / 2 = 0 rows above (1 below), (4 − 2) / 2 = 1 column left.
        var x = Tensor.FromArray(new float[,] { { 1, 2 }, { 3, 4 } }).Reshape(1, 1, 2, 2);
        var y = new CenterCrop(3, 4).Forward(x);
        Assert.Equal(new float[] { 0, 1, 2, 0, 0, 3, 4, 0, 0, 0, 0, 0 }, y.ToArray());
    }

    [Fact]
    public void Crop_one_way_and_pad_the_other_at_once_per_image_and_channel()
    {
        var x = Tensor.Arange(2 * 3 * 4 * 2).Reshape(2, 3, 4, 2);
        var y = new CenterCrop(2, 4).Forward(x);
        var xs = x.ToArray(); var ys = y.ToArray();
        for (int plane = 0; plane < 6; plane++)
            for (int r = 0; r < 2; r++)
                for (int q = 0; q < 4; q++)
                {
                    int sr = r + 1, sq = q - 1;   // rows cropped by 1 above, columns padded by 1 on the left
                    float expected = sq is >= 0 and < 2 ? xs[(plane * 4 + sr) * 2 + sq] : 0;
                    Assert.Equal(expected, ys[(plane * 2 + r) * 4 + q]);
                }
    }

    [Theory]
    [InlineData(7, 6, 4, 3)]
    [InlineData(3, 2, 6, 5)]
    [InlineData(5, 3, 2, 6)]
    public void BackwardMatchesNumericalGradient(int h, int w, int th, int tw)
    {
        var result = GradientCheck.Layer(new CenterCrop(th, tw), RandomTensor.Uniform([2, 3, h, w], seed: h * w), seed: 4);
        Assert.True(result.MaxError < Bound, result.ToString());
    }

    [Fact]
    public void Backward_puts_the_gradient_where_the_pixels_came_from()
    {
        var layer = new CenterCrop(2, 2);
        layer.Forward(Tensor.Zeros(1, 1, 4, 4));
        var dx = layer.Backward(Tensor.FromArray(new float[] { 1, 2, 3, 4 }).Reshape(1, 1, 2, 2));
        Assert.Equal(new float[] { 0, 0, 0, 0, 0, 1, 2, 0, 0, 3, 4, 0, 0, 0, 0, 0 }, dx.ToArray());
    }
}
