using CourseKit.Layers;
using CourseKit.Training;

namespace CourseKit.Tests.Layers;

public class ConvolutionTransposeTests
{
    private const double Bound = GradientBound.Float32;

    [Theory]
    [InlineData(2, 3, 3, 4, 2, 3, 1, 0)]
    [InlineData(1, 2, 4, 4, 3, 4, 2, 1)]
    [InlineData(2, 1, 3, 2, 2, 3, 3, 1)]
    public void BackwardMatchesNumericalGradient(int n, int c, int h, int w, int oc, int k, int stride, int pad)
    {
        var layer = new ConvolutionTranspose(c, oc, k, stride, pad, seed: 3);
        RandomTensor.Uniform([oc], seed: 4).AsSpan().CopyTo(layer.B.Value.AsSpan());
        var result = GradientCheck.Layer(layer, RandomTensor.Uniform([n, c, h, w], seed: 5), seed: 6);
        Assert.True(result.MaxError < Bound, result.ToString());
    }

    [Theory]
    [InlineData(2, 3, 3, 4, 2, 3, 1, 0)]
    [InlineData(1, 2, 4, 4, 3, 4, 2, 1)]
    [InlineData(1, 1, 3, 3, 1, 2, 2, 0)]
    public void ForwardScattersEachInputPixelTimesTheFilter(int n, int c, int h, int w, int oc, int k, int stride, int pad)
    {
        var layer = new ConvolutionTranspose(c, oc, k, stride, pad, seed: 1);
        var bias = RandomTensor.Uniform([oc], seed: 2);
        bias.AsSpan().CopyTo(layer.B.Value.AsSpan());
        var x = RandomTensor.Uniform([n, c, h, w], seed: 7);
        var y = layer.Forward(x);

        // PyTorch ConvTranspose2d: y[n,o,i·S+p−P, j·S+q−P] += x[n,c,i,j]·W[c,o,p,q], plus b[o].
        int oh = (h - 1) * stride - 2 * pad + k, ow = (w - 1) * stride - 2 * pad + k;
        Assert.Equal(new Shape(n, oc, oh, ow), y.Shape);
        var expected = new double[n * oc * oh * ow];
        var xs = x.ToArray(); var f = layer.W.Value.ToArray(); var b = bias.ToArray();
        for (int s = 0; s < n; s++) for (int o = 0; o < oc; o++) for (int i = 0; i < oh * ow; i++) expected[(s * oc + o) * oh * ow + i] = b[o];
        for (int s = 0; s < n; s++) for (int ch = 0; ch < c; ch++) for (int i = 0; i < h; i++) for (int j = 0; j < w; j++)
        for (int o = 0; o < oc; o++) for (int p = 0; p < k; p++) for (int q = 0; q < k; q++)
        {
            int r = i * stride + p - pad, col = j * stride + q - pad;
            if (r >= 0 && r < oh && col >= 0 && col < ow)
                expected[((s * oc + o) * oh + r) * ow + col] += xs[((s * c + ch) * h + i) * w + j] * f[((ch * oc + o) * k + p) * k + q];
        }
        var ys = y.ToArray();
        for (int i = 0; i < ys.Length; i++) Assert.True(Math.Abs(expected[i] - ys[i]) < 1e-4, $"entry {i}: {expected[i]} vs {ys[i]}");
    }

    [Fact]
    public void StrideTwoDoublesTheSizeLikeAnAutoencoderDecoder()
    {
        var y = new ConvolutionTranspose(4, 2, 2, stride: 2).Forward(Tensor.Zeros(3, 4, 7, 7));
        Assert.Equal(new Shape(3, 2, 14, 14), y.Shape);
    }

    [Theory]
    [InlineData(2, 2, 3, 3, 3, 3, 2, 1, 1)]
    [InlineData(1, 1, 2, 3, 2, 2, 3, 0, 2)]
    public void OutputPaddingBackwardMatchesNumericalGradient(int n, int c, int h, int w, int oc, int k, int stride, int pad, int outputPadding)
    {
        var layer = new ConvolutionTranspose(c, oc, k, stride, pad, seed: 3, outputPadding: outputPadding);
        RandomTensor.Uniform([oc], seed: 4).AsSpan().CopyTo(layer.B.Value.AsSpan());
        var x = RandomTensor.Uniform([n, c, h, w], seed: 5);
        Assert.Equal(new Shape(n, oc, (h - 1) * stride - 2 * pad + k + outputPadding, (w - 1) * stride - 2 * pad + k + outputPadding), layer.Forward(x).Shape);
        var result = GradientCheck.Layer(layer, x, seed: 6);
        Assert.True(result.MaxError < Bound, result.ToString());
    }

    [Fact]
    public void ThreeByThreeStrideTwoWithOutputPaddingExactlyDoublesTheSize()
    {
        var y = new ConvolutionTranspose(2, 2, 3, stride: 2, pad: 1, outputPadding: 1).Forward(Tensor.Zeros(1, 2, 5, 7));
        Assert.Equal(new Shape(1, 2, 10, 14), y.Shape);
    }
}
