using CourseKit.Layers;
using CourseKit.Operations;
using CourseKit.Training;

namespace CourseKit.Tests.Layers;

/// <summary>
/// A convolution layer whose column matrix does not fit in the cache keeps X instead and lets the operation make
/// the columns again a few images at a time; its forward and gradients must be those of the whole-batch column path.
/// </summary>
public sealed class ConvolutionLargeInputTests
{
    [Fact]
    public void Layer_without_kept_columns_gives_the_whole_batch_results()
    {
        // 5 images of 16 channels, 54x54, 3x3 filters with padding 1: 420k column entries per image, too many to keep
        var x = RandomTensor.Uniform([5, 16, 54, 54], seed: 21);
        var conv = new Convolution(16, 3, 3, stride: 1, pad: 1, seed: 22);
        RandomTensor.Uniform(conv.B.Shape, seed: 23).Storage.CopyTo(conv.B.Value.AsSpan());
        var g = ConvolutionOperation.Geometry(x.Shape, conv.W.Shape, 1, 1);
        Assert.False(ConvolutionOperation.ColumnsFitInCache(g));

        var y = conv.Forward(x, training: true);
        var dy = RandomTensor.Uniform(y.Shape, seed: 24);
        var dx = conv.Backward(dy);

        var col = Im2Col.Columns(x, g);
        AssertClose(ConvolutionOperation.Forward(col, g, conv.W.Value, conv.B.Value), y, "Y");
        AssertClose(ConvolutionOperation.BackwardFilter(dy, col, g), conv.W.Grad!, "dF");
        AssertClose(ConvolutionOperation.BackwardBias(dy), conv.B.Grad!, "db");
        AssertClose(Im2Col.Col2Im(ColumnGradient(conv.W.Value, dy, g), g), dx, "dX");
    }

    // dcol = F^T · dY_mat in plain loops (lecture 2.1: dX-tilde transposed)
    private static Tensor ColumnGradient(Tensor f, Tensor dy, CourseKit.Backends.ConvolutionGeometry g)
    {
        int oc = f.Shape[0], k = g.PatchLength, p = g.OH * g.OW, np = g.Positions;
        float[] fs = f.ToArray(), dys = dy.ToArray();
        var dcol = new float[k * np];
        for (int n = 0; n < g.N; n++)
            for (int o = 0; o < oc; o++)
                for (int r = 0; r < k; r++)
                {
                    float w = fs[o * k + r];
                    for (int q = 0; q < p; q++) dcol[r * np + n * p + q] += w * dys[(n * oc + o) * p + q];
                }
        return new Tensor([k, np], dcol);
    }

    private static void AssertClose(Tensor expected, Tensor actual, string what)
    {
        Assert.Equal(expected.Shape, actual.Shape);
        float[] e = expected.ToArray(), a = actual.ToArray();
        double scale = Math.Max(1, e.Max(Math.Abs));
        for (int i = 0; i < e.Length; i++)
            Assert.True(Math.Abs(e[i] - a[i]) <= 1e-4 * scale, $"{what}[{i}]: expected {e[i]}, got {a[i]}");
    }
}
