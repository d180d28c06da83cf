using CourseKit.Layers;

namespace CourseKit.Models;

/// <summary>
/// VGG-16 (lecture 4.1, Simonyan and Zisserman 2014, configuration D): thirteen 3×3 convolutions with padding 1 in
/// five stacks (64, 64 | 128, 128 | 256 ×3 | 512 ×3 | 512 ×3), each stack ended by 2×2 max pooling, then three affine
/// layers 4096, 4096, classes with ReLU and dropout. Two 3×3 filters see as far as one 5×5 with fewer parameters.
/// For 224×224 images the last pooling gives 512×7×7.
/// </summary>
public static class Vgg
{
    /// <summary>Configuration D: channel counts, 0 for max pooling.</summary>
    public static readonly int[] Vgg16Configuration = [64, 64, 0, 128, 128, 0, 256, 256, 256, 0, 512, 512, 512, 0, 512, 512, 512, 0];

    public static Model Vgg16(int classes = 1000, int imageSize = 224, int hidden = 4096, float dropout = 0.5f, int seed = 0)
    {
        if (imageSize % 32 != 0) throw new ArgumentException($"Vgg16: five 2×2 poolings need an image size divisible by 32, got {imageSize}.");
        var x = Model.Input(3, imageSize, imageSize);
        var h = x;
        int channels = 3;
        foreach (int c in Vgg16Configuration)
        {
            if (c == 0) { h = h.Then(new MaxPooling(2)); continue; }
            var conv = new Convolution(channels, c, 3, 1, pad: 1, seed: seed++) { ComputeInputGradient = channels != 3 };
            h = h.Then(conv, new ReLU());
            channels = c;
        }
        int side = imageSize / 32;
        var y = h.Then(new Flatten(),
                       new Affine(channels * side * side, hidden, seed: seed++), new ReLU(), new Dropout(dropout, seed: seed++),
                       new Affine(hidden, hidden, seed: seed++), new ReLU(), new Dropout(dropout, seed: seed++),
                       new Affine(hidden, classes, seed: seed));
        return new Model(x, y, "VGG16");
    }
}
