namespace CourseKit.Generative;

/// <summary>
/// How sharp images are: the mean absolute difference between neighbouring pixels, across and down (a finite-difference
/// gradient magnitude). An L1-trained generator predicts the average of the possible outputs, which is blurred: its
/// images score lower than the real ones; pix2pix's GAN term is there to bring the score back up (lecture 5.9).
/// </summary>
public static class Sharpness
{
    /// <summary>Mean over the batch, channels and pixel pairs of |x[i, j+1] − x[i, j]| and |x[i+1, j] − x[i, j]|.</summary>
    public static double MeanGradientMagnitude(Tensor images)
    {
        if (images.Rank != 4 || images.Shape[2] < 2 || images.Shape[3] < 2)
            throw new ArgumentException($"Sharpness.MeanGradientMagnitude: expects images (N, C, H, W) of at least 2×2, got {images.Shape}.");
        var across = (images[.., .., .., 1..] - images[.., .., .., ..^1]).Abs();
        var down = (images[.., .., 1.., ..] - images[.., .., ..^1, ..]).Abs();
        return (across.Sum().Item() + (double)down.Sum().Item()) / (across.Length + down.Length);
    }
}
