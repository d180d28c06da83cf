using CourseKit.Operations;
using static CourseKit.Tests.Operations.OperationsReference;

namespace CourseKit.Tests.Operations;

public class TransposedConvolutionTests
{
    private static readonly float[,] LectureX = { { 1, 2 }, { 3, 4 } };
    private static readonly float[,] LectureF = { { 1, -1 }, { 2, 1 } };

    [Fact]
    public void Lecture53_stride_2_dilates_then_convolves_to_4x4()
    {
        var y = TransposedConvolution.Lecture(Image(LectureX), Image(LectureF), stride: 2);
        Assert.Equal(new Shape(1, 1, 4, 4), y.Shape);
        Assert.Equal(new float[] { 1, 2, 2, 4, -1, 1, -2, 2, 3, 6, 4, 8, -3, 3, -4, 4 }, y.ToArray());
    }

    [Fact]
    public void Lecture53_stride_1_pads_then_convolves_to_3x3()
    {
        // The lecture prints 1 for the centre; its own definition gives (1, 2, 3, 4)·(1, −1, 2, 1) = 1 − 2 + 6 + 4 = 9.
        // The test follows the definition.
        var y = TransposedConvolution.Lecture(Image(LectureX), Image(LectureF), stride: 1);
        Assert.Equal(new Shape(1, 1, 3, 3), y.Shape);
        Assert.Equal(new float[] { 1, 4, 4, 2, 9, 10, -3, -1, 4 }, y.ToArray());
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void Efficient_form_with_the_rotated_filter_reproduces_the_lecture_examples(int stride)
    {
        var f = TransposedConvolution.Rotate180(Image(LectureF));
        Assert.Equal(new float[] { 1, 2, -1, 1 }, f.ToArray());
        Assert.Equal(TransposedConvolution.Lecture(Image(LectureX), Image(LectureF), stride).ToArray(),
                     TransposedConvolution.Forward(Image(LectureX), f, null, stride).ToArray());
    }

    // (N, C_in, H, W, C_out, FH, FW, P, S)
    public static TheoryData<int, int, int, int, int, int, int, int, int> Shapes => new()
    {
        { 1, 1, 2, 2, 1, 2, 2, 0, 2 },
        { 2, 3, 3, 4, 2, 3, 3, 1, 2 },
        { 1, 2, 4, 3, 3, 4, 4, 1, 2 }, // the DCGAN 4x4 / stride 2 / padding 1 doubling
        { 2, 2, 3, 3, 2, 1, 1, 0, 1 },
        { 1, 3, 2, 5, 2, 2, 3, 0, 3 }, // stride larger than the filter
        { 3, 1, 5, 4, 4, 3, 2, 2, 1 },
    };

    [Theory, MemberData(nameof(Shapes))]
    public void Forward_equals_the_definition_and_the_lecture_form_with_the_filter_rotated(int n, int cin, int h, int w, int cout, int fh, int fw, int p, int s)
    {
        var rng = new Random(h * 10 + w + s + p);
        var x = Random(rng, n, cin, h, w);
        var f = Random(rng, cin, cout, fh, fw);
        var b = Random(rng, cout);
        var y = TransposedConvolution.Forward(x, f, b, s, p);
        var expected = ConvTranspose(D(x), n, cin, h, w, D(f), cout, fh, fw, s, p, out int oh, out int ow);
        Assert.Equal(new Shape(n, cout, oh, ow), y.Shape);
        var bd = D(b);
        for (int i = 0; i < expected.Length; i++) expected[i] += bd[i / (oh * ow) % cout];
        Close(expected, y.ToArray(), 1e-5, "Forward vs definition");
        Close(TransposedConvolution.Lecture(x, TransposedConvolution.Rotate180(f), s, p), TransposedConvolution.Forward(x, f, null, s, p), 1e-5, "Lecture vs Forward");
    }

    [Theory, MemberData(nameof(Shapes))]
    public void Input_filter_and_bias_gradients_equal_finite_differences(int n, int cin, int h, int w, int cout, int fh, int fw, int p, int s)
    {
        var rng = new Random(h * 3 + w * 5 + s);
        var x = Random(rng, n, cin, h, w);
        var f = Random(rng, cin, cout, fh, fw);
        var (oh, ow) = TransposedConvolution.OutputSize(h, w, fh, fw, p, s);
        var dy = Random(rng, n, cout, oh, ow);
        double[] xd = D(x), fd = D(f), dyd = D(dy);
        var dx = TransposedConvolution.BackwardInput(dy, f, x.Shape, s, p);
        var df = TransposedConvolution.BackwardFilter(dy, x, f.Shape, s, p);
        var db = TransposedConvolution.BackwardBias(dy);
        Assert.Equal(x.Shape, dx.Shape);
        Assert.Equal(f.Shape, df.Shape);
        Close(NumericalGradient(xd, t => ConvTranspose(t, n, cin, h, w, fd, cout, fh, fw, s, p, out _, out _), dyd), dx.ToArray(), 1e-5, "dX");
        Close(NumericalGradient(fd, t => ConvTranspose(xd, n, cin, h, w, t, cout, fh, fw, s, p, out _, out _), dyd), df.ToArray(), 1e-5, "dF");
        var expectedDb = new double[cout];
        for (int i = 0; i < dyd.Length; i++) expectedDb[i / (oh * ow) % cout] += dyd[i];
        Close(expectedDb, db.ToArray(), 1e-5, "db");
    }

    [Fact]
    public void Convolution_with_the_same_stride_and_padding_takes_the_output_size_back_to_the_input_size()
    {
        var (oh, ow) = TransposedConvolution.OutputSize(7, 5, 4, 3, 1, 2);
        Assert.Equal((14, 9), (oh, ow));
        Assert.Equal((7, 5), ConvolutionOperation.OutputSize(oh, ow, 4, 3, 1, 2));
    }

    // (N, C_in, H, W, C_out, K, P, S, OP)
    public static TheoryData<int, int, int, int, int, int, int, int, int> OutputPaddingShapes => new()
    {
        { 1, 1, 2, 2, 1, 2, 0, 2, 1 },
        { 2, 2, 3, 4, 3, 3, 1, 2, 1 },  // 3x3 / stride 2 / padding 1 + 1: exactly doubles (Keras' padding="same")
        { 1, 2, 3, 2, 2, 2, 0, 3, 2 },
        { 1, 1, 4, 3, 2, 3, 2, 3, 1 },  // a padding that crops, then a row added back
    };

    [Theory, MemberData(nameof(OutputPaddingShapes))]
    public void Output_padding_adds_rows_and_columns_at_the_bottom_and_right_in_both_forms(int n, int cin, int h, int w, int cout, int k, int p, int s, int op)
    {
        var rng = new Random(h * 7 + w + s * 3 + op);
        var x = Random(rng, n, cin, h, w);
        var f = Random(rng, cin, cout, k, k);
        var b = Random(rng, cout);
        var y = TransposedConvolution.Forward(x, f, b, s, p, op);
        var expected = ConvTranspose(D(x), n, cin, h, w, D(f), cout, k, k, s, p, out int oh, out int ow, op);
        Assert.Equal((oh, ow), TransposedConvolution.OutputSize(h, w, k, k, p, s, op));
        Assert.Equal(new Shape(n, cout, oh, ow), y.Shape);
        var bd = D(b);
        for (int i = 0; i < expected.Length; i++) expected[i] += bd[i / (oh * ow) % cout];
        Close(expected, y.ToArray(), 1e-5, "Forward with output padding vs definition");
        Close(TransposedConvolution.Lecture(x, TransposedConvolution.Rotate180(f), s, p, op), TransposedConvolution.Forward(x, f, null, s, p, op), 1e-5, "Lecture vs Forward");
        // The convolution with the same stride and padding takes every one of the S sizes back to H.
        Assert.Equal((h, w), ConvolutionOperation.OutputSize(oh, ow, k, k, p, s));
    }

    [Theory, MemberData(nameof(OutputPaddingShapes))]
    public void Output_padding_gradients_equal_finite_differences(int n, int cin, int h, int w, int cout, int k, int p, int s, int op)
    {
        var rng = new Random(h * 11 + w + s + op);
        var x = Random(rng, n, cin, h, w);
        var f = Random(rng, cin, cout, k, k);
        var (oh, ow) = TransposedConvolution.OutputSize(h, w, k, k, p, s, op);
        var dy = Random(rng, n, cout, oh, ow);
        double[] xd = D(x), fd = D(f), dyd = D(dy);
        Close(NumericalGradient(xd, t => ConvTranspose(t, n, cin, h, w, fd, cout, k, k, s, p, out _, out _, op), dyd),
              TransposedConvolution.BackwardInput(dy, f, x.Shape, s, p, op).ToArray(), 1e-5, "dX");
        Close(NumericalGradient(fd, t => ConvTranspose(xd, n, cin, h, w, t, cout, k, k, s, p, out _, out _, op), dyd),
              TransposedConvolution.BackwardFilter(dy, x, f.Shape, s, p, op).ToArray(), 1e-5, "dF");
    }

    [Fact]
    public void Lecture53_stride_2_with_output_padding_1_adds_a_zero_row_and_column()
    {
        // The dilated 5x5 gets one more row and column of zeros; the printed 4x4 is the top-left corner and the new
        // border holds only what the filter's top-left entry (1) meets: the 0s of the dilation and the border.
        var y = TransposedConvolution.Lecture(Image(LectureX), Image(LectureF), stride: 2, outputPadding: 1);
        Assert.Equal(new Shape(1, 1, 5, 5), y.Shape);
        Assert.Equal(new float[] { 1, 2, 2, 4, 0, -1, 1, -2, 2, 0, 3, 6, 4, 8, 0, -3, 3, -4, 4, 0, 0, 0, 0, 0, 0 }, y.ToArray());
    }

    [Fact]
    public void Output_padding_must_be_smaller_than_the_stride()
    {
        var e = Assert.Throws<ArgumentException>(() => TransposedConvolution.OutputSize(3, 3, 2, 2, 0, 2, 2));
        Assert.Contains("output padding must be in 0..S-1 = 0..1", e.Message);
        Assert.Throws<ArgumentException>(() => new CourseKit.Layers.ConvolutionTranspose(1, 1, 3, stride: 1, outputPadding: 1));
    }

    [Fact]
    public void Errors_name_the_operation_and_the_shapes()
    {
        var e = Assert.Throws<ArgumentException>(() => TransposedConvolution.Forward(Tensor.Zeros(2, 3, 4, 4), Tensor.Zeros(2, 1, 3, 3)));
        Assert.Equal("ConvTranspose2d: input has 3 channels but the filter expects 2 (input (2,3,4,4), filter (2,1,3,3))", e.Message);
        e = Assert.Throws<ArgumentException>(() => TransposedConvolution.OutputSize(1, 1, 2, 2, 1, 1));
        Assert.Contains("padding 1 crops everything", e.Message);
    }
}
