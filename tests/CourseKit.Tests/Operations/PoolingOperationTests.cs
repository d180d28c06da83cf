using CourseKit.Backends;
using CourseKit.Operations;
using static CourseKit.Tests.Operations.OperationsReference;

namespace CourseKit.Tests.Operations;

public class PoolingOperationTests
{
    private static readonly float[,] LectureX = { { 1, 2, 3, 4 }, { 5, 6, 7, 8 }, { 16, 15, 14, 13 }, { 12, 11, 10, 9 } };

    [Fact]
    public void Lecture15_max_pooling_2x2_gives_6_8_16_14()
    {
        var (y, argmax, _) = PoolingOperation.Max(Image(LectureX));
        Assert.Equal(new Shape(1, 1, 2, 2), y.Shape);
        Assert.Equal(new float[] { 6, 8, 16, 14 }, y.ToArray());
        // where each maximum sat in its frame, as ph·PW + pw: bottom right, bottom right, top left, top left
        Assert.Equal(new float[] { 3, 3, 0, 0 }, argmax.ToArray());
    }

    [Fact]
    public void Lecture15_max_pooling_through_X_tilde_gives_the_same_6_8_16_14()
    {
        // The lecture prints Y = [[6, 8], [14, 16]] on its X-tilde slide; the maximum of the frame [[16, 15], [12, 11]]
        // is 16 and of [[14, 13], [10, 9]] is 14, as on its first slide. The test follows the definition.
        var (y, argmax, _) = PoolingOperation.MaxViaXTilde(Image(LectureX), 2, 2, 2);
        Assert.Equal(new float[] { 6, 8, 16, 14 }, y.ToArray());
        Assert.Equal(new float[] { 3, 3, 0, 0 }, argmax.ToArray());
    }

    [Fact]
    public void Lecture23_backward_routes_dY_to_the_maximum_of_each_frame()
    {
        // The maxima are x11, x13, x20, x22, as in the lecture's picture.
        float[,] x = { { 1, 2, 3, 4 }, { 5, 9, 7, 9 }, { 9, 6, 9, 8 }, { 4, 3, 2, 1 } };
        var forward = PoolingOperation.Max(Image(x));
        Tensor dy = new float[,] { { 10, 20 }, { 30, 40 } };
        var dx = PoolingOperation.MaxBackward(dy.Reshape(1, 1, 2, 2), forward);
        Assert.Equal(new Shape(1, 1, 4, 4), dx.Shape);
        Assert.Equal(new float[] { 0, 0, 0, 0, 0, 10, 0, 20, 30, 0, 40, 0, 0, 0, 0, 0 }, dx.ToArray());
    }

    // (N, C, H, W, PH, PW, S, P)
    public static TheoryData<int, int, int, int, int, int, int, int> Shapes => new()
    {
        { 1, 1, 4, 4, 2, 2, 2, 0 },
        { 2, 3, 6, 6, 2, 2, 2, 0 },
        { 2, 2, 7, 5, 2, 2, 2, 0 },  // odd sizes: the last row/column is dropped
        { 1, 2, 7, 7, 3, 3, 2, 1 },  // overlapping frames with padding
        { 2, 1, 6, 8, 2, 3, 2, 0 },  // rectangular frame
        { 3, 2, 5, 6, 3, 2, 1, 1 },
        { 1, 1, 5, 5, 2, 2, 3, 1 },  // stride larger than the frame
        { 2, 2, 4, 4, 4, 4, 4, 0 },
    };

    [Theory, MemberData(nameof(Shapes))]
    public void Max_via_X_tilde_equals_the_backend_kernel(int n, int c, int h, int w, int ph, int pw, int s, int p)
    {
        var x = Random(new Random(h * 7 + w + s), n, c, h, w);
        var direct = PoolingOperation.Max(x, ph, pw, s, p);
        var viaXTilde = PoolingOperation.MaxViaXTilde(x, ph, pw, s, p);
        Assert.Equal(direct.Y.ToArray(), viaXTilde.Y.ToArray());
        Assert.Equal(direct.Argmax.ToArray(), viaXTilde.Argmax.ToArray());
    }

    [Theory, MemberData(nameof(Shapes))]
    public void Max_pooling_forward_and_gradient_equal_the_double_definition_and_finite_differences(int n, int c, int h, int w, int ph, int pw, int s, int p)
    {
        var x = Distinct(new Random(h * 5 + w + p), n, c, h, w);
        var forward = PoolingOperation.Max(x, ph, pw, s, p);
        Close(MaxPoolDouble(D(x), n, c, h, w, ph, pw, s, p), forward.Y.ToArray(), 0, "Y");
        var dy = Random(new Random(3), forward.Y.Shape.ToArray());
        var dx = PoolingOperation.MaxBackward(dy, forward);
        Close(NumericalGradient(D(x), t => MaxPoolDouble(t, n, c, h, w, ph, pw, s, p), D(dy), 1e-3), dx.ToArray(), 1e-6, "dX");
    }

    [Theory, MemberData(nameof(Shapes))]
    public void Average_pooling_forward_and_gradient_equal_the_double_definition_and_finite_differences(int n, int c, int h, int w, int ph, int pw, int s, int p)
    {
        var x = Random(new Random(h * 3 + w + s), n, c, h, w);
        var forward = PoolingOperation.Average(x, ph, pw, s, p);
        var y = forward.Y;
        Assert.Equal(PoolingOperation.Geometry(x.Shape, ph, pw, s, p), forward.Geometry);  // as MaxPoolingResult has it
        Close(AveragePoolDouble(D(x), n, c, h, w, ph, pw, s, p), y.ToArray(), 1e-6, "Y");
        var dy = Random(new Random(4), y.Shape.ToArray());
        var dx = PoolingOperation.AverageBackward(dy, forward);
        Close(NumericalGradient(D(x), t => AveragePoolDouble(t, n, c, h, w, ph, pw, s, p), D(dy)), dx.ToArray(), 1e-5, "dX");
    }

    [Fact]
    public void Average_pooling_2x2_of_the_lecture_array_is_the_mean_of_each_frame()
    {
        var y = PoolingOperation.Average(Image(LectureX)).Y;
        Assert.Equal(new float[] { (1 + 2 + 5 + 6) / 4f, (3 + 4 + 7 + 8) / 4f, (16 + 15 + 12 + 11) / 4f, (14 + 13 + 10 + 9) / 4f }, y.ToArray());
    }

    [Fact]
    public void Global_average_pooling_gives_N_by_C_means_and_spreads_the_gradient_evenly()
    {
        var rng = new Random(9);
        var x = Random(rng, 2, 3, 4, 5);
        var y = PoolingOperation.GlobalAverage(x);
        Assert.Equal(new Shape(2, 3), y.Shape);
        double[] mean(double[] t) => Enumerable.Range(0, 6).Select(k => t.Skip(k * 20).Take(20).Average()).ToArray();
        Close(mean(D(x)), y.ToArray(), 1e-6, "Y");
        var dy = Random(rng, 2, 3);
        var dx = PoolingOperation.GlobalAverageBackward(dy, x.Shape);
        Assert.Equal(x.Shape, dx.Shape);
        Close(NumericalGradient(D(x), mean, D(dy)), dx.ToArray(), 1e-6, "dX");
    }

    [Fact]
    public void Pooling_keeps_channels_and_images_apart()
    {
        // Two images, two channels; each plane's maximum sits somewhere else.
        var x = Tensor.Zeros(2, 2, 2, 2);
        var a = x.AsSpan();
        a[0] = 1; a[4 + 1] = 2; a[8 + 2] = 3; a[12 + 3] = 4;
        var (y, argmax, _) = PoolingOperation.Max(x);
        Assert.Equal(new float[] { 1, 2, 3, 4 }, y.ToArray());
        Assert.Equal(new float[] { 0, 1, 2, 3 }, argmax.ToArray());
    }

    public static TheoryData<int, int, int, int, int, int, int, int> KernelShapes => new()
    {
        { 2, 3, 8, 8, 2, 2, 2, 0 },
        { 1, 2, 9, 7, 2, 2, 2, 0 },
        { 2, 2, 7, 7, 3, 3, 2, 1 },
        { 1, 3, 6, 5, 2, 3, 1, 1 },
        { 2, 1, 5, 5, 3, 3, 3, 2 },
        { 1, 1, 3, 4, 4, 5, 2, 2 },  // frames that stick out of the image on several sides
        { 1, 1, 2, 2, 5, 5, 1, 4 },  // frames that lie wholly in the padding
        { 16, 8, 32, 32, 2, 2, 2, 0 }, // large: runs in parallel
        { 8, 6, 21, 19, 3, 3, 2, 1 },
        { 3, 2, 24, 24, 2, 2, 2, 0 },  // the MNIST network's 24x24: eight frames at a time, then four
        { 2, 3, 33, 37, 2, 2, 2, 0 },  // 18 frames per row pair (two groups of eight and two left over), odd sizes
        { 2, 2, 7, 31, 2, 2, 2, 0 },   // 15 frames per row pair: eight, four, then three one by one
    };

    [Theory, MemberData(nameof(KernelShapes))]
    public void Fast_cpu_kernels_equal_the_reference_loops_including_ties_and_padding(int n, int c, int h, int w, int ph, int pw, int s, int p)
    {
        var g = new PoolingGeometry(n, c, h, w, ph, pw, s, p);
        var rng = new Random(h * 11 + w + p);
        // Few distinct values, negative ones included: ties with each other and with padded zeros are common.
        float[] x = Enumerable.Range(0, n * c * h * w).Select(_ => (float)rng.Next(-2, 2)).ToArray();
        int outputs = n * c * g.OH * g.OW;
        float[] y = new float[outputs], yRef = new float[outputs], am = new float[outputs], amRef = new float[outputs];
        CpuPooling.MaxForward(x, g, y, am);
        CpuPooling.MaxForwardReference(x, g, yRef, amRef);
        Assert.Equal(yRef, y);
        Assert.Equal(amRef, am);

        float[] dy = Random(rng, outputs).ToArray();
        float[] dx = Enumerable.Repeat(float.NaN, x.Length).ToArray(), dxRef = new float[x.Length]; // the kernel must overwrite
        CpuPooling.MaxBackward(dy, amRef, g, dx);
        CpuPooling.MaxBackwardReference(dy, amRef, g, dxRef);
        Assert.Equal(dxRef, dx);

        float[] xr = Random(rng, x.Length).ToArray();
        CpuPooling.AverageForward(xr, g, y);
        CpuPooling.AverageForwardReference(xr, g, yRef);
        Assert.Equal(yRef, y);
        Array.Fill(dx, float.NaN);
        CpuPooling.AverageBackward(dy, g, dx);
        CpuPooling.AverageBackwardReference(dy, g, dxRef);
        Assert.Equal(dxRef, dx);
    }

    [Fact]
    public void Errors_name_the_operation_and_the_shapes()
    {
        var e = Assert.Throws<ArgumentException>(() => PoolingOperation.Max(Tensor.Zeros(4, 4)));
        Assert.Equal("MaxPool2d: the input must have 4 axes (N, C, H, W) but has 2 (shape (4,4)).", e.Message);
        var forward = PoolingOperation.Max(Tensor.Zeros(1, 2, 4, 4));
        e = Assert.Throws<ArgumentException>(() => PoolingOperation.MaxBackward(Tensor.Zeros(1, 2, 3, 3), forward));
        Assert.Contains("MaxPool2d: the output gradient has shape (1,2,3,3) but", e.Message);
        Assert.Contains("needs (1,2,2,2)", e.Message);
        e = Assert.Throws<ArgumentException>(() => PoolingOperation.Average(Tensor.Zeros(1, 1, 2, 2), 3));
        Assert.Contains("AvgPool2d", e.Message);
    }

    private static double[] MaxPoolDouble(double[] x, int n, int c, int h, int w, int ph, int pw, int s, int p) =>
        PoolDouble(x, n, c, h, w, ph, pw, s, p, frame => frame.Max());

    private static double[] AveragePoolDouble(double[] x, int n, int c, int h, int w, int ph, int pw, int s, int p) =>
        PoolDouble(x, n, c, h, w, ph, pw, s, p, frame => frame.Average());

    // The frame of every output, padded cells read as 0 (lecture 1.2), reduced by max or mean.
    private static double[] PoolDouble(double[] x, int n, int c, int h, int w, int ph, int pw, int s, int p, Func<double[], double> reduce)
    {
        int oh = (h + 2 * p - ph) / s + 1, ow = (w + 2 * p - pw) / s + 1;
        var y = new double[n * c * oh * ow];
        var frame = new double[ph * pw];
        for (int plane = 0; plane < n * c; plane++)
        for (int i = 0; i < oh; i++)
        for (int j = 0; j < ow; j++)
        {
            for (int u = 0; u < ph; u++)
            for (int v = 0; v < pw; v++)
            {
                int r = i * s - p + u, q = j * s - p + v;
                frame[u * pw + v] = r >= 0 && r < h && q >= 0 && q < w ? x[(plane * h + r) * w + q] : 0;
            }
            y[(plane * oh + i) * ow + j] = reduce(frame);
        }
        return y;
    }
}
