using CourseKit.Layers;

namespace CourseKit.Models;

/// <summary>
/// Residual networks (lecture 4.2, He et al. 2016), written with <see cref="Model"/>: a stem, four "large blocks" of
/// <see cref="BasicBlock"/>s or <see cref="Bottleneck"/>s (the first block of large blocks 2–4 halves the image with
/// stride 2), global average pooling and one affine layer. The lecture's table:
/// <code>
///               ResNet18  ResNet34  ResNet50  ResNet101  ResNet152
/// Large block 1   64×2      64×3     b64×3     b64×3      b64×3
/// Large block 2  128×2     128×4    b128×4    b128×4     b128×8
/// Large block 3  256×2     256×6    b256×6    b256×23    b256×36
/// Large block 4  512×2     512×3    b512×3    b512×3     b512×3
/// </code>
/// </summary>
public static class ResNet
{
    /// <summary>The lecture's table: blocks per large block, and whether they are bottlenecks.</summary>
    public static (int[] Blocks, bool Bottleneck) Configuration(int depth) => depth switch
    {
        18 => ([2, 2, 2, 2], false),
        34 => ([3, 4, 6, 3], false),
        50 => ([3, 4, 6, 3], true),
        101 => ([3, 4, 23, 3], true),
        152 => ([3, 8, 36, 3], true),
        _ => throw new ArgumentException($"ResNet: the lecture's table has depths 18, 34, 50, 101 and 152, not {depth}; for CIFAR's 6n+2 networks use ResNet.Cifar."),
    };

    /// <summary>
    /// ResNet-18/34/50/101/152. The ImageNet stem (224×224 images) is a 7×7 convolution with stride 2 and 3×3 max
    /// pooling with stride 2; with <paramref name="cifarStem"/> it is one 3×3 convolution with stride 1 (32×32 images
    /// keep their size until large block 2).
    /// </summary>
    public static Model Create(int depth, int classes = 1000, bool cifarStem = false, int imageSize = 0, int seed = 0)
    {
        var (blocks, bottleneck) = Configuration(depth);
        if (imageSize == 0) imageSize = cifarStem ? 32 : 224;
        var x = Model.Input(3, imageSize, imageSize);
        var h = cifarStem
            ? x.Then(new Convolution(3, 64, 3, 1, pad: 1, seed: seed, bias: false) { ComputeInputGradient = false }, new BatchNormalization(64), new ReLU())
            : x.Then(new Convolution(3, 64, 7, 2, pad: 3, seed: seed, bias: false) { ComputeInputGradient = false }, new BatchNormalization(64), new ReLU(),
                     new MaxPooling(3, stride: 2, pad: 1));
        int channels = 64;
        int[] widths = [64, 128, 256, 512];
        for (int stage = 0; stage < 4; stage++)
            for (int i = 0; i < blocks[stage]; i++)
            {
                int stride = stage > 0 && i == 0 ? 2 : 1;
                int blockSeed = seed + 1000 * (stage + 1) + 10 * i;
                Layer block = bottleneck ? new Bottleneck(channels, widths[stage], stride, blockSeed) : new BasicBlock(channels, widths[stage], stride, blockSeed);
                channels = bottleneck ? Bottleneck.Expansion * widths[stage] : widths[stage];
                h = h.Then(block);
            }
        var y = h.Then(new GlobalAveragePooling(), new Affine(channels, classes, seed: seed + 9999));
        return new Model(x, y, $"ResNet{depth}");
    }

    /// <summary>
    /// The CIFAR-10 ResNets of He et al. (section 4.2): 6n+2 layers (ResNet-20, 32, 44, 56, 110): a 3×3 convolution
    /// to 16 channels, three large blocks of n basic blocks with 16, 32 and 64 channels on 32×32, 16×16 and 8×8 maps,
    /// global average pooling and a 10-way affine layer. Where the shape changes the shortcut is a 1×1 projection.
    /// </summary>
    public static Model Cifar(int depth, int classes = 10, int width = 16, int seed = 0)
    {
        if (depth < 8 || (depth - 2) % 6 != 0)
            throw new ArgumentException($"ResNet.Cifar: the depth must be 6n+2 (20, 32, 44, 56, 110), not {depth}.");
        int n = (depth - 2) / 6;
        var x = Model.Input(3, 32, 32);
        var h = x.Then(new Convolution(3, width, 3, 1, pad: 1, seed: seed, bias: false) { ComputeInputGradient = false }, new BatchNormalization(width), new ReLU());
        int channels = width;
        for (int stage = 0; stage < 3; stage++)
            for (int i = 0; i < n; i++)
            {
                int outChannels = width << stage;
                h = h.Then(new BasicBlock(channels, outChannels, stage > 0 && i == 0 ? 2 : 1, seed + 1000 * (stage + 1) + 10 * i));
                channels = outChannels;
            }
        return new Model(x, h.Then(new GlobalAveragePooling(), new Affine(channels, classes, seed: seed + 9999)), $"ResNet{depth}");
    }
}
