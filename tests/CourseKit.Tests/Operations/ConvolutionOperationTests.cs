using CourseKit.Operations;
using static CourseKit.Tests.Operations.OperationsReference;

namespace CourseKit.Tests.Operations;

public class ConvolutionOperationTests
{
    private static readonly float[,] LectureX = { { 1, 2, 3, 4 }, { 5, 6, 7, 8 }, { 9, 10, 11, 12 }, { 13, 14, 15, 16 } };
    private static readonly float[,] LectureF = { { 1, 1, 1 }, { 2, 0, 1 }, { -1, -1, 0 } };

    // lecture 1.2: the padded 4x4 image with an extra row and column of ones, convolved with stride 2.
    private static readonly float[,] LectureX7 =
    {
        { 0, 0, 0, 0, 0, 0, 1 },
        { 0, 1, 2, 3, 4, 0, 1 },
        { 0, 5, 6, 7, 8, 0, 1 },
        { 0, 9, 10, 11, 12, 0, 1 },
        { 0, 13, 14, 15, 16, 0, 1 },
        { 0, 0, 0, 0, 0, 0, 1 },
        { 1, 1, 1, 1, 1, 1, 1 },
    };

    public static TheoryData<string> Paths => new() { "Naive", "Forward" };

    private static Tensor Conv(string path, Tensor x, Tensor f, Tensor? b = null, int stride = 1, int pad = 0) =>
        path == "Naive" ? ConvolutionOperation.Naive(x, f, b, stride, pad) : ConvolutionOperation.Forward(x, f, b, stride, pad);

    [Theory, MemberData(nameof(Paths))]
    public void Lecture11_4x4_with_3x3_filter_gives_4_8_20_24(string path)
    {
        var y = Conv(path, Image(LectureX), Image(LectureF));
        Assert.Equal(new Shape(1, 1, 2, 2), y.Shape);
        Assert.Equal(new float[] { 4, 8, 20, 24 }, y.ToArray());
    }

    [Theory, MemberData(nameof(Paths))]
    public void Lecture12_bias_3_is_added_to_every_output(string path)
    {
        var y = Conv(path, Image(LectureX), Image(LectureF), new float[] { 3 });
        Assert.Equal(new float[] { 7, 11, 23, 27 }, y.ToArray());
    }

    [Theory, MemberData(nameof(Paths))]
    public void Lecture12_padding_1_keeps_the_4x4_size(string path)
    {
        var y = Conv(path, Image(LectureX), Image(LectureF), pad: 1);
        Assert.Equal(new Shape(1, 1, 4, 4), y.Shape);
        Assert.Equal(new float[] { -3, -6, -5, -9, 0, 4, 8, -2, 8, 20, 24, 6, 33, 71, 77, 53 }, y.ToArray());
    }

    [Theory, MemberData(nameof(Paths))]
    public void Lecture12_stride_2_on_the_7x7_array_gives_3x3(string path)
    {
        var y = Conv(path, Image(LectureX7), Image(LectureF), stride: 2);
        Assert.Equal(new Shape(1, 1, 3, 3), y.Shape);
        Assert.Equal(new float[] { -3, -5, 2, 8, 24, 18, 25, 43, 16 }, y.ToArray());
    }

    [Theory]
    [InlineData(4, 4, 3, 3, 0, 1, 2, 2)]
    [InlineData(4, 4, 3, 3, 1, 1, 4, 4)]
    [InlineData(7, 7, 3, 3, 0, 2, 3, 3)]
    [InlineData(28, 28, 5, 5, 0, 1, 24, 24)]
    [InlineData(6, 5, 3, 2, 1, 2, 3, 3)] // (6 + 2 - 3) // 2 + 1 = 3, (5 + 2 - 2) // 2 + 1 = 3: the fraction is truncated
    [InlineData(5, 8, 1, 1, 0, 3, 2, 3)]
    public void OutputSize_follows_the_lecture_formula_with_floor_division(int h, int w, int fh, int fw, int p, int s, int oh, int ow)
    {
        Assert.Equal((oh, ow), ConvolutionOperation.OutputSize(h, w, fh, fw, p, s));
    }

    [Fact]
    public void OutputSize_names_the_numbers_when_the_filter_does_not_fit()
    {
        var e = Assert.Throws<ArgumentException>(() => ConvolutionOperation.OutputSize(2, 4, 3, 3, 0, 1));
        Assert.Contains("Conv2d", e.Message);
        Assert.Contains("3x3 filter does not fit a 2x4 input", e.Message);
    }

    [Fact]
    public void Channel_mismatch_is_reported_with_both_shapes()
    {
        var x = Tensor.Zeros(2, 3, 5, 5);
        var f = Tensor.Zeros(4, 1, 3, 3);
        var e = Assert.Throws<ArgumentException>(() => ConvolutionOperation.Forward(x, f));
        Assert.Equal("Conv2d: input has 3 channels but the filter expects 1 (input (2,3,5,5), filter (4,1,3,3))", e.Message);
        Assert.Equal(e.Message, Assert.Throws<ArgumentException>(() => ConvolutionOperation.Naive(x, f)).Message);
    }

    [Fact]
    public void Wrong_rank_is_reported_with_the_axes_expected()
    {
        var e = Assert.Throws<ArgumentException>(() => ConvolutionOperation.Forward(Tensor.Zeros(5, 5), Tensor.Zeros(1, 1, 3, 3)));
        Assert.Equal("Conv2d: the input must have 4 axes (N, C, H, W) but has 2 (shape (5,5)).", e.Message);
        e = Assert.Throws<ArgumentException>(() => ConvolutionOperation.Forward(Tensor.Zeros(1, 1, 5, 5), Tensor.Zeros(3, 3)));
        Assert.Contains("the filter must have 4 axes (OC, C, FH, FW)", e.Message);
    }

    [Fact]
    public void Bias_of_the_wrong_length_is_reported()
    {
        var e = Assert.Throws<ArgumentException>(() => ConvolutionOperation.Forward(Tensor.Zeros(1, 1, 5, 5), Tensor.Zeros(4, 1, 3, 3), Tensor.Zeros(3)));
        Assert.Equal("Conv2d: the bias has shape (3,) but needs one value per output channel, shape (4,) (filter (4,1,3,3)).", e.Message);
    }

    [Fact]
    public void Output_gradient_of_the_wrong_shape_is_reported()
    {
        var e = Assert.Throws<ArgumentException>(() =>
            ConvolutionOperation.BackwardInput(Tensor.Zeros(2, 4, 3, 3), Tensor.Zeros(4, 1, 3, 3), new Shape(2, 1, 6, 6)));
        Assert.Contains("the output gradient has shape (2,4,3,3) but", e.Message);
        Assert.Contains("needs (2,4,4,4)", e.Message);
    }

    // (N, C, H, W, OC, FH, FW, P, S): 1x1 filters, non-square inputs and filters, stride larger than the filter, padding.
    public static TheoryData<int, int, int, int, int, int, int, int, int> Shapes => new()
    {
        { 1, 1, 4, 4, 1, 3, 3, 0, 1 },
        { 2, 3, 5, 5, 4, 3, 3, 1, 1 },
        { 3, 2, 7, 5, 3, 1, 1, 0, 1 },
        { 2, 2, 6, 9, 2, 2, 3, 0, 2 },
        { 1, 3, 8, 8, 2, 2, 2, 0, 3 },
        { 2, 1, 9, 7, 5, 3, 2, 2, 2 },
        { 1, 4, 5, 6, 3, 5, 5, 2, 1 },
        { 4, 2, 3, 3, 1, 3, 3, 0, 1 },
        { 2, 3, 10, 11, 6, 4, 4, 1, 3 },
        { 1, 1, 1, 1, 2, 1, 1, 0, 1 },
        { 3, 5, 13, 10, 7, 3, 3, 1, 2 },
    };

    [Theory, MemberData(nameof(Shapes))]
    public void Im2col_and_gemm_forward_equals_the_naive_definition(int n, int c, int h, int w, int oc, int fh, int fw, int p, int s)
    {
        var rng = new Random(n * 1000 + c * 100 + h * 10 + w);
        var x = Random(rng, n, c, h, w);
        var f = Random(rng, oc, c, fh, fw);
        var b = Random(rng, oc);
        var y = ConvolutionOperation.Forward(x, f, b, s, p);
        Close(ConvolutionOperation.Naive(x, f, b, s, p), y, 1e-5, "Forward vs Naive");
        // and the naive oracle itself against the definition in double
        var expected = OperationsReference.Conv(D(x), n, c, h, w, D(f), oc, fh, fw, D(b), s, p, out int oh, out int ow);
        Assert.Equal(new Shape(n, oc, oh, ow), y.Shape);
        Close(expected, y.ToArray(), 1e-5, "Forward vs double definition");
    }

    [Fact]
    public void Forward_from_precomputed_columns_equals_forward_from_the_image()
    {
        var rng = new Random(7);
        var x = Random(rng, 2, 3, 6, 5);
        var f = Random(rng, 4, 3, 3, 3);
        var g = ConvolutionOperation.Geometry(x.Shape, f.Shape, stride: 2, pad: 1);
        var col = Im2Col.Columns(x, g);
        Assert.Equal(ConvolutionOperation.Forward(x, f, null, 2, 1).ToArray(), ConvolutionOperation.Forward(col, g, f).ToArray());
    }

    [Fact]
    public void Forward_into_an_existing_tensor_overwrites_all_of_it()
    {
        var rng = new Random(8);
        var x = Random(rng, 2, 3, 6, 5);
        var f = Random(rng, 4, 3, 3, 3);
        var b = Random(rng, 4);
        var g = ConvolutionOperation.Geometry(x.Shape, f.Shape, stride: 1, pad: 1);
        var col = Im2Col.Columns(x, g);
        foreach (var bias in new[] { b, null })
        {
            var into = Tensor.Full([2, 4, 6, 5], float.NaN);
            var y = ConvolutionOperation.Forward(col, g, f, bias, into);
            Assert.Same(into, y);
            Assert.Equal(ConvolutionOperation.Forward(col, g, f, bias).ToArray(), y.ToArray());
        }
        var e = Assert.Throws<ArgumentException>(() => ConvolutionOperation.Forward(col, g, f, b, Tensor.Zeros(2, 4, 5, 5)));
        Assert.Contains("(2,4,5,5)", e.Message);
        Assert.Contains("(2,4,6,5)", e.Message);
    }
}
