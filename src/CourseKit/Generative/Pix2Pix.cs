using CourseKit.Layers;

namespace CourseKit.Generative;

/// <summary>
/// pix2pix's two networks (Isola et al. 2017; lecture 5.9): a U-Net generator that maps an image to an image (no noise
/// input: dropout in the decoder is its only randomness) and a PatchGAN discriminator that judges every N×N patch of the
/// (input, output) pair instead of the whole image. Both use 4×4 convolutions, batch normalisation and, in D and G's
/// encoder, Leaky ReLU with slope 0.2; weights from N(0, 0.02²).
/// </summary>
public static class Pix2Pix
{
    /// <summary>
    /// The U-Net generator written with the model API: an encoder of <paramref name="depth"/> 4×4 stride-2 convolutions
    /// (C64-C128-C256-C512-C512…, channels capped at 8·width) down to 1×1 when depth = log₂(size), and a decoder of
    /// stride-2 transposed convolutions whose every output is joined (Concat) with the encoder's output of the same size
    /// — the skips that carry edge positions from input to output. The three innermost decoder layers use dropout 0.5;
    /// the output is tanh, images in [−1, 1]. <paramref name="dropout"/> 0 leaves the dropout out (a deterministic G).
    /// </summary>
    public static Model Generator(int inChannels = 1, int outChannels = 3, int imageSize = 128, int width = 64, int? depth = null, int seed = 0,
                                  float dropout = 0.5f)
    {
        int levels = depth ?? (int)Math.Round(Math.Log2(imageSize));
        if (levels < 2 || imageSize % (1 << levels) != 0)
            throw new ArgumentException($"Pix2Pix.Generator: {levels} halvings do not fit an image of {imageSize}×{imageSize}; give a depth d with 2 ≤ d and {imageSize} divisible by 2^d.");
        int Channels(int level) => width * Math.Min(1 << level, 8);
        int s = seed;
        var input = Model.Input(inChannels, imageSize, imageSize);

        var encoder = new Node[levels];
        encoder[0] = input.Then(Down(inChannels, Channels(0), s++));                       // C64: no batch normalisation
        for (int i = 1; i < levels; i++)
        {
            var down = encoder[i - 1].Then(new LeakyReLU(0.2f), Down(Channels(i - 1), Channels(i), s++));
            encoder[i] = i == levels - 1 ? down : down.Then(new BatchNormalization(Channels(i)));   // innermost: 1×1, no normalisation
        }

        var x = encoder[levels - 1];
        for (int i = levels - 2; i >= 0; i--)
        {
            int inputChannels = i == levels - 2 ? Channels(levels - 1) : 2 * Channels(i + 1);
            x = x.Then(new ReLU(), Up(inputChannels, Channels(i), s++), new BatchNormalization(Channels(i)));
            if (i >= levels - 4)
            {
                int dropoutSeed = s++;                                                        // the same weights with or without dropout
                if (dropout > 0) x = x.Then(new Dropout(dropout, seed: dropoutSeed));        // CD512: noise in the decoder
            }
            x = Node.Concat(x, encoder[i]);                                                   // the skip connection
        }
        var output = x.Then(new ReLU(), Up(2 * Channels(0), outChannels, s), new Tanh());
        return new Model(input, output, "Pix2PixGenerator");
    }

    /// <summary>
    /// PatchGAN: the pair (input image, output image) joined along channels → C64 (no normalisation) → C128 → C256 …
    /// (<paramref name="layers"/> stride-2 convolutions) → one stride-1 C512 → a 1-channel map of logits, one per patch.
    /// With 3 layers each logit sees a 70×70 patch of the input (<see cref="ReceptiveField"/>), the paper's choice.
    /// </summary>
    public static Sequential PatchGan(int inChannels, int layers = 3, int width = 64, int seed = 100)
    {
        if (layers < 1) throw new ArgumentOutOfRangeException(nameof(layers), $"Pix2Pix.PatchGan: at least one stride-2 layer, got {layers}.");
        var d = new Sequential("PatchGAN") { Down(inChannels, width, seed), new LeakyReLU(0.2f) };
        int c = width;
        for (int i = 1; i <= layers; i++)
        {
            int next = width * Math.Min(1 << i, 8);
            d.Add(new Convolution(c, next, 4, stride: i < layers ? 2 : 1, pad: 1, init: WeightInit.Gan, seed: seed + i));
            d.Add(new BatchNormalization(next));
            d.Add(new LeakyReLU(0.2f));
            c = next;
        }
        d.Add(new Convolution(c, 1, 4, stride: 1, pad: 1, init: WeightInit.Gan, seed: seed + layers + 1));
        return d;
    }

    /// <summary>
    /// The size of the input patch one logit of a <see cref="PatchGan"/> sees: going back from one output pixel through
    /// each 4×4 convolution of stride s, r ← (r − 1)·s + 4. Three layers: 1 → 4 → 7 → 16 → 34 → 70.
    /// </summary>
    public static int ReceptiveField(int layers)
    {
        int r = 1;
        var strides = Enumerable.Repeat(2, layers).Append(1).Append(1).Reverse();   // from the output back to the input
        foreach (int stride in strides) r = (r - 1) * stride + 4;
        return r;
    }

    private static Convolution Down(int inChannels, int outChannels, int seed) =>
        new(inChannels, outChannels, 4, stride: 2, pad: 1, init: WeightInit.Gan, seed: seed);

    private static ConvolutionTranspose Up(int inChannels, int outChannels, int seed) =>
        new(inChannels, outChannels, 4, stride: 2, pad: 1, init: WeightInit.Gan, seed: seed);
}
