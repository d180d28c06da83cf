using CourseKit.Detection;

namespace CourseKit.Tests.Detection;

public class AnchorTests
{
    [Fact]
    public void HandWorkedAnchorsOfOneCell()
    {
        // cell (0, 0) of stride 16 is centred at (8, 8); scale 8, ratios h/w = 1 and 4: 8×8 and 4×16 (area 64).
        var anchors = Anchors.Generate(1, 1, 16, [8], [1, 4]);
        Assert.Equal(new Box(4, 4, 12, 12), anchors[0]);
        Assert.Equal(new Box(6, 0, 10, 16), anchors[1]);
    }

    [Fact]
    public void AnchorsFollowTheStatedOrderCentresAreasAndRatios()
    {
        float[] scales = [8, 16], ratios = [0.5f, 1, 2];
        var anchors = Anchors.Generate(3, 4, 8, scales, ratios);
        Assert.Equal(3 * 4 * 6, anchors.Length);
        for (int i = 0; i < 3; i++)
            for (int j = 0; j < 4; j++)
                for (int s = 0; s < 2; s++)
                    for (int r = 0; r < 3; r++)
                    {
                        var a = anchors[(i * 4 + j) * 6 + s * 3 + r];
                        Assert.Equal((j + 0.5f) * 8, a.CenterX, 4);
                        Assert.Equal((i + 0.5f) * 8, a.CenterY, 4);
                        Assert.Equal(scales[s] * scales[s], a.Area, 2);
                        Assert.Equal(ratios[r], a.Height / a.Width, 4);
                    }
    }

    [Fact]
    public void BadArgumentsAreExplained()
    {
        var e = Assert.Throws<ArgumentException>(() => Anchors.Generate(2, 2, 8, [8], []));
        Assert.Contains("aspect ratio", e.Message);
    }
}
