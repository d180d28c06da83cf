using CourseKit.Layers;
using CourseKit.Operations;
using CourseKit.Training;
using static CourseKit.Tests.Operations.OperationsReference;

namespace CourseKit.Tests.Operations;

/// <summary>
/// PyTorch's border rules (max padded with −∞, ceil_mode, count_include_pad) against PyTorch's definitions written here
/// in double (aten's max_pool2d and avg_pool2d loops, pooling_output_shape), and their backward against numerical
/// differentiation. The lecture's rules stay the default.
/// </summary>
public sealed class PoolingOptionsTests
{
    // aten's pooling_output_shape without dilation
    private static int TorchOutput(int size, int k, int p, int s, bool ceil)
    {
        int o = (size + 2 * p - k + (ceil ? s - 1 : 0)) / s + 1;
        if (ceil && (o - 1) * s >= size + p) o--;
        return o;
    }

    // torch.nn.functional.max_pool2d: the maximum over the frame's cells inside the image (padding is −∞)
    private static double[] TorchMax(double[] x, int n, int c, int h, int w, int kh, int kw, int s, int p, bool ceil)
    {
        int oh = TorchOutput(h, kh, p, s, ceil), ow = TorchOutput(w, kw, p, s, ceil);
        var y = new double[n * c * oh * ow];
        for (int plane = 0; plane < n * c; plane++)
            for (int i = 0; i < oh; i++)
                for (int j = 0; j < ow; j++)
                {
                    double best = double.NegativeInfinity;
                    for (int a = i * s - p; a < i * s - p + kh; a++)
                        for (int b = j * s - p; b < j * s - p + kw; b++)
                            if (a >= 0 && a < h && b >= 0 && b < w) best = Math.Max(best, x[(plane * h + a) * w + b]);
                    y[(plane * oh + i) * ow + j] = best;
                }
        return y;
    }

    // torch.nn.functional.avg_pool2d: the sum of the real pixels over aten's divisor
    private static double[] TorchAverage(double[] x, int n, int c, int h, int w, int kh, int kw, int s, int p, bool ceil, bool countIncludePad)
    {
        int oh = TorchOutput(h, kh, p, s, ceil), ow = TorchOutput(w, kw, p, s, ceil);
        var y = new double[n * c * oh * ow];
        for (int plane = 0; plane < n * c; plane++)
            for (int i = 0; i < oh; i++)
                for (int j = 0; j < ow; j++)
                {
                    int hs = i * s - p, ws = j * s - p, he = Math.Min(hs + kh, h + p), we = Math.Min(ws + kw, w + p);
                    int poolSize = (he - hs) * (we - ws);
                    hs = Math.Max(hs, 0); ws = Math.Max(ws, 0); he = Math.Min(he, h); we = Math.Min(we, w);
                    double sum = 0;
                    for (int a = hs; a < he; a++)
                        for (int b = ws; b < we; b++) sum += x[(plane * h + a) * w + b];
                    y[(plane * oh + i) * ow + j] = sum / (countIncludePad ? poolSize : (he - hs) * (we - ws));
                }
        return y;
    }

    // (N, C, H, W, KH, KW, S, P, ceil)
    public static TheoryData<int, int, int, int, int, int, int, int, bool> Cases => new()
    {
        { 2, 2, 5, 5, 2, 2, 2, 1, false },
        { 1, 3, 7, 6, 3, 3, 2, 1, true },   // ceil: the last frame hangs over the edge
        { 2, 1, 6, 7, 2, 3, 2, 0, true },   // rectangular frame, ceil without padding
        { 1, 2, 5, 5, 3, 3, 3, 1, true },
        { 1, 1, 4, 4, 2, 2, 2, 0, false },  // no padding, frames fit: all rules agree
    };

    [Theory, MemberData(nameof(Cases))]
    public void MaxPoolingWithPyTorchOptionsEqualsPyTorchsDefinition(int n, int c, int h, int w, int kh, int kw, int s, int p, bool ceil)
    {
        // negative inputs: with the lecture's zero padding a padded 0 would win the border frames
        var x = Tensor.Uniform([n, c, h, w], -2f, -0.1f, seed: h * 10 + w);
        var options = PoolingOptions.PyTorch with { CeilMode = ceil };
        var result = PoolingOperation.Max(x, kh, kw, s, p, options);
        var expected = TorchMax(D(x), n, c, h, w, kh, kw, s, p, ceil);
        Assert.Equal(new Shape(n, c, TorchOutput(h, kh, p, s, ceil), TorchOutput(w, kw, p, s, ceil)), result.Y.Shape);
        Close(expected, result.Y.ToArray(), 1e-6, "max pooling, PyTorch rules");
        Assert.All(result.Y.ToArray(), v => Assert.True(v < 0, "a padded cell won the frame"));

        // backward: dX = ∂(Σ dY·Y)/∂X numerically; distinct values keep the maxima away from ties
        var dy = Tensor.RandN(result.Y.Shape, seed: 5);
        var dx = PoolingOperation.MaxBackward(dy, result);
        Assert.Equal(x.Shape, dx.Shape);
        var numeric = NumericalGradient(D(x), v => TorchMax(v, n, c, h, w, kh, kw, s, p, ceil), D(dy));
        Close(numeric, dx.ToArray(), 1e-4, "max pooling backward, PyTorch rules");
    }

    [Theory, MemberData(nameof(Cases))]
    public void AveragePoolingWithPyTorchOptionsEqualsPyTorchsDefinition(int n, int c, int h, int w, int kh, int kw, int s, int p, bool ceil)
    {
        var x = Tensor.RandN([n, c, h, w], seed: h * 10 + w);
        foreach (bool countIncludePad in new[] { true, false })
        {
            var options = PoolingOptions.PyTorch with { CeilMode = ceil, CountIncludePad = countIncludePad };
            var forward = PoolingOperation.Average(x, kh, kw, s, p, options);
            var y = forward.Y;
            Assert.Equal(options, forward.Options);
            var expected = TorchAverage(D(x), n, c, h, w, kh, kw, s, p, ceil, countIncludePad);
            Close(expected, y.ToArray(), 1e-6, $"average pooling, ceil={ceil}, count_include_pad={countIncludePad}");

            var g = PoolingOperation.Geometry(x.Shape, kh, kw, s, p);
            var dy = Tensor.RandN(y.Shape, seed: 6);
            var dx = PoolingOperation.AverageBackward(dy, forward);
            Assert.Equal(PoolingOperation.AverageBackward(dy, g, options).ToArray(), dx.ToArray());
            var numeric = NumericalGradient(D(x), v => TorchAverage(v, n, c, h, w, kh, kw, s, p, ceil, countIncludePad), D(dy));
            Close(numeric, dx.ToArray(), 1e-4, $"average pooling backward, count_include_pad={countIncludePad}");
        }
    }

    [Fact]
    public void TheLectureDefaultPadsMaxPoolingWithZerosWherePyTorchPadsWithMinusInfinity()
    {
        var x = Tensor.Full([1, 1, 2, 2], -1f);
        Assert.Equal([0f, 0f, 0f, 0f], PoolingOperation.Max(x, 2, 2, 2, pad: 1).Y.ToArray());
        Assert.Equal([-1f, -1f, -1f, -1f], PoolingOperation.Max(x, 2, 2, 2, 1, PoolingOptions.PyTorch).Y.ToArray());
        Assert.Throws<ArgumentException>(() => PoolingOperation.Max(x, 2, 2, 2, 2, PoolingOptions.PyTorch));
    }

    [Fact]
    public void PoolingLayersWithOptionsAndRectangularFramesPassTheGradientCheck()
    {
        // distinct values 0.1 apart: no ties within the difference step, so the maximum is differentiable there
        var x = CourseKit.Tests.Layers.RandomTensor.Distinct([2, 2, 7, 6], seed: 9);
        Layer[] layers =
        [
            new MaxPooling(3, stride: 2, pad: 1, PoolingOptions.PyTorch with { CeilMode = true }),
            new AveragePooling(3, stride: 2, pad: 1, PoolingOptions.PyTorch with { CeilMode = true, CountIncludePad = false }),
            new MaxPooling((2, 3), stride: 2),
            new AveragePooling((3, 2), stride: 1, pad: 1),
        ];
        foreach (var layer in layers)
        {
            var check = GradientCheck.Layer(layer, x, seed: 2, h: 1e-3f);
            Assert.True(check.MaxError < CourseKit.Tests.Layers.GradientBound.Float32, $"{layer.Name}: {check}");
        }
        Assert.Equal(new Shape(2, 2, 4, 4), layers[0].Forward(x).Shape);   // ⌈(7+2−3)/2⌉+1 = 4, ⌈(6+2−3)/2⌉+1 = 4 (floor: 4, 3)
        Assert.Equal(new Shape(2, 2, 3, 2), layers[2].Forward(x).Shape);   // (7-2)/2+1, (6-3)/2+1
    }
}
