using CourseKit.Layers;

namespace CourseKit.Models;

/// <summary>
/// Wide ResNet WRN-d-k (Zagoruyko and Komodakis 2016, lecture 4.3): instead of more layers, k times more channels.
/// A 3×3 convolution to 16 channels, three groups of n = (d − 4)/6 <see cref="WideBlock"/>s with 16k, 32k and 64k
/// channels (the second and third start with stride 2), then batch normalization, ReLU, global average pooling and an
/// affine layer. WRN-28-10 has about 36.5 M parameters; WRN-16-4 about 2.7 M.
/// </summary>
public static class WideResNet
{
    public static Model Create(int depth, int widen, int classes = 10, float dropoutRate = 0f, int seed = 0)
    {
        if (depth < 10 || (depth - 4) % 6 != 0)
            throw new ArgumentException($"WideResNet: the depth must be 6n+4 (16, 22, 28, 40), not {depth}.");
        if (widen < 1) throw new ArgumentException($"WideResNet: the widening factor k must be at least 1, got {widen}.");
        int n = (depth - 4) / 6;
        var x = Model.Input(3, 32, 32);
        var h = x.Then(new Convolution(3, 16, 3, 1, pad: 1, seed: seed, bias: false) { ComputeInputGradient = false });
        int channels = 16;
        for (int group = 0; group < 3; group++)
            for (int i = 0; i < n; i++)
            {
                int outChannels = (16 << group) * widen;
                h = h.Then(new WideBlock(channels, outChannels, group > 0 && i == 0 ? 2 : 1, dropoutRate, seed + 1000 * (group + 1) + 10 * i));
                channels = outChannels;
            }
        var y = h.Then(new BatchNormalization(channels), new ReLU(), new GlobalAveragePooling(), new Affine(channels, classes, seed: seed + 9999));
        return new Model(x, y, $"WRN-{depth}-{widen}");
    }
}
