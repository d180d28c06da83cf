using CourseKit.Detection;
using CourseKit.Training;

namespace CourseKit.Tests.Detection;

public class YoloGridTests
{
    [Fact]
    public void HandWorkedEncoding()
    {
        // 64×64 image, 4×4 grid of 16-pixel cells, 3 classes. A box centred at (40, 20), 16×36: cell row 1, column 2;
        // position in the cell (40/16 − 2, 20/16 − 1) = (0.5, 0.25); √(16/64) = 0.5, √(36/64) = 0.75.
        var grid = new YoloGrid(4, 64, 64, 3);
        var t = grid.Encode([[new DetectedObject(Box.FromCenter(40, 20, 16, 36), 2)]]);
        Assert.Equal([1, 8, 4, 4], t.Shape.ToArray());
        Assert.Equal(1f, t[0, 0, 1, 2]);
        Assert.Equal(0.5f, t[0, 1, 1, 2], 6);
        Assert.Equal(0.25f, t[0, 2, 1, 2], 6);
        Assert.Equal(0.5f, t[0, 3, 1, 2], 6);
        Assert.Equal(0.75f, t[0, 4, 1, 2], 6);
        Assert.Equal([0f, 0f, 1f], new[] { t[0, 5, 1, 2], t[0, 6, 1, 2], t[0, 7, 1, 2] });
        Assert.Equal(1f, t.Sum().Item() - (0.5f + 0.25f + 0.5f + 0.75f + 1f), 5);  // nothing in any other cell
    }

    [Fact]
    public void TwoCentresInOneCellKeepTheLargerObject()
    {
        var grid = new YoloGrid(2, 32, 32, 2);
        var small = new DetectedObject(Box.FromCenter(5, 5, 4, 4), 0);
        var large = new DetectedObject(Box.FromCenter(6, 6, 10, 10), 1);
        var t = grid.Encode([[small, large]], out int dropped);
        Assert.Equal(1, dropped);
        var back = grid.DecodeTarget(t)[0];
        Assert.Single(back);
        Assert.Equal(1, back[0].Class);
        Assert.Equal(large.Box.X1, back[0].Box.X1, 4);
    }

    [Fact]
    public void DecodingTheLogitsOfATargetGivesTheBoxesBack()
    {
        var grid = new YoloGrid(4, 64, 48, 3);
        DetectedObject[] objects = [new(new Box(3, 5, 20, 30), 0), new(new Box(40, 10, 63, 20), 2), new(new Box(20, 30, 34, 47), 1)];
        var t = grid.Encode([objects]).ToArray();
        // the network's raw outputs that produce this target: logits for σ, a large objectness logit, large class scores
        int plane = 16;
        var raw = new float[t.Length];
        for (int cell = 0; cell < plane; cell++)
        {
            bool has = t[cell] > 0.5f;
            raw[cell] = has ? 20f : -20f;
            for (int k = 1; k <= 2; k++) raw[k * plane + cell] = MathF.Log(t[k * plane + cell] / (1 - t[k * plane + cell]));
            for (int k = 3; k <= 4; k++) raw[k * plane + cell] = t[k * plane + cell];
            for (int k = 5; k < 8; k++) raw[k * plane + cell] = 20f * t[k * plane + cell];
        }
        var found = grid.Decode(new Tensor([1, 8, 4, 4], raw), scoreThreshold: 0.5f)[0];
        Assert.Equal(3, found.Length);
        foreach (var o in objects)
        {
            var match = Assert.Single(found, d => d.Class == o.Class);
            Assert.True(IntersectionOverUnion.Of(match.Box, o.Box) > 0.999f, $"{match.Box} vs {o.Box}");
            Assert.True(match.Score > 0.99f);
        }
    }

    [Fact]
    public void LossGradientMatchesNumericalGradient()
    {
        var grid = new YoloGrid(3, 30, 30, 2);
        var t = grid.Encode([[new DetectedObject(new Box(1, 1, 9, 12), 1), new DetectedObject(new Box(15, 15, 29, 22), 0)],
                             [new DetectedObject(new Box(0, 20, 10, 30), 1)]]);
        var y = Layers.RandomTensor.Uniform(t.Shape, seed: 8, scale: 2f);
        double error = GradientCheck.Loss(new YoloLoss(2), y, t, h: 1e-3f);
        Assert.True(error < Layers.GradientBound.Float32, $"relative error {error}");
    }

    [Fact]
    public void LossOfAHandWorkedCell()
    {
        // one 1×1 grid, 2 classes, object present; raw outputs all 0: BCE = log 2, centre (½ − 0.3)² + (½ − 0.6)²,
        // size (0 − 0.5)² + (0 − 0.4)², class −log ½.
        var t = new Tensor([1, 7, 1, 1], [1f, 0.3f, 0.6f, 0.5f, 0.4f, 0f, 1f]);
        float e = new YoloLoss(2, lambdaCoord: 5f).Forward(Tensor.Zeros(1, 7, 1, 1), t);
        double expected = Math.Log(2) + 5 * (0.04 + 0.01 + 0.25 + 0.16) + Math.Log(2);
        Assert.Equal(expected, e, 5);
        // an empty cell counts only its confidence, weighted λ_noobj
        Assert.Equal(0.5 * Math.Log(2), new YoloLoss(2).Forward(Tensor.Zeros(1, 7, 1, 1), Tensor.Zeros(1, 7, 1, 1)), 5);
    }
}
