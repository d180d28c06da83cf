using CourseKit.Operations;
using static CourseKit.Tests.Operations.OperationsReference;

namespace CourseKit.Tests.Operations;

/// <summary>
/// lecture 2.1: the convolution's gradients against central finite differences of L = Σ dY ⊙ Y, where Y is the
/// lecture's definition evaluated in double precision (independent of the library).
/// </summary>
public class ConvolutionGradientTests
{
    public static TheoryData<int, int, int, int, int, int, int, int, int> Shapes => new()
    {
        { 1, 1, 4, 4, 1, 2, 2, 0, 1 }, // the lecture's 4x4 ⊛ 2x2 example
        { 2, 3, 5, 5, 4, 3, 3, 1, 1 },
        { 2, 2, 7, 6, 3, 3, 2, 1, 2 },
        { 1, 2, 5, 7, 2, 1, 1, 0, 3 },  // 1x1 filter, stride larger than the filter
        { 3, 1, 6, 6, 2, 4, 4, 2, 2 },
    };

    [Theory, MemberData(nameof(Shapes))]
    public void Input_filter_and_bias_gradients_equal_finite_differences(int n, int c, int h, int w, int oc, int fh, int fw, int p, int s)
    {
        var rng = new Random(31 * h + w + 7 * c + s);
        var x = Random(rng, n, c, h, w);
        var f = Random(rng, oc, c, fh, fw);
        var b = Random(rng, oc);
        var (oh, ow) = ConvolutionOperation.OutputSize(h, w, fh, fw, p, s);
        var dy = Random(rng, n, oc, oh, ow);
        double[] xd = D(x), fd = D(f), bd = D(b), dyd = D(dy);

        var dx = ConvolutionOperation.BackwardInput(dy, f, x.Shape, s, p);
        var df = ConvolutionOperation.BackwardFilter(dy, x, f.Shape, s, p);
        var db = ConvolutionOperation.BackwardBias(dy);

        Assert.Equal(x.Shape, dx.Shape);
        Assert.Equal(f.Shape, df.Shape);
        Assert.Equal(b.Shape, db.Shape);
        Close(NumericalGradient(xd, t => OperationsReference.Conv(t, n, c, h, w, fd, oc, fh, fw, bd, s, p, out _, out _), dyd), dx.ToArray(), 1e-5, "dX");
        Close(NumericalGradient(fd, t => OperationsReference.Conv(xd, n, c, h, w, t, oc, fh, fw, bd, s, p, out _, out _), dyd), df.ToArray(), 1e-5, "dF");
        Close(NumericalGradient(bd, t => OperationsReference.Conv(xd, n, c, h, w, fd, oc, fh, fw, t, s, p, out _, out _), dyd), db.ToArray(), 1e-5, "db");
    }

    [Fact]
    public void Lecture21_dx11_collects_dy_times_the_filter_weight_that_met_x11()
    {
        // lecture 2.1: ∂E/∂x11 = dy00·f11 + dy01·f10 + dy10·f01 + dy11·f00 for a 4x4 input and a 2x2 filter.
        Tensor f = new float[,] { { 2, 3 }, { 5, 7 } };
        Tensor dy = new float[,] { { 1, 10, 100 }, { 1000, 10000, 100000 }, { 0, 0, 0 } };
        var dx = ConvolutionOperation.BackwardInput(dy.Reshape(1, 1, 3, 3), f.Reshape(1, 1, 2, 2), new Shape(1, 1, 4, 4));
        Assert.Equal(1 * 7 + 10 * 5 + 1000 * 3 + 10000 * 2, dx.ToArray()[1 * 4 + 1]);
        Assert.Equal(1 * 2, dx.ToArray()[0]); // dx00 = dy00·f00 only
    }

    [Fact]
    public void Lecture21_dF_is_dY_dotted_with_each_block_of_X_hat()
    {
        // lecture 2.1: ∂E/∂f[fh, fw] = Σ_oh,ow dY[oh, ow] · X-hat[fh, fw, oh, ow] (4x4 input, 2x2 filter, 3x3 output).
        var rng = new Random(21);
        var x = Random(rng, 1, 1, 4, 4);
        var dy = Random(rng, 1, 1, 3, 3);
        var xHat = Im2Col.XHat(x, 2, 2).ToArray(); // (1, 1, 2, 2, 3, 3)
        double[] dyd = D(dy);
        var expected = Enumerable.Range(0, 4).Select(k => Dot(dyd, xHat.Skip(k * 9).Take(9).Select(v => (double)v).ToArray())).ToArray();
        Close(expected, ConvolutionOperation.BackwardFilter(dy, x, new Shape(1, 1, 2, 2)).ToArray(), 1e-6, "dF");
    }

    [Fact]
    public void Filter_gradient_from_the_forward_columns_equals_the_one_from_the_image()
    {
        var rng = new Random(11);
        var x = Random(rng, 3, 2, 7, 6);
        var f = Random(rng, 5, 2, 3, 3);
        var g = ConvolutionOperation.Geometry(x.Shape, f.Shape, stride: 2, pad: 1);
        var dy = Random(rng, 3, 5, g.OH, g.OW);
        var col = Im2Col.Columns(x, g);
        Assert.Equal(ConvolutionOperation.BackwardFilter(dy, x, f.Shape, 2, 1).ToArray(), ConvolutionOperation.BackwardFilter(dy, col, g).ToArray());
        Assert.Equal(ConvolutionOperation.BackwardInput(dy, f, x.Shape, 2, 1).ToArray(), ConvolutionOperation.BackwardInput(dy, f, g).ToArray());
    }
}
