using CourseKit.Detection;
using CourseKit.Tests.Layers;
using CourseKit.Training;

namespace CourseKit.Tests.Detection;

public class RoiAlignTests
{
    [Fact]
    public void OnALinearFeatureMapEachBinIsTheValueAtItsCentre()
    {
        // Bilinear interpolation reproduces a linear function f(cell y, x) = 1 + 2x + 3y exactly (inside the map), and the
        // mean of samples placed symmetrically in a bin is f at the bin's centre. Cell (i, j) lies at image pixel
        // ((j + ½)·stride, (i + ½)·stride), so image point (u, v) is cell coordinate (u/stride − ½, v/stride − ½).
        const int H = 8, W = 10, stride = 4;
        var values = new float[H * W];
        for (int i = 0; i < H; i++) for (int j = 0; j < W; j++) values[i * W + j] = 1 + 2 * j + 3 * i;
        var box = new Box(5.2f, 3.6f, 30.4f, 25f);
        var align = new RoiAlign(3, 4, 1f / stride, samplingRatio: 2);
        var y = align.Forward(new Tensor([1, 1, H, W], values), [new RegionOfInterest(0, box)]).ToArray();
        for (int p = 0; p < 3; p++)
            for (int q = 0; q < 4; q++)
            {
                float u = box.X1 + (q + 0.5f) * box.Width / 4, v = box.Y1 + (p + 0.5f) * box.Height / 3;
                float expected = 1 + 2 * (u / stride - 0.5f) + 3 * (v / stride - 0.5f);
                Assert.Equal(expected, y[p * 4 + q], 3);
            }
    }

    [Fact]
    public void MatchesABilinearDefinitionWrittenHere()
    {
        var x = RandomTensor.Uniform([2, 3, 7, 9], seed: 4);
        RegionOfInterest[] regions = [new(1, new Box(-3, 2, 20, 13)), new(0, new Box(4.3f, 1.1f, 9.7f, 30)), new(1, new Box(10, 10, 11, 11))];
        var align = new RoiAlign(2, 3, 0.5f, samplingRatio: 3);
        var actual = align.Forward(x, regions).ToArray();
        var f = x.ToArray();
        int k = 0;
        foreach (var (image, box) in regions)
            for (int c = 0; c < 3; c++)
                for (int p = 0; p < 2; p++)
                    for (int q = 0; q < 3; q++)
                    {
                        double sum = 0;
                        for (int a = 0; a < 3; a++)
                            for (int b = 0; b < 3; b++)
                            {
                                // the sample's image position, then its cell coordinates
                                double v = box.Y1 + (p + (a + 0.5) / 3) * box.Height / 2, u = box.X1 + (q + (b + 0.5) / 3) * box.Width / 3;
                                sum += Bilinear(f, (image * 3 + c) * 63, 7, 9, v * 0.5 - 0.5, u * 0.5 - 0.5);
                            }
                        Assert.Equal(sum / 9, actual[k++], 4);
                    }
    }

    // The definition: zero outside [−1, size]; clamped to the border rows/columns between; else the weighted four cells.
    private static double Bilinear(float[] f, int offset, int h, int w, double y, double x)
    {
        if (y < -1 || y > h || x < -1 || x > w) return 0;
        y = Math.Clamp(y, 0, h - 1);
        x = Math.Clamp(x, 0, w - 1);
        int y0 = (int)Math.Floor(y), x0 = (int)Math.Floor(x), y1 = Math.Min(y0 + 1, h - 1), x1 = Math.Min(x0 + 1, w - 1);
        double ly = y - y0, lx = x - x0;
        double At(int i, int j) => f[offset + i * w + j];
        return (1 - ly) * (1 - lx) * At(y0, x0) + (1 - ly) * lx * At(y0, x1) + ly * (1 - lx) * At(y1, x0) + ly * lx * At(y1, x1);
    }

    [Fact]
    public void TheWholeMapAtOneSamplePerCellIsTheMapItself()
    {
        var x = RandomTensor.Uniform([1, 2, 5, 6], seed: 5);
        var y = new RoiAlign(5, 6, 0.5f, samplingRatio: 1).Forward(x, [new RegionOfInterest(0, new Box(0, 0, 12, 10))]);
        Assert.True(Tensor.AllClose(y, x, 1e-6, 1e-6));
    }

    [Fact]
    public void BackwardMatchesNumericalGradient()
    {
        var align = new RoiAlign(3, 2, 0.5f, samplingRatio: 2)
        {
            Regions = [new(0, new Box(1, 2, 9, 11)), new(1, new Box(-2, 0, 6, 4)), new(0, new Box(3.5f, 3, 7, 12.5f))],
        };
        var result = GradientCheck.Layer(align, RandomTensor.Uniform([2, 2, 6, 5], seed: 6), seed: 7);
        Assert.True(result.InputError < GradientBound.Float32, result.ToString());
    }
}
