using CourseKit.Detection;
using CourseKit.Training;

namespace CourseKit.Tests.Detection;

public class InstanceMaskTests
{
    [Fact]
    public void TargetSamplesTheMaskAtTheBinCentresOfTheBox()
    {
        // a 6×6 image whose mask is the left half of the box (2, 1)–(6, 5); a 2×2 grid over the box: left bins on, right off
        var mask = new bool[36];
        for (int y = 1; y < 5; y++) for (int x = 2; x < 4; x++) mask[y * 6 + x] = true;
        Assert.Equal([1f, 0f, 1f, 0f], InstanceMasks.Target(mask, 6, new Box(2, 1, 6, 5), 2));
    }

    [Fact]
    public void PastingTheTargetBackGivesTheMaskForAGridAsFineAsThePixels()
    {
        var data = Shapes.Generate(10, size: 32, seed: 3);
        for (int n = 0; n < data.Count; n++)
            for (int o = 0; o < data.Objects[n].Length; o++)
            {
                var box = data.Objects[n][o].Box;  // whole pixels: a grid of box-width bins samples every pixel once
                int m = (int)box.Width;
                if (box.Height != box.Width) continue;
                var target = InstanceMasks.Target(data.Masks[n][o], 32, box, m);
                var pasted = InstanceMasks.Paste(target, m, box, 32, 32);
                Assert.Equal(1f, InstanceMasks.Iou(pasted, data.Masks[n][o]));
            }
    }

    [Fact]
    public void MaskIouCountsPixels()
    {
        bool[] a = [true, true, false, false], b = [false, true, true, false];
        Assert.Equal(1f / 3, InstanceMasks.Iou(a, b), 6);
    }
}

public class MaskHeadTests
{
    [Fact]
    public void GradientsReachTheBackboneThroughRoiAlign()
    {
        var head = new MaskHead(3, width: 2, maskSize: 4, seed: 1);
        var images = Layers.RandomTensor.Uniform([2, 3, 8, 8], seed: 2);
        RegionOfInterest[] regions = [new(0, new Box(1, 1, 7, 6)), new(1, new Box(0.5f, 2, 8, 8))];
        var r = Layers.RandomTensor.Uniform([2, 1, 4, 4], seed: 3);
        var rHost = r.ToArray();
        double E() => head.Forward(images, regions).ToArray().Select((v, i) => (double)v * rHost[i]).Sum();
        head.Forward(images, regions, training: true);
        head.Backward(r);
        var first = head.Backbone.Parameters[0];
        var analytic = first.Grad.ToArray();
        Assert.Contains(analytic, v => v != 0);
        double error = GradientCheck.Compare(analytic, GradientCheck.Numerical(first.Value, E, 1e-3f));
        Assert.True(error < 5e-3, $"relative error {error}");
    }
}
