using CourseKit.Backends;
using CourseKit.Layers;
using CourseKit.Operations;

namespace CourseKit.Tests.OnDevice;

/// <summary>
/// The functional operations (lecture 1.3, 2.1, 2.3) run unchanged on a device and agree with the
/// CPU: the same code, another device. Bound: 1e-4 relative + 1e-5 absolute, room for GEMMs over up to
/// a few hundred terms accumulated in a different order.
/// </summary>
public abstract class DeviceOperationsTests(IDeviceFixture fixture)
{
    private const float Relative = 1e-4f, Absolute = 1e-5f;

    [Theory]
    [InlineData(2, 3, 9, 8, 4, 3, 1, 1)]
    [InlineData(3, 2, 7, 7, 5, 2, 2, 0)]
    public void ConvolutionForwardAndBackwardMatchTheCpu(int n, int c, int h, int w, int oc, int fs, int stride, int pad)
    {
        var random = new Random(n * 7 + h);
        var x = Tensor.FromData([n, c, h, w], Numbers.Random(random, n * c * h * w));
        var f = Tensor.FromData([oc, c, fs, fs], Numbers.Random(random, oc * c * fs * fs));
        var b = Tensor.FromData([oc], Numbers.Random(random, oc));
        var (gx, gf, gb) = (x.To(fixture.Device), f.To(fixture.Device), b.To(fixture.Device));

        var y = ConvolutionOperation.Forward(x, f, b, stride, pad);
        var gy = ConvolutionOperation.Forward(gx, gf, gb, stride, pad);
        Assert.Same(fixture.Device, gy.Device);
        Numbers.Close(y.ToArray(), gy.ToArray(), Relative, Absolute, "ConvolutionOperation.Forward");

        var dy = Tensor.FromData(y.Shape, Numbers.Random(random, y.Length));
        var gdy = dy.To(fixture.Device);
        Numbers.Close(ConvolutionOperation.BackwardInput(dy, f, x.Shape, stride, pad).ToArray(),
                      ConvolutionOperation.BackwardInput(gdy, gf, x.Shape, stride, pad).ToArray(), Relative, Absolute, "ConvolutionOperation.BackwardInput");
        Numbers.Close(ConvolutionOperation.BackwardFilter(dy, x, f.Shape, stride, pad).ToArray(),
                      ConvolutionOperation.BackwardFilter(gdy, gx, f.Shape, stride, pad).ToArray(), Relative, Absolute, "ConvolutionOperation.BackwardFilter");
        Numbers.Close(ConvolutionOperation.BackwardBias(dy).ToArray(), ConvolutionOperation.BackwardBias(gdy).ToArray(), Relative, Absolute, "ConvolutionOperation.BackwardBias");
    }

    [Fact]
    public void TransposedConvolutionRotate180RunsOnTheDeviceAsOnTheCpu()
    {
        // Rotate180 reads the filter through negative strides; the device once refused them
        var random = new Random(180);
        var f = Tensor.FromData([2, 3, 3, 4], Numbers.Random(random, 2 * 3 * 3 * 4));
        var rotated = TransposedConvolution.Rotate180(f.To(fixture.Device));
        Assert.Same(fixture.Device, rotated.Device);
        var r = rotated.ToArray();
        var expected = f.ToArray();
        for (int a = 0; a < 2; a++)
            for (int b = 0; b < 3; b++)
                for (int i = 0; i < 3; i++)
                    for (int j = 0; j < 4; j++)
                        Assert.Equal(expected[((a * 3 + b) * 3 + 2 - i) * 4 + 3 - j], r[((a * 3 + b) * 3 + i) * 4 + j]);
        Assert.Equal(f.ToArray(), TransposedConvolution.Rotate180(rotated).ToArray());
    }

    // (N, C_in, H, W, C_out, K, S, P, OP): output padding adds the last row and column (lecture 5.3; PyTorch's output_padding)
    [Theory]
    [InlineData(2, 3, 5, 4, 2, 3, 2, 1, 1)]
    [InlineData(1, 2, 3, 3, 3, 2, 3, 0, 2)]
    public void ConvolutionTransposeWithOutputPaddingMatchesTheCpuForwardAndBackward(int n, int c, int h, int w, int oc, int k, int stride, int pad, int outputPadding)
    {
        var random = new Random(n * 13 + outputPadding);
        var onCpu = new ConvolutionTranspose(c, oc, k, stride, pad, seed: 4, outputPadding: outputPadding);
        onCpu.B.Set(Tensor.FromData([oc], Numbers.Random(random, oc)));
        var onDevice = new ConvolutionTranspose(c, oc, k, stride, pad, seed: 4, outputPadding: outputPadding);
        onDevice.B.Set(onCpu.B.Value);
        onDevice.To(fixture.Device);
        var x = Tensor.FromData([n, c, h, w], Numbers.Random(random, n * c * h * w));

        var y = onCpu.Forward(x);
        var gy = onDevice.Forward(x.To(fixture.Device));
        Assert.Equal(y.Shape, gy.Shape);
        Assert.Equal((h - 1) * stride - 2 * pad + k + outputPadding, y.Shape[2]);
        Numbers.Close(y.ToArray(), gy.ToArray(), Relative, Absolute, "ConvolutionTranspose forward");

        var dy = Tensor.FromData(y.Shape, Numbers.Random(random, y.Length));
        Numbers.Close(onCpu.Backward(dy).ToArray(), onDevice.Backward(dy.To(fixture.Device)).ToArray(), Relative, Absolute, "ConvolutionTranspose dX");
        Numbers.Close(onCpu.W.Grad.ToArray(), onDevice.W.Grad.ToArray(), Relative, Absolute, "ConvolutionTranspose dW");
        Numbers.Close(onCpu.B.Grad.ToArray(), onDevice.B.Grad.ToArray(), Relative, Absolute, "ConvolutionTranspose db");
    }

    [Fact]
    public void MaxPoolingForwardAndBackwardMatchTheCpu()
    {
        var random = new Random(9);
        var x = Tensor.FromData([2, 3, 8, 6], Numbers.Random(random, 2 * 3 * 8 * 6));
        var onCpu = PoolingOperation.Max(x, 2);
        var onDevice = PoolingOperation.Max(x.To(fixture.Device), 2);
        Assert.Equal(onCpu.Argmax.ToArray(), onDevice.Argmax.ToArray());
        Assert.Equal(onCpu.Y.ToArray(), onDevice.Y.ToArray());

        var dy = Tensor.FromData(onCpu.Y.Shape, Numbers.Random(random, onCpu.Y.Length));
        Assert.Equal(PoolingOperation.MaxBackward(dy, onCpu).ToArray(), PoolingOperation.MaxBackward(dy.To(fixture.Device), onDevice).ToArray());
    }
}
