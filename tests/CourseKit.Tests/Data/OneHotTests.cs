using CourseKit.Data;

namespace CourseKit.Tests.Data;

public sealed class OneHotTests
{
    [Fact]
    public void EachRowHasASingleOneInTheLabelsColumn()
    {
        int[] labels = [3, 0, 9, 3];
        var t = OneHot.Encode(labels);
        Assert.Equal(new Shape(4, 10), t.Shape);
        var v = t.ToArray();
        for (int i = 0; i < labels.Length; i++)
            for (int c = 0; c < 10; c++)
                Assert.Equal(c == labels[i] ? 1f : 0f, v[i * 10 + c]);
    }

    [Fact]
    public void LabelOutsideTheClassesIsRefusedWithItsPosition()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => OneHot.Encode([1, 5], classCount: 5));
        Assert.Contains("label 5 at position 1 is outside 0..4", e.Message);
    }
}
