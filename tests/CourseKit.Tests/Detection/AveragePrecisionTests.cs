using CourseKit.Detection;

namespace CourseKit.Tests.Detection;

public class AveragePrecisionTests
{
    private static DetectedObject D(float x, int cls, float score = 1f) => new(new Box(x, 0, x + 10, 10), cls, score);

    [Fact]
    public void HandWorkedAllPointInterpolation()
    {
        // Two images, 3 objects of class 0. Detections by score:
        // 0.9 TP (image 0, object at 0), 0.8 FP (nothing there), 0.7 TP (image 1), 0.6 FP (second hit on image 0's object), 0.5 TP (image 0 at 50)
        // recall   1/3 1/3 2/3 2/3 1
        // precision 1  1/2 2/3 1/2 3/5
        // monotone from the right: 1, 2/3, 2/3, 3/5, 3/5 → AP = 1/3·1 + 1/3·2/3 + 1/3·3/5 = 0.7555…
        DetectedObject[][] truths = [[D(0, 0), D(50, 0)], [D(20, 0)]];
        DetectedObject[][] detections = [[D(0, 0, 0.9f), D(100, 0, 0.8f), D(1, 0, 0.6f), D(50, 0, 0.5f)], [D(20, 0, 0.7f)]];
        var (recall, precision) = AveragePrecision.Curve(detections, truths, 0);
        Assert.Equal([1 / 3.0, 1 / 3.0, 2 / 3.0, 2 / 3.0, 1], recall!, new ToleranceComparer(1e-9));
        Assert.Equal([1, 0.5, 2 / 3.0, 0.5, 0.6], precision, new ToleranceComparer(1e-9));
        Assert.Equal(1 / 3.0 + 2 / 9.0 + 0.2, AveragePrecision.Of(detections, truths, 0), 9);
    }

    [Fact]
    public void IoUBelowTheThresholdIsAFalsePositive()
    {
        // the detection is shifted by 5 of 10 pixels: IoU = 50/150 = 1/3
        DetectedObject[][] truths = [[D(0, 0)]];
        DetectedObject[][] detections = [[D(5, 0, 0.9f)]];
        Assert.Equal(0, AveragePrecision.Of(detections, truths, 0, 0.5f));
        Assert.Equal(1, AveragePrecision.Of(detections, truths, 0, 0.3f));
    }

    [Fact]
    public void TheWrongClassDoesNotCountAndMeanSkipsClassesWithoutObjects()
    {
        DetectedObject[][] truths = [[D(0, 0), D(30, 1)]];
        DetectedObject[][] detections = [[D(0, 1, 0.9f), D(30, 1, 0.8f), D(0, 0, 0.3f)]];
        Assert.Equal(1, AveragePrecision.Of(detections, truths, 0));  // the only class-0 detection is right
        Assert.Equal(0.5, AveragePrecision.Of(detections, truths, 1), 9);  // FP first (precision ½ at full recall)
        Assert.True(double.IsNaN(AveragePrecision.Of(detections, truths, 2)));
        Assert.Equal(0.75, AveragePrecision.Mean(detections, truths, 3), 9);
    }

    [Fact]
    public void AllPointInterpolationOfAStaircase()
    {
        // recall 0.2 at precision 1, 0.4 at 0.5, then 0.4 → 0.8 at 0.8 (a later, higher precision lifts the earlier one)
        double ap = AveragePrecision.AllPointInterpolated([0.2, 0.4, 0.4, 0.8], [1, 0.5, 0.4, 0.8]);
        Assert.Equal(0.2 * 1 + 0.2 * 0.8 + 0.4 * 0.8, ap, 9);
    }

    private sealed class ToleranceComparer(double tolerance) : IEqualityComparer<double>
    {
        public bool Equals(double a, double b) => Math.Abs(a - b) <= tolerance;
        public int GetHashCode(double value) => 0;
    }
}
