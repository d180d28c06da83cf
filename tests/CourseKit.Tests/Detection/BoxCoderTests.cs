using CourseKit.Detection;

namespace CourseKit.Tests.Detection;

public class BoxCoderTests
{
    [Fact]
    public void HandWorkedTargets()
    {
        // anchor centre (10, 10), size 10×20; box centre (12, 5), size 20×10:
        // tx = 2/10, ty = −5/20, tw = log 2, th = log ½
        var anchor = Box.FromCenter(10, 10, 10, 20);
        var box = Box.FromCenter(12, 5, 20, 10);
        var (tx, ty, tw, th) = BoxCoder.Encode(box, anchor);
        Assert.Equal(0.2f, tx, 6);
        Assert.Equal(-0.25f, ty, 6);
        Assert.Equal(MathF.Log(2), tw, 6);
        Assert.Equal(-MathF.Log(2), th, 6);
    }

    [Fact]
    public void DecodeInvertsEncode()
    {
        var rng = new System.Random(3);
        for (int trial = 0; trial < 100; trial++)
        {
            var anchor = Box.FromCenter(rng.Next(0, 64), rng.Next(0, 64), rng.Next(4, 32), rng.Next(4, 32));
            var box = Box.FromCenter((float)rng.NextDouble() * 64, (float)rng.NextDouble() * 64, 1 + (float)rng.NextDouble() * 40, 1 + (float)rng.NextDouble() * 40);
            var (tx, ty, tw, th) = BoxCoder.Encode(box, anchor);
            var back = BoxCoder.Decode(tx, ty, tw, th, anchor);
            Assert.Equal(box.X1, back.X1, 3); Assert.Equal(box.Y1, back.Y1, 3);
            Assert.Equal(box.X2, back.X2, 3); Assert.Equal(box.Y2, back.Y2, 3);
        }
        Assert.Equal(Box.FromCenter(5, 5, 4, 4), BoxCoder.Decode(0, 0, 0, 0, Box.FromCenter(5, 5, 4, 4)));  // zero offsets: the anchor
    }

    [Fact]
    public void AnEmptyBoxCannotBeEncoded() =>
        Assert.Throws<ArgumentException>(() => BoxCoder.Encode(new Box(1, 1, 1, 3), new Box(0, 0, 2, 2)));
}
