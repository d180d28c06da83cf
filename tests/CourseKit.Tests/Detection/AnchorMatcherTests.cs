using CourseKit.Detection;

namespace CourseKit.Tests.Detection;

public class AnchorMatcherTests
{
    [Fact]
    public void HandWorkedMatching()
    {
        Box[] objects = [new(0, 0, 10, 10), new(30, 30, 34, 34)];
        Box[] anchors =
        [
            new(0, 0, 10, 9),      // IoU 0.9 with object 0: positive
            new(0, 0, 10, 5),      // IoU 0.5: between 0.3 and 0.7, ignored
            new(50, 50, 60, 60),   // no overlap: negative
            new(28, 28, 36, 36),   // IoU 16/64 = 0.25 with object 1, its best anchor: positive anyway
            new(0, 0, 20, 20),     // IoU 0.25 with object 0: negative
        ];
        Assert.Equal([0, AnchorMatcher.Ignored, AnchorMatcher.Negative, 1, AnchorMatcher.Negative],
                     AnchorMatcher.Match(anchors, objects));
    }

    [Fact]
    public void AnAnchorGoesToTheObjectItOverlapsMost()
    {
        Box[] objects = [new(0, 0, 10, 10), new(2, 0, 12, 10)];
        Box[] anchors = [new(2, 0, 11, 10), new(0, 0, 10, 10), new(2, 0, 12, 10)];
        // anchor 0: IoU 0.9/… with object 1 (90/100) beats object 0 (80/110)
        Assert.Equal([1, 0, 1], AnchorMatcher.Match(anchors, objects));
    }
}
