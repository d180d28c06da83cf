using CourseKit.Detection;

namespace CourseKit.Tests.Detection;

public class IntersectionOverUnionTests
{
    [Fact]
    public void HandWorkedOverlap()
    {
        // (0,0)–(4,4) and (2,2)–(6,6): intersection 2·2 = 4, union 16 + 16 − 4 = 28.
        Assert.Equal(4f / 28f, IntersectionOverUnion.Of(new Box(0, 0, 4, 4), new Box(2, 2, 6, 6)), 6);
        // a box inside another: 4 / 16
        Assert.Equal(0.25f, IntersectionOverUnion.Of(new Box(0, 0, 4, 4), new Box(1, 1, 3, 3)), 6);
        Assert.Equal(1f, IntersectionOverUnion.Of(new Box(1, 2, 3, 5), new Box(1, 2, 3, 5)));
    }

    [Fact]
    public void DisjointAndTouchingBoxesDoNotOverlap()
    {
        Assert.Equal(0f, IntersectionOverUnion.Of(new Box(0, 0, 2, 2), new Box(5, 5, 6, 6)));
        Assert.Equal(0f, IntersectionOverUnion.Of(new Box(0, 0, 2, 2), new Box(2, 0, 4, 2)));  // share an edge only
    }

    [Fact]
    public void MatchesCountingPixelsOnRandomIntegerBoxes()
    {
        // Definition: on integer boxes, IoU = pixels in both / pixels in either, pixel (x, y) being [x, x+1) × [y, y+1).
        var rng = new System.Random(1);
        for (int trial = 0; trial < 200; trial++)
        {
            Box Random()
            {
                int x1 = rng.Next(0, 12), y1 = rng.Next(0, 12);
                return new Box(x1, y1, x1 + rng.Next(1, 8), y1 + rng.Next(1, 8));
            }
            Box a = Random(), b = Random();
            int both = 0, either = 0;
            for (int y = 0; y < 20; y++)
                for (int x = 0; x < 20; x++)
                {
                    bool inA = x >= a.X1 && x < a.X2 && y >= a.Y1 && y < a.Y2, inB = x >= b.X1 && x < b.X2 && y >= b.Y1 && y < b.Y2;
                    if (inA && inB) both++;
                    if (inA || inB) either++;
                }
            Assert.Equal((float)both / either, IntersectionOverUnion.Of(a, b), 5);
            Assert.Equal(IntersectionOverUnion.Of(a, b), IntersectionOverUnion.Of(b, a));
        }
    }

    [Fact]
    public void MatrixHoldsEveryPair()
    {
        Box[] a = [new(0, 0, 4, 4), new(10, 10, 12, 12)];
        Box[] b = [new(2, 2, 6, 6), new(0, 0, 4, 4), new(10, 10, 11, 11)];
        var m = IntersectionOverUnion.Matrix(a, b);
        Assert.Equal(2, m.GetLength(0));
        Assert.Equal(3, m.GetLength(1));
        Assert.Equal(1f, m[0, 1]);
        Assert.Equal(0.25f, m[1, 2]);
        Assert.Equal(0f, m[1, 0]);
    }
}
