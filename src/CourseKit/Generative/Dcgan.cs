using CourseKit.Layers;

namespace CourseKit.Generative;

/// <summary>
/// DCGAN's generator and discriminator (Radford et al. 2016; lecture 5.7) for 28×28, 32×32 and 64×64 images, following
/// the paper's guidelines: no pooling (strided convolutions in D, transposed convolutions in G), batch normalisation in
/// both (not on D's input layer nor G's output), ReLU in G with tanh at its output (images scaled to [−1, 1]),
/// Leaky ReLU in D, weights from N(0, 0.02²). Each 4×4 stride-2 (transposed) convolution with padding 1 halves (doubles)
/// the height and width: (H + 2 − 4)/2 + 1 = H/2 and (H − 1)·2 − 2 + 4 = 2H.
/// </summary>
public static class Dcgan
{
    /// <summary>
    /// G: z (N, latent [+ classes]) → Affine → (c₀, s₀, s₀) → [transposed conv ×2 size, half the channels]… → (channels, size, size), tanh.
    /// s₀ is 7 for 28×28 and 4 for 32×32 and 64×64; c₀ = width·2^(upsamplings − 1).
    /// <paramref name="hiddenUnits"/> &gt; 0 puts one fully connected hidden layer (Affine, batch normalisation, ReLU)
    /// before that Affine, as the MNIST GANs of the collection the lecture links for 5.8
    /// (hwalsuklee/tensorflow-generative-model-collections, 1,024 units); 0 follows DCGAN's guideline of none.
    /// </summary>
    public static Sequential Generator(int latentSize, int imageSize = 28, int channels = 1, int width = 64, int classes = 0,
                                       int hiddenUnits = 0, int seed = 0)
    {
        var (start, upsamplings) = Plan(imageSize, "Generator");
        int c = width << (upsamplings - 1);
        var g = new Sequential("Generator");
        int inputs = latentSize + classes;
        if (hiddenUnits > 0)
        {
            g.Add(new Affine(inputs, hiddenUnits, WeightInit.Gan, seed + upsamplings + 1));
            g.Add(new BatchNormalization(hiddenUnits));
            g.Add(new ReLU());
            inputs = hiddenUnits;
        }
        g.Add(new Affine(inputs, c * start * start, WeightInit.Gan, seed));
        g.Add(new Reshape(c, start, start));
        g.Add(new BatchNormalization(c));
        g.Add(new ReLU());
        for (int i = 1; i < upsamplings; i++, c /= 2)
        {
            g.Add(new ConvolutionTranspose(c, c / 2, 4, stride: 2, pad: 1, init: WeightInit.Gan, seed: seed + i));
            g.Add(new BatchNormalization(c / 2));
            g.Add(new ReLU());
        }
        g.Add(new ConvolutionTranspose(c, channels, 4, stride: 2, pad: 1, init: WeightInit.Gan, seed: seed + upsamplings));
        g.Add(new Tanh());
        return g;
    }

    /// <summary>
    /// D: (channels [+ classes], size, size) → [conv ½ size, twice the channels, Leaky ReLU]… → Affine → one logit.
    /// D's probability D(x) = σ(logit) is left to the loss (<see cref="GanLoss"/>), which computes it stably.
    /// The lecture (5.7) writes Leaky ReLU with slope 0.01; DCGAN's paper uses 0.2, the default here.
    /// <paramref name="hiddenUnits"/> &gt; 0 puts one fully connected hidden layer (Affine, batch normalisation,
    /// Leaky ReLU) before the logit, as <see cref="Generator"/>.
    /// </summary>
    public static Sequential Discriminator(int imageSize = 28, int channels = 1, int width = 64, int classes = 0,
                                           float leakySlope = 0.2f, int hiddenUnits = 0, int seed = 100)
    {
        var (start, downsamplings) = Plan(imageSize, "Discriminator");
        var d = new Sequential("Discriminator")
        {
            new Convolution(channels + classes, width, 4, stride: 2, pad: 1, init: WeightInit.Gan, seed: seed),
            new LeakyReLU(leakySlope),
        };
        int c = width;
        for (int i = 1; i < downsamplings; i++, c *= 2)
        {
            d.Add(new Convolution(c, c * 2, 4, stride: 2, pad: 1, init: WeightInit.Gan, seed: seed + i));
            d.Add(new BatchNormalization(c * 2));
            d.Add(new LeakyReLU(leakySlope));
        }
        d.Add(new Flatten());
        int features = c * start * start;
        if (hiddenUnits > 0)
        {
            d.Add(new Affine(features, hiddenUnits, WeightInit.Gan, seed + downsamplings + 1));
            d.Add(new BatchNormalization(hiddenUnits));
            d.Add(new LeakyReLU(leakySlope));
            features = hiddenUnits;
        }
        d.Add(new Affine(features, 1, WeightInit.Gan, seed + downsamplings));
        return d;
    }

    // The size G starts from and the number of ×2 steps to the image size.
    private static (int Start, int Steps) Plan(int imageSize, string network) => imageSize switch
    {
        28 => (7, 2),
        32 => (4, 3),
        64 => (4, 4),
        _ => throw new ArgumentOutOfRangeException(nameof(imageSize), $"Dcgan.{network}: image sizes 28, 32 and 64 are supported, got {imageSize}."),
    };
}
