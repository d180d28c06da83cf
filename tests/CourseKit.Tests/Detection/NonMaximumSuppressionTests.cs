using CourseKit.Detection;

namespace CourseKit.Tests.Detection;

public class NonMaximumSuppressionTests
{
    [Fact]
    public void HandWorkedExampleKeepsTheBestOfEachCluster()
    {
        Box[] boxes =
        [
            new(0, 0, 10, 10),    // 0: score 0.8
            new(1, 1, 11, 11),    // 1: score 0.9, IoU with 0 = 81/119 = 0.68 → suppresses 0
            new(20, 20, 30, 30),  // 2: score 0.7, alone
            new(0, 0, 10, 5),     // 3: score 0.6, IoU with 1 = 36/(100+50−36) = 0.32 → kept at 0.5
        ];
        float[] scores = [0.8f, 0.9f, 0.7f, 0.6f];
        Assert.Equal([1, 2, 3], NonMaximumSuppression.Greedy(boxes, scores, 0.5f));
        Assert.Equal([1, 2], NonMaximumSuppression.Greedy(boxes, scores, 0.3f));  // 0.32 > 0.3: 3 goes too
        Assert.Equal([1, 0, 2, 3], NonMaximumSuppression.Greedy(boxes, scores, 1f));  // nothing suppressed, sorted by score
    }

    [Fact]
    public void ASuppressedBoxNoLongerSuppressesOthers()
    {
        // 1 suppresses 0; 0 would suppress 2, but it is gone, and 2 barely overlaps 1: greedy keeps 2.
        Box[] boxes = [new(0, 0, 10, 10), new(3, 0, 13, 10), new(-3, 0, 7, 10)];
        float[] scores = [0.8f, 0.9f, 0.7f];
        Assert.Equal([1, 2], NonMaximumSuppression.Greedy(boxes, scores, 0.5f));
    }

    [Fact]
    public void ResultSatisfiesTheDefinitionOnRandomBoxes()
    {
        // Greedy NMS by definition: kept boxes are sorted by score and overlap each other at most the threshold;
        // every dropped box overlaps a kept box of higher score by more than the threshold.
        var rng = new System.Random(2);
        for (int trial = 0; trial < 50; trial++)
        {
            int n = rng.Next(1, 30);
            var boxes = Enumerable.Range(0, n).Select(_ =>
            {
                float x = (float)rng.NextDouble() * 20, y = (float)rng.NextDouble() * 20;
                return new Box(x, y, x + 2 + (float)rng.NextDouble() * 8, y + 2 + (float)rng.NextDouble() * 8);
            }).ToArray();
            var scores = Enumerable.Range(0, n).Select(_ => (float)rng.NextDouble()).ToArray();
            var kept = NonMaximumSuppression.Greedy(boxes, scores, 0.4f);
            for (int i = 1; i < kept.Length; i++) Assert.True(scores[kept[i - 1]] >= scores[kept[i]]);
            foreach (int a in kept)
                foreach (int b in kept)
                    if (a != b) Assert.True(IntersectionOverUnion.Of(boxes[a], boxes[b]) <= 0.4f);
            foreach (int d in Enumerable.Range(0, n).Except(kept))
                Assert.Contains(kept, k => scores[k] >= scores[d] && IntersectionOverUnion.Of(boxes[k], boxes[d]) > 0.4f);
        }
    }

    [Fact]
    public void PerClassNeverSuppressesAnotherClass()
    {
        DetectedObject[] detections =
        [
            new(new Box(0, 0, 10, 10), 0, 0.9f),
            new(new Box(0, 0, 10, 10), 1, 0.8f),  // same place, other class: kept
            new(new Box(1, 0, 11, 10), 0, 0.7f),  // duplicate of the first: suppressed
        ];
        var kept = NonMaximumSuppression.PerClass(detections, 0.5f);
        Assert.Equal([detections[0], detections[1]], kept);
    }
}
