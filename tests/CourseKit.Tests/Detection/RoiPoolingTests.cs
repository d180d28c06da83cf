using CourseKit.Detection;
using CourseKit.Layers;
using CourseKit.Tests.Layers;
using CourseKit.Training;

namespace CourseKit.Tests.Detection;

public class RoiPoolingTests
{
    [Fact]
    public void HandWorkedRegion()
    {
        // 4×4 map 0..15; the region (image pixels 0..16 at stride 4, i.e. scale ¼) (4, 0)–(16, 8) covers cells
        // columns 1..3, rows 0..1. Into 1×2 bins: columns [1, 3) and [2, 4) (⌊0·3/2⌋..⌈3/2⌉, ⌊3/2⌋..⌈6/2⌉), both rows.
        var x = Tensor.Arange(16).Reshape(1, 1, 4, 4);
        var pool = new RoiPooling(1, 2, 0.25f);
        var y = pool.Forward(x, [new RegionOfInterest(0, new Box(4, 0, 16, 8))]);
        Assert.Equal([1, 1, 1, 2], y.Shape.ToArray());
        Assert.Equal([6f, 7f], y.ToArray());
    }

    [Fact]
    public void TheWholeMapInto2x2BinsIsMaxPooling()
    {
        var x = RandomTensor.Uniform([2, 3, 6, 8], seed: 1);
        var pool = new RoiPooling(3, 4, 1f);
        var y = pool.Forward(x, [new RegionOfInterest(1, new Box(0, 0, 8, 6)), new RegionOfInterest(0, new Box(0, 0, 8, 6))]);
        var reference = new MaxPooling(2).Forward(x).ToArray();
        int per = 3 * 3 * 4;
        Assert.Equal(reference.AsSpan(per, per).ToArray(), y.ToArray().AsSpan(0, per).ToArray());
        Assert.Equal(reference.AsSpan(0, per).ToArray(), y.ToArray().AsSpan(per, per).ToArray());
    }

    [Fact]
    public void BackwardMatchesNumericalGradient()
    {
        var pool = new RoiPooling(2, 2, 0.5f)
        {
            Regions = [new(0, new Box(1, 2, 9, 11)), new(1, new Box(0, 0, 6, 4)), new(0, new Box(3, 3, 7, 12))],  // overlapping on image 0
        };
        var result = GradientCheck.Layer(pool, RandomTensor.Distinct([2, 2, 6, 5], seed: 2), seed: 3, h: 1e-3f);
        Assert.True(result.InputError < GradientBound.Float32, result.ToString());
    }

    [Fact]
    public void ARegionOnAMissingImageIsExplained()
    {
        var e = Assert.Throws<ArgumentException>(() => new RoiPooling(2, 2, 1).Forward(Tensor.Zeros(1, 1, 4, 4), [new RegionOfInterest(3, new Box(0, 0, 2, 2))]));
        Assert.Contains("image 3", e.Message);
    }
}
