using CourseKit.Data;
using CourseKit.Detection;

namespace CourseKit.Tests.Detection;

public class DetectionDataTests
{
    [Fact]
    public void EveryShapeBoxIsTheBoundingBoxOfItsMaskAndTheMaskLiesInsideIt()
    {
        var data = Shapes.Generate(40, size: 48, seed: 1);
        AssertGeometry(data);
        Assert.All(data.Objects, o => Assert.InRange(o.Length, 1, 3));
        Assert.Equal([0, 1, 2], data.Objects.SelectMany(o => o).Select(o => o.Class).Distinct().Order());
    }

    [Fact]
    public void TheSameSeedGivesTheSameDataAndAnotherSeedOtherData()
    {
        var a = Shapes.Generate(5, seed: 7);
        var b = Shapes.Generate(5, seed: 7);
        var c = Shapes.Generate(5, seed: 8);
        Assert.Equal(a.Images.ToArray(), b.Images.ToArray());
        Assert.Equal(a.Objects.SelectMany(o => o), b.Objects.SelectMany(o => o));
        Assert.NotEqual(a.Images.ToArray(), c.Images.ToArray());
    }

    [Fact]
    public void ShapesArePaintedWhereTheirMasksAre()
    {
        // an object's pixels differ from the background around it: the mask's mean colour is far from the image's
        // corner colour for most objects (noise is 0.06)
        var data = Shapes.Generate(20, size: 48, seed: 2, noise: 0);
        var x = data.Images.ToArray();
        int pixels = 48 * 48;
        for (int n = 0; n < data.Count; n++)
            for (int o = 0; o < data.Objects[n].Length; o++)
            {
                var mask = data.Masks[n][o];
                var first = Array.IndexOf(mask, true);
                for (int p = 0; p < pixels; p++)
                    if (mask[p])
                        for (int c = 0; c < 3; c++) Assert.Equal(x[(n * 3 + c) * pixels + first], x[(n * 3 + c) * pixels + p]);  // one flat colour
            }
    }

    [Fact]
    public void SemanticLabelsAreBackgroundOrTheVisibleObjectsClass()
    {
        var data = Shapes.Generate(10, size: 32, seed: 3);
        var labels = data.SemanticLabels();
        Assert.Equal(10 * 32 * 32, labels.Length);
        for (int n = 0; n < data.Count; n++)
            for (int p = 0; p < 32 * 32; p++)
            {
                int owner = Array.FindIndex(data.Masks[n], m => m[p]);
                Assert.Equal(owner < 0 ? 0 : data.Objects[n][owner].Class + 1, labels[n * 1024 + p]);
                Assert.True(data.Masks[n].Count(m => m[p]) <= 1, "a pixel belongs to one visible object");
            }
    }

    [Fact]
    public void DigitsOnACanvasHaveTheSameGeometry()
    {
        var mnist = Mnist.LoadSample();
        var data = DigitCanvas.Generate(mnist.Test, 30, size: 64, seed: 4);
        Assert.Equal([30, 1, 64, 64], data.Images.Shape.ToArray());
        AssertGeometry(data);
        var again = DigitCanvas.Generate(mnist.Test, 30, size: 64, seed: 4);
        Assert.Equal(data.Images.ToArray(), again.Images.ToArray());
        Assert.True(data.Objects.SelectMany(o => o).Select(o => o.Class).Distinct().Count() >= 8);
    }

    [Fact]
    public void SliceKeepsImagesAndObjectsTogether()
    {
        var data = Shapes.Generate(6, size: 32, seed: 5);
        var part = data.Slice(2, 3);
        Assert.Equal(3, part.Count);
        Assert.Equal(data.Objects[3], part.Objects[1]);
        Assert.Equal(data.Images[3..4].ToArray(), part.Images[1..2].ToArray());
    }

    private static void AssertGeometry(DetectionDataset data)
    {
        for (int n = 0; n < data.Count; n++)
            for (int o = 0; o < data.Objects[n].Length; o++)
            {
                var mask = data.Masks[n][o];
                var box = data.Objects[n][o].Box;
                Assert.Equal(DetectionDataset.BoundingBox(mask, data.Width), box);
                for (int p = 0; p < mask.Length; p++)
                    if (mask[p])
                    {
                        int y = p / data.Width, x = p % data.Width;
                        Assert.True(x >= box.X1 && x + 1 <= box.X2 && y >= box.Y1 && y + 1 <= box.Y2);
                    }
                // the mask touches all four edges of its box (it is the bounding box, not a larger one)
                Assert.Contains(Enumerable.Range(0, mask.Length), p => mask[p] && p % data.Width == (int)box.X1);
                Assert.Contains(Enumerable.Range(0, mask.Length), p => mask[p] && p % data.Width == (int)box.X2 - 1);
                Assert.Contains(Enumerable.Range(0, mask.Length), p => mask[p] && p / data.Width == (int)box.Y1);
                Assert.Contains(Enumerable.Range(0, mask.Length), p => mask[p] && p / data.Width == (int)box.Y2 - 1);
            }
    }
}
