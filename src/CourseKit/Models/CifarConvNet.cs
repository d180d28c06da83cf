using CourseKit.Layers;

namespace CourseKit.Models;

/// <summary>
/// The CNN of notebook 3-6 for CIFAR-10's (3, 32, 32) colour images (lecture 3.1: the input has three channels, the
/// layers after it many): three blocks of a 3×3 convolution (padding 1) → ReLU → 2×2 max pooling with 32, 64 and 128
/// filters (32 → 16 → 8 → 4 pixels), then Affine 128·4·4 → 256 → ReLU → Dropout → Affine 10. The three blocks are the
/// <b>features</b> and the last Affine is the <b>head</b> (lecture 3.4: what transfer of features keeps and replaces).
/// </summary>
public static class CifarConvNet
{
    /// <summary>How many layers the feature part has (the three convolution blocks, Affine1, its ReLU and Dropout): all but the head.</summary>
    public const int FeatureLayers = 12;

    public static Sequential Create(int seed = 0, int classes = 10, int inChannels = 3, int imageSize = 32,
                                    int[]? filters = null, int hidden = 256, float dropout = 0.5f, WeightInit init = WeightInit.He)
    {
        filters ??= [32, 64, 128];
        var net = new Sequential("CifarConvNet");
        int channels = inChannels, size = imageSize;
        for (int i = 0; i < filters.Length; i++)
        {
            // The first convolution's input is the data: no layer before it needs dX.
            net.Add(new Convolution(channels, filters[i], 3, stride: 1, pad: 1, init, seed + i) { ComputeInputGradient = i > 0 });
            net.Add(new ReLU());
            net.Add(new MaxPooling(2));
            channels = filters[i];
            size /= 2;
        }
        net.Add(new Affine(channels * size * size, hidden, init, seed + 10));
        net.Add(new ReLU());
        net.Add(new Dropout(dropout, seed + 11));
        net.Add(new Affine(hidden, classes, init, seed + 12));
        return net;
    }
}
