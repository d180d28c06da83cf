using CourseKit.Layers;
using CourseKit.Training;

namespace CourseKit.Tests.Layers;

public class UpsamplingTests
{
    private const double Bound = GradientBound.Float32;

    [Fact]
    public void Nearest_copies_each_pixel_into_an_s_by_s_block()
    {
        var y = new Upsampling(2).Forward(Tensor.FromArray(new float[,] { { 1, 2 }, { 3, 4 } }).Reshape(1, 1, 2, 2));
        Assert.Equal(new float[] { 1, 1, 2, 2, 1, 1, 2, 2, 3, 3, 4, 4, 3, 3, 4, 4 }, y.ToArray());
    }

    [Fact]
    public void Bilinear_2x2_to_4x4_matches_the_worked_example()
    {
        // Output pixel o sits at (o + ½)/2 − ½ in input coordinates: −¼ (clamped to 0), ¼, ¾, 1¼ (between 1 and the
        // repeated edge). Row 1 of the 2x2 [[1, 2], [3, 4]] is 1·¾ + 3·¼ = 1.5 at the left, and so on.
        // (PyTorch: F.interpolate(x, scale_factor=2, mode="bilinear", align_corners=False) prints the same.)
        var y = new Upsampling(2, UpsamplingMode.Bilinear).Forward(Tensor.FromArray(new float[,] { { 1, 2 }, { 3, 4 } }).Reshape(1, 1, 2, 2));
        Assert.Equal(new float[] { 1, 1.25f, 1.75f, 2, 1.5f, 1.75f, 2.25f, 2.5f, 2.5f, 2.75f, 3.25f, 3.5f, 3, 3.25f, 3.75f, 4 }, y.ToArray());
    }

    // The definition, in double, written out independently: sample the input at the output pixel's centre.
    private static double[] BilinearDefinition(float[] x, int planes, int h, int w, int s)
    {
        int oh = h * s, ow = w * s;
        var y = new double[planes * oh * ow];
        double At(int plane, int i, int j) => x[(plane * h + Math.Clamp(i, 0, h - 1)) * w + Math.Clamp(j, 0, w - 1)];
        for (int plane = 0; plane < planes; plane++)
            for (int i = 0; i < oh; i++)
                for (int j = 0; j < ow; j++)
                {
                    double u = Math.Max(0, (i + 0.5) / s - 0.5), v = Math.Max(0, (j + 0.5) / s - 0.5);
                    int i0 = (int)Math.Floor(u), j0 = (int)Math.Floor(v);
                    double a = u - i0, b = v - j0;
                    y[(plane * oh + i) * ow + j] = (1 - a) * (1 - b) * At(plane, i0, j0) + (1 - a) * b * At(plane, i0, j0 + 1)
                                                 + a * (1 - b) * At(plane, i0 + 1, j0) + a * b * At(plane, i0 + 1, j0 + 1);
                }
        return y;
    }

    [Theory]
    [InlineData(2, 3, 5, 4, 2)]
    [InlineData(1, 2, 3, 1, 3)]
    [InlineData(1, 1, 1, 2, 4)]
    public void Bilinear_equals_the_definition_and_nearest_equals_integer_division(int n, int c, int h, int w, int s)
    {
        var x = RandomTensor.Uniform([n, c, h, w], seed: h + w + s);
        var xs = x.ToArray();
        var bilinear = new Upsampling(s, UpsamplingMode.Bilinear).Forward(x);
        Assert.Equal(new Shape(n, c, h * s, w * s), bilinear.Shape);
        var expected = BilinearDefinition(xs, n * c, h, w, s);
        var actual = bilinear.ToArray();
        for (int i = 0; i < expected.Length; i++) Assert.True(Math.Abs(expected[i] - actual[i]) < 1e-6, $"bilinear entry {i}: {expected[i]} vs {actual[i]}");
        var nearest = new Upsampling(s).Forward(x).ToArray();
        for (int plane = 0; plane < n * c; plane++)
            for (int i = 0; i < h * s; i++)
                for (int j = 0; j < w * s; j++)
                    Assert.Equal(xs[(plane * h + i / s) * w + j / s], nearest[(plane * h * s + i) * w * s + j]);
    }

    [Theory]
    [InlineData(UpsamplingMode.Nearest, 2)]
    [InlineData(UpsamplingMode.Nearest, 3)]
    [InlineData(UpsamplingMode.Bilinear, 2)]
    [InlineData(UpsamplingMode.Bilinear, 3)]
    public void BackwardMatchesNumericalGradient(UpsamplingMode mode, int scale)
    {
        var result = GradientCheck.Layer(new Upsampling(scale, mode), RandomTensor.Uniform([2, 2, 3, 4], seed: 9), seed: 2);
        Assert.True(result.MaxError < Bound, result.ToString());
    }

    [Fact]
    public void Bilinear_keeps_a_constant_image_constant_and_backward_keeps_the_total()
    {
        var layer = new Upsampling(2, UpsamplingMode.Bilinear);
        var y = layer.Forward(Tensor.Full([1, 1, 3, 3], 0.7f));
        Assert.All(y.ToArray(), v => Assert.Equal(0.7f, v, 1e-6f));
        // Each output's weights sum to 1, so the gradients handed back sum to what arrived.
        var dout = RandomTensor.Uniform([1, 1, 6, 6], seed: 1);
        Assert.Equal(dout.Sum().Item(), layer.Backward(dout).Sum().Item(), 1e-4f);
    }

    [Fact]
    public void Errors_name_the_layer_and_the_shape()
    {
        var e = Assert.Throws<ArgumentException>(() => new Upsampling(2).Forward(Tensor.Zeros(3, 4)));
        Assert.Contains("(N, C, H, W)", e.Message);
        Assert.Throws<ArgumentException>(() => new Upsampling(0));
    }
}
