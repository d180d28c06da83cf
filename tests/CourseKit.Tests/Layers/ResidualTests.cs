using CourseKit.Layers;
using CourseKit.Training;

namespace CourseKit.Tests.Layers;

public class ResidualTests
{
    private const double Bound = GradientBound.Float32;

    [Fact]
    public void AddPassesTheGradientUnchangedToBothInputs()
    {
        var add = new Add();
        var z = add.Forward(new float[] { 1, 2 }, new float[] { 10, 20 });
        Assert.Equal([11f, 22f], z.ToArray());
        var (dx, dy) = add.Backward(new float[] { 3, 4 });
        Assert.Equal([3f, 4f], dx.ToArray());
        Assert.Equal([3f, 4f], dy.ToArray());
    }

    [Fact]
    public void ResidualBlockBackwardMatchesNumericalGradient()
    {
        var block = new Residual(new Sequential(new Convolution(2, 2, 3, pad: 1, seed: 1), new Tanh(), new Convolution(2, 2, 3, pad: 1, seed: 2)));
        var result = GradientCheck.Layer(block, RandomTensor.Uniform([2, 2, 4, 4], seed: 3), seed: 4);
        Assert.True(result.MaxError < Bound, result.ToString());
        Assert.Equal(4, result.ParameterErrors.Count);
    }

    [Fact]
    public void ResidualBlockWithProjectionShortcutMatchesNumericalGradient()
    {
        var block = new Residual(new Sequential(new Convolution(2, 3, 3, stride: 2, pad: 1, seed: 5), new Sigmoid()),
                                 shortcut: new Convolution(2, 3, 1, stride: 2, seed: 6));
        var result = GradientCheck.Layer(block, RandomTensor.Uniform([2, 2, 5, 5], seed: 7), seed: 8);
        Assert.True(result.MaxError < Bound, result.ToString());
    }

    [Fact]
    public void TheBranchSumsTheGradientsOfItsTwoConsumers()
    {
        // lecture 4.2: x feeds the body and the identity, so ∂E/∂x = body's ∂E/∂x + dout.
        var body = new Affine(3, 3, seed: 9);
        var block = new Residual(body);
        var x = RandomTensor.Uniform([2, 3], seed: 10);
        var dout = RandomTensor.Uniform([2, 3], seed: 11);
        block.Forward(x);
        var dx = block.Backward(dout).ToArray();
        var reference = new Affine(3, 3, seed: 9);
        reference.Forward(x);
        var bodyDx = reference.Backward(dout).ToArray();
        var d = dout.ToArray();
        for (int i = 0; i < dx.Length; i++) Assert.Equal(bodyDx[i] + d[i], dx[i], 5);
    }

    [Fact]
    public void ConcatJoinsChannelsAndSplitsTheGradientBack()
    {
        var a = RandomTensor.Uniform([2, 1, 2, 3], seed: 12);
        var b = RandomTensor.Uniform([2, 2, 2, 3], seed: 13);
        var concat = new Concat();
        var y = concat.Forward(a, b);
        Assert.Equal(new Shape(2, 3, 2, 3), y.Shape);
        var ys = y.ToArray();
        Assert.Equal(a.ToArray()[..6], ys[..6]);           // sample 0: a's channel, then b's two channels
        Assert.Equal(b.ToArray()[..12], ys[6..18]);
        Assert.Equal(a.ToArray()[6..], ys[18..24]);
        var (da, db) = concat.Backward(y);
        Assert.Equal(a.ToArray(), da.ToArray());
        Assert.Equal(b.ToArray(), db.ToArray());
    }

    /// <summary>A U-Net style skip: y = concat(conv(x), x); x feeds both, so dx = conv's dx + concat's second part.</summary>
    private sealed class ConcatSkip(Convolution body) : Layer
    {
        private readonly Concat join = new();
        public override IReadOnlyList<Parameter> Parameters => body.Parameters;
        public override Tensor Forward(Tensor x, bool training = false) => join.Forward(body.Forward(x, training), x);
        public override Tensor Backward(Tensor dout)
        {
            var (dBody, dSkip) = join.Backward(dout);
            return body.Backward(dBody) + dSkip;
        }
    }

    [Fact]
    public void ConcatSkipJoinBackwardMatchesNumericalGradient()
    {
        var result = GradientCheck.Layer(new ConcatSkip(new Convolution(2, 3, 3, pad: 1, seed: 14)), RandomTensor.Uniform([2, 2, 4, 5], seed: 15), seed: 16);
        Assert.True(result.MaxError < Bound, result.ToString());
    }

    [Fact]
    public void ConcatRefusesMismatchedSpatialSizes()
    {
        var e = Assert.Throws<ArgumentException>(() => new Concat().Forward(Tensor.Zeros(1, 2, 4, 4), Tensor.Zeros(1, 2, 3, 4)));
        Assert.Contains("(1, 2, 4, 4)", e.Message);
        Assert.Contains("(1, 2, 3, 4)", e.Message);
    }
}
