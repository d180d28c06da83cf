using CourseKit.Detection;

namespace CourseKit.Tests.Detection;

public class SegmentationScoreTests
{
    [Fact]
    public void HandWorkedPerClassIou()
    {
        int[] truth = [0, 0, 1, 1, 2, 2];
        int[] predicted = [0, 1, 1, 1, 2, 0];
        // class 0: both {0}, either {0, 1, 5} → 1/3; class 1: both {2, 3}, either {1, 2, 3} → 2/3; class 2: both {4}, either {4, 5} → 1/2
        var iou = SegmentationScore.PerClassIou(predicted, truth, 4);
        Assert.Equal(1 / 3.0, iou[0], 9);
        Assert.Equal(2 / 3.0, iou[1], 9);
        Assert.Equal(0.5, iou[2], 9);
        Assert.True(double.IsNaN(iou[3]));
        Assert.Equal((1 / 3.0 + 2 / 3.0 + 0.5) / 3, SegmentationScore.MeanIou(predicted, truth, 4), 9);
    }

    [Fact]
    public void PredictTakesTheArgmaxOverChannels()
    {
        // one image 1×2, 3 classes: pixel 0 → class 2, pixel 1 → class 0
        var scores = new Tensor([1, 3, 1, 2], [0.1f, 0.9f, 0.2f, 0.3f, 0.7f, 0.5f]);
        Assert.Equal([2, 0], SegmentationScore.Predict(scores));
    }
}
