using CourseKit.Operations;
using static CourseKit.Tests.Operations.OperationsReference;

namespace CourseKit.Tests.Operations;

/// <summary><see cref="Im2Col.Columns(Tensor, Backends.ConvolutionGeometry, Tensor?)"/> writes into a matrix of the right shape.</summary>
public sealed class Im2ColReuseTests
{
    [Fact]
    public void Matrix_of_the_right_shape_is_overwritten_with_the_new_columns()
    {
        var rng = new Random(31);
        var g = ConvolutionOperation.Geometry(new Shape(2, 3, 6, 5), new Shape(4, 3, 3, 2), stride: 1, pad: 1);
        var old = Im2Col.Columns(Random(rng, 2, 3, 6, 5), g);
        var x = Random(rng, 2, 3, 6, 5);
        var col = Im2Col.Columns(x, g, reuse: old);
        Assert.Same(old, col);
        Assert.Equal(Im2Col.Columns(x, g).ToArray(), col.ToArray());
    }

    [Fact]
    public void Matrix_of_another_shape_is_left_alone()
    {
        var rng = new Random(32);
        var g = ConvolutionOperation.Geometry(new Shape(2, 3, 6, 5), new Shape(4, 3, 3, 2), stride: 1, pad: 1);
        var other = Tensor.Full([g.PatchLength, g.Positions - 1], 7f);
        var x = Random(rng, 2, 3, 6, 5);
        var col = Im2Col.Columns(x, g, reuse: other);
        Assert.NotSame(other, col);
        Assert.Equal(Im2Col.Columns(x, g).ToArray(), col.ToArray());
        Assert.All(other.ToArray(), v => Assert.Equal(7f, v));
    }
}
