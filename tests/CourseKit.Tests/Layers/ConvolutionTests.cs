using CourseKit.Layers;
using CourseKit.Training;

namespace CourseKit.Tests.Layers;

public class ConvolutionTests
{
    // Relative to the largest gradient entry; a wrong index in im2col/col2im gives errors of order 1.
    private const double Bound = GradientBound.Float32;

    [Theory]
    [InlineData(2, 3, 6, 5, 4, 3, 1, 0)]
    [InlineData(2, 2, 7, 7, 3, 3, 2, 1)]
    [InlineData(1, 3, 5, 6, 2, 2, 1, 2)]
    [InlineData(3, 1, 8, 8, 2, 5, 3, 1)]
    public void BackwardMatchesNumericalGradient(int n, int c, int h, int w, int oc, int k, int stride, int pad)
    {
        var conv = new Convolution(c, oc, k, stride, pad, seed: 5);
        RandomTensor.Uniform(conv.B.Shape, seed: 6, scale: 0.5f).Storage.CopyTo(conv.B.Value.AsSpan());
        var result = GradientCheck.Layer(conv, RandomTensor.Uniform([n, c, h, w], seed: 7), seed: 8);
        Assert.True(result.MaxError < Bound, result.ToString());
        Assert.Equal(["W", "b"], result.ParameterErrors.Keys);
    }

    [Theory]
    [InlineData(2, 3, 6, 7, 4, 1, 3, 1, 0)]
    [InlineData(1, 2, 7, 7, 3, 3, 1, 2, 1)]
    [InlineData(2, 1, 8, 6, 2, 2, 5, 1, 2)]
    public void ARectangularFilterMatchesTheDefinitionAndTheNumericalGradient(int n, int c, int h, int w, int oc, int fh, int fw, int stride, int pad)
    {
        var conv = new Convolution(c, oc, (fh, fw), stride, pad, seed: 1);
        Assert.Equal(new Shape(oc, c, fh, fw), conv.W.Shape);
        Assert.Equal((fh, fw), (conv.KernelHeight, conv.KernelWidth));
        var x = RandomTensor.Uniform([n, c, h, w], seed: 3);
        var y = conv.Forward(x);
        int oh = (h + 2 * pad - fh) / stride + 1, ow = (w + 2 * pad - fw) / stride + 1;
        Assert.Equal(new Shape(n, oc, oh, ow), y.Shape);
        var xs = x.ToArray(); var f = conv.W.Value.ToArray(); var ys = y.ToArray();
        for (int s = 0; s < n; s++) for (int o = 0; o < oc; o++) for (int i = 0; i < oh; i++) for (int j = 0; j < ow; j++)
        {
            double sum = 0;
            for (int ch = 0; ch < c; ch++) for (int p = 0; p < fh; p++) for (int q = 0; q < fw; q++)
            {
                int r = i * stride + p - pad, col = j * stride + q - pad;
                if (r >= 0 && r < h && col >= 0 && col < w)
                    sum += xs[((s * c + ch) * h + r) * w + col] * f[((o * c + ch) * fh + p) * fw + q];
            }
            Assert.True(Math.Abs(sum - ys[((s * oc + o) * oh + i) * ow + j]) < 1e-4, $"y[{s},{o},{i},{j}]");
        }
        var result = GradientCheck.Layer(conv, x, seed: 8);
        Assert.True(result.MaxError < Bound, result.ToString());
    }

    [Theory]
    [InlineData(2, 3, 6, 5, 4, 3, 1, 0)]
    [InlineData(1, 2, 7, 7, 3, 3, 2, 1)]
    [InlineData(2, 1, 5, 5, 2, 4, 3, 2)]
    public void ForwardEqualsTheDefinitionOfConvolution(int n, int c, int h, int w, int oc, int k, int stride, int pad)
    {
        var conv = new Convolution(c, oc, k, stride, pad, seed: 1);
        var bias = RandomTensor.Uniform([oc], seed: 2);
        bias.AsSpan().CopyTo(conv.B.Value.AsSpan());
        var x = RandomTensor.Uniform([n, c, h, w], seed: 3);
        var y = conv.Forward(x);

        // lecture 1.3: y[n,o,i,j] = Σ_c Σ_p Σ_q x̃[n,c,i·S+p,j·S+q]·F[o,c,p,q] + b[o], x̃ zero-padded.
        int oh = (h + 2 * pad - k) / stride + 1, ow = (w + 2 * pad - k) / stride + 1;
        Assert.Equal(new Shape(n, oc, oh, ow), y.Shape);
        var xs = x.ToArray(); var f = conv.W.Value.ToArray(); var b = bias.ToArray(); var ys = y.ToArray();
        for (int s = 0; s < n; s++) for (int o = 0; o < oc; o++) for (int i = 0; i < oh; i++) for (int j = 0; j < ow; j++)
        {
            double sum = b[o];
            for (int ch = 0; ch < c; ch++) for (int p = 0; p < k; p++) for (int q = 0; q < k; q++)
            {
                int r = i * stride + p - pad, col = j * stride + q - pad;
                if (r >= 0 && r < h && col >= 0 && col < w)
                    sum += xs[((s * c + ch) * h + r) * w + col] * f[((o * c + ch) * k + p) * k + q];
            }
            Assert.True(Math.Abs(sum - ys[((s * oc + o) * oh + i) * ow + j]) < 1e-4, $"y[{s},{o},{i},{j}]");
        }
    }

    [Fact]
    public void WrongChannelCountIsReportedWithBothShapes()
    {
        var e = Assert.Throws<ArgumentException>(() => new Convolution(3, 4, 3).Forward(Tensor.Zeros(1, 2, 5, 5)));
        Assert.Contains("(1, 2, 5, 5)", e.Message);
        Assert.Contains("(4, 3, 3, 3)", e.Message);
    }

    [Fact]
    public void AFirstLayerCanSkipTheInputGradientWithoutChangingTheFilterGradient()
    {
        var x = RandomTensor.Uniform([2, 1, 6, 6], seed: 11);
        var dout = RandomTensor.Uniform([2, 3, 4, 4], seed: 12);
        var full = new Convolution(1, 3, 3, seed: 13);
        var first = new Convolution(1, 3, 3, seed: 13) { ComputeInputGradient = false };
        full.Forward(x); first.Forward(x);
        full.Backward(dout);
        var dx = first.Backward(dout);
        Assert.Equal(full.W.Grad.ToArray(), first.W.Grad.ToArray());
        Assert.Equal(full.B.Grad.ToArray(), first.B.Grad.ToArray());
        Assert.Equal(x.Shape, dx.Shape);
        Assert.All(dx.ToArray(), v => Assert.Equal(0f, v));
    }
}
