using CourseKit.Layers;

namespace CourseKit.Models;

/// <summary>
/// A deeper CNN for (1, 28, 28) digits (about 99%, as in deep-learning-from-scratch's DeepConvNet):
/// three blocks of two 3×3 convolutions (16-16, 32-32, 64-64 filters, each followed by ReLU) and a 2×2 max
/// pooling, then Affine 50 → ReLU → Dropout → Affine 10 → Dropout. Sizes: 28 → 14 → 8 (the fourth
/// convolution pads by 2) → 4, so the first Affine sees 64·4·4 features.
/// </summary>
public static class DeepConvNet
{
    public static Sequential Create(WeightInit init = WeightInit.He, int seed = 0, int inChannels = 1, int classes = 10, float dropout = 0.5f)
    {
        var net = new Sequential("DeepConvNet");
        (int Filters, int Pad)[] convolutions = [(16, 1), (16, 1), (32, 1), (32, 2), (64, 1), (64, 1)];
        int channels = inChannels;
        for (int i = 0; i < convolutions.Length; i++)
        {
            net.Add(new Convolution(channels, convolutions[i].Filters, 3, stride: 1, pad: convolutions[i].Pad, init, seed + i));
            net.Add(new ReLU());
            if (i % 2 == 1) net.Add(new MaxPooling(2));
            channels = convolutions[i].Filters;
        }
        net.Add(new Affine(64 * 4 * 4, 50, init, seed + 10));
        net.Add(new ReLU());
        net.Add(new Dropout(dropout, seed + 11));
        net.Add(new Affine(50, classes, init, seed + 12));
        net.Add(new Dropout(dropout, seed + 13));
        return net;
    }
}
