using CourseKit.Training;

namespace CourseKit.Tests.Training;

public class SegmentationMetricsTests
{
    // A 4x4 picture: truth has 6 pixels (a 3x2 block), the prediction 6 (one shifted right in the top row), 5 of them right.
    private static readonly float[] Truth = { 0, 1, 1, 0, 0, 1, 1, 0, 0, 1, 1, 0, 0, 0, 0, 0 };
    private static readonly float[] Predicted = { 0, 0, 1, 1, 0, 1, 1, 0, 0, 1, 1, 0, 0, 0, 0, 0 };

    [Fact]
    public void Dice_and_IoU_of_a_hand_worked_example()
    {
        // |A| = 6, |B| = 6, |A ∩ B| = 5, |A ∪ B| = 7: Dice = 10/12, IoU = 5/7.
        var p = new Tensor([1, 1, 4, 4], Predicted);
        var t = new Tensor([1, 1, 4, 4], Truth);
        Assert.Equal(2.0 * 5 / (6 + 6), SegmentationMetrics.Dice(p, t), 12);
        Assert.Equal(5.0 / 7, SegmentationMetrics.IoU(p, t), 12);
    }

    [Fact]
    public void Dice_counts_only_the_class_pixels_not_the_background()
    {
        // A mask that predicts nothing is 98 % right per pixel on a 2 % object, but its Dice is 0.
        var t = new float[100]; t[3] = t[4] = 1;
        Assert.Equal(0, SegmentationMetrics.Dice(Tensor.Zeros(1, 1, 10, 10), new Tensor([1, 1, 10, 10], t)));
        Assert.Equal(1, SegmentationMetrics.Dice(Tensor.Zeros(1, 1, 10, 10), Tensor.Zeros(1, 1, 10, 10)));
        Assert.Equal(1, SegmentationMetrics.IoU(Tensor.Zeros(1, 1, 10, 10), Tensor.Zeros(1, 1, 10, 10)));
    }

    [Fact]
    public void Per_image_scores_are_separate_and_the_pooled_score_is_not_their_mean()
    {
        // Image 0: 1 of 1 right (Dice 1). Image 1: 3 true pixels, 1 predicted and right: Dice 2·1/(1 + 3) = 0.5.
        var p = new Tensor([2, 1, 1, 4], new float[] { 1, 0, 0, 0, 1, 0, 0, 0 });
        var t = new Tensor([2, 1, 1, 4], new float[] { 1, 0, 0, 0, 1, 1, 1, 0 });
        Assert.Equal(new[] { 1.0, 0.5 }, SegmentationMetrics.DicePerImage(p, t));
        Assert.Equal(new[] { 1.0, 1.0 / 3 }, SegmentationMetrics.IoUPerImage(p, t));
        Assert.Equal(2.0 * 2 / (2 + 4), SegmentationMetrics.Dice(p, t), 12);
    }

    [Fact]
    public void Dice_is_two_IoU_over_one_plus_IoU_on_random_masks()
    {
        var rng = new Random(3);
        for (int trial = 0; trial < 20; trial++)
        {
            var p = Enumerable.Range(0, 64).Select(_ => (float)rng.Next(2)).ToArray();
            var t = Enumerable.Range(0, 64).Select(_ => rng.NextDouble() < 0.3 ? 1f : 0f).ToArray();
            double iou = SegmentationMetrics.IoU(new Tensor([64], p), new Tensor([64], t));
            Assert.Equal(2 * iou / (1 + iou), SegmentationMetrics.Dice(new Tensor([64], p), new Tensor([64], t)), 12);
        }
    }

    [Fact]
    public void Predicted_mask_takes_the_highest_class_score_or_a_positive_logit()
    {
        // Two classes at 3 pixels: background wins, class 1 wins, tie (the first class, background, wins).
        var scores = new Tensor([1, 2, 1, 3], new float[] { 2, 0, 1, /* class 1 */ 1, 3, 1 });
        Assert.Equal(new float[] { 0, 1, 0 }, SegmentationMetrics.PredictedMask(scores).ToArray());
        var logits = new Tensor([1, 1, 1, 3], new float[] { -0.1f, 0.2f, 0 });
        Assert.Equal(new float[] { 0, 1, 0 }, SegmentationMetrics.PredictedMask(logits).ToArray());
    }

    [Fact]
    public void Mismatched_shapes_say_how_to_make_a_mask()
    {
        var e = Assert.Throws<ArgumentException>(() => SegmentationMetrics.Dice(Tensor.Zeros(1, 2, 4, 4), Tensor.Zeros(1, 1, 4, 4)));
        Assert.Contains("PredictedMask", e.Message);
    }
}
