using CourseKit.Operations;
using static CourseKit.Tests.Operations.OperationsReference;

namespace CourseKit.Tests.Operations;

/// <summary>
/// The im2col path computes image by image (one batched GEMM, no transposes of Y or dY). Here its three products
/// are compared with the lecture's matrix formulas evaluated in double on the whole column matrix:
/// Y = F · col + b, dF = dY_mat · col^T and dcol = F^T · dY_mat, with dY_mat (OC, N·OH·OW).
/// Sizes include one image, odd sizes, images large enough that each GEMM gets all cores, and a batch whose
/// column matrix is too large for the cache, which the paths from X (the ones the layer uses) cut into runs of images.
/// </summary>
public sealed class ConvolutionBatchedGemmTests
{
    [Theory]
    [InlineData(1, 1, 5, 5, 1, 3, 3, 0, 1)]
    [InlineData(1, 3, 7, 6, 4, 3, 2, 1, 2)]
    [InlineData(5, 2, 9, 7, 3, 3, 3, 1, 1)]
    [InlineData(7, 1, 12, 12, 30, 5, 5, 0, 1)] // the MNIST layer's shape on small images: many small GEMMs side by side
    [InlineData(2, 32, 16, 16, 32, 3, 3, 1, 1)] // 32·256·288 multiply-adds per image: one GEMM after another
    [InlineData(5, 16, 54, 54, 3, 3, 3, 1, 1)] // columns of 420k floats per image: the paths from X take runs of 4 and 1 images
    public void Forward_and_backward_equal_the_whole_matrix_formulas(int n, int c, int h, int w, int oc, int fh, int fw, int p, int s)
    {
        var rng = new Random(n * 1000 + c * 100 + oc);
        var x = Random(rng, n, c, h, w);
        var f = Random(rng, oc, c, fh, fw);
        var b = Random(rng, oc);
        var g = ConvolutionOperation.Geometry(x.Shape, f.Shape, s, p);
        var dy = Random(rng, n, oc, g.OH, g.OW);
        var col = Im2Col.Columns(x, g);
        int k = g.PatchLength, pos = g.OH * g.OW, np = g.Positions;
        double[] cols = D(col), fs = D(f), bs = D(b), dys = D(dy);

        var y = new double[n * oc * pos];
        var df = new double[oc * k];
        var dcol = new double[k * np];
        for (int img = 0; img < n; img++)
            for (int o = 0; o < oc; o++)
                for (int q = 0; q < pos; q++)
                {
                    int column = img * pos + q; // column of col and of dY_mat
                    double dyValue = dys[(img * oc + o) * pos + q], sum = bs[o];
                    for (int r = 0; r < k; r++)
                    {
                        sum += fs[o * k + r] * cols[r * np + column];
                        df[o * k + r] += dyValue * cols[r * np + column];
                        dcol[r * np + column] += fs[o * k + r] * dyValue;
                    }
                    y[(img * oc + o) * pos + q] = sum;
                }

        double tolerance = 1e-5 * Math.Sqrt(k * n);
        Close(y, ConvolutionOperation.Forward(col, g, f, b).ToArray(), tolerance, "Y from col");
        Close(y, ConvolutionOperation.Forward(x, f, b, s, p).ToArray(), tolerance, "Y from X");
        Close(df, ConvolutionOperation.BackwardFilter(dy, col, g).ToArray(), tolerance, "dF from col");
        Close(df, ConvolutionOperation.BackwardFilter(dy, x, f.Shape, s, p).ToArray(), tolerance, "dF from X");
        var expectedDx = Im2Col.Col2Im(new Tensor([k, np], dcol.Select(v => (float)v).ToArray()), g);
        Close(expectedDx, ConvolutionOperation.BackwardInput(dy, f, g), tolerance, "dX");
    }

    [Theory]
    [InlineData(4, 2, 9, 9)]    // columns that fit in the cache: the whole matrix is a reused scratch matrix
    [InlineData(5, 16, 54, 54)] // runs of images: the run's columns and images are reused scratch matrices
    public void Calls_one_after_another_do_not_see_each_others_scratch_columns(int n, int c, int h, int w)
    {
        var rng = new Random(n + c);
        var f = Random(rng, 3, c, 3, 3);
        var g = ConvolutionOperation.Geometry(new Shape(n, c, h, w), f.Shape, 1, 1);
        var dy = Random(rng, n, 3, g.OH, g.OW);
        foreach (var x in new[] { Random(rng, n, c, h, w), Random(rng, n, c, h, w) })
        {
            var col = Im2Col.Columns(x, g); // a fresh matrix: the reference
            // (runs of images add the filter gradient up in another order, hence a tolerance; stale columns are off by O(1))
            Close(ConvolutionOperation.Forward(col, g, f), ConvolutionOperation.Forward(x, f, null, 1, 1), 1e-5, "Y");
            Close(ConvolutionOperation.BackwardFilter(dy, col, g), ConvolutionOperation.BackwardFilter(dy, x, f.Shape, 1, 1), 1e-5, "dF");
            // and dX twice: its scratch dcol must be overwritten, not added to
            Assert.Equal(ConvolutionOperation.BackwardInput(dy, f, g).ToArray(), ConvolutionOperation.BackwardInput(dy, f, g).ToArray());
        }
    }

    [Fact]
    public void Forward_without_bias_starts_from_zero_even_in_reused_memory()
    {
        var rng = new Random(4);
        var x = Random(rng, 3, 2, 6, 6);
        var f = Random(rng, 4, 2, 3, 3);
        var withZeroBias = ConvolutionOperation.Forward(x, f, Tensor.Zeros(4));
        for (int i = 0; i < 3; i++)
            Assert.Equal(withZeroBias.ToArray(), ConvolutionOperation.Forward(x, f).ToArray());
    }
}
