using CourseKit.Detection;
using CourseKit.Grading;

namespace CourseKit.Tests.Grading;

public class LibraryTwinTests
{
    [Fact]
    public void AForbiddenTwinRefusesToRunAndSaysWhy()
    {
        var e = Assert.Throws<InvalidOperationException>(() =>
            LibraryTwin.Forbid("IntersectionOverUnion.Of", () => IntersectionOverUnion.Of(new Box(0, 0, 1, 1), new Box(0, 0, 1, 1))));
        Assert.Contains("IntersectionOverUnion.Of", e.Message);
        Assert.Contains("yourself", e.Message);
    }

    [Fact]
    public void OtherFunctionsRunAndTheTwinWorksAgainAfterwards()
    {
        var box = new Box(0, 0, 2, 2);
        var encoded = LibraryTwin.Forbid("IntersectionOverUnion.Of", () => BoxCoder.Encode(box, box));
        Assert.Equal((0f, 0f, 0f, 0f), encoded);
        Assert.Equal(1f, IntersectionOverUnion.Of(box, box));
        // nested: both names are off inside, only the outer one after the inner returns
        LibraryTwin.Forbid("BoxCoder.Encode", () =>
        {
            Assert.Throws<InvalidOperationException>(() => LibraryTwin.Forbid("NonMaximumSuppression.Greedy", () => BoxCoder.Encode(box, box)));
            Assert.Equal([0], NonMaximumSuppression.Greedy([box], [1f]));
            return 0;
        });
    }
}
