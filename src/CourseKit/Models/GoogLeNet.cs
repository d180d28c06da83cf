using CourseKit.Layers;

namespace CourseKit.Models;

/// <summary>
/// GoogLeNet (lecture 4.1, Szegedy et al. 2014, Table 1) for 224×224 images: a stem of convolutions and poolings,
/// nine <see cref="InceptionModule"/>s (3a, 3b, 4a–4e, 5a, 5b) with max pooling between the groups, global average
/// pooling, dropout 40 % and one affine layer. Without the two auxiliary classifiers and the local response
/// normalization of the paper; poolings use padding 1 so that the sizes are those of Table 1 (112, 56, 28, 14, 7).
/// </summary>
public static class GoogLeNet
{
    /// <summary>Table 1: input channels, #1×1, #3×3 reduce, #3×3, #5×5 reduce, #5×5, pool proj.</summary>
    public static readonly (string Name, int In, int C1, int R3, int C3, int R5, int C5, int Pool)[] Modules =
    [
        ("3a", 192, 64, 96, 128, 16, 32, 32),
        ("3b", 256, 128, 128, 192, 32, 96, 64),
        ("4a", 480, 192, 96, 208, 16, 48, 64),
        ("4b", 512, 160, 112, 224, 24, 64, 64),
        ("4c", 512, 128, 128, 256, 24, 64, 64),
        ("4d", 512, 112, 144, 288, 32, 64, 64),
        ("4e", 528, 256, 160, 320, 32, 128, 128),
        ("5a", 832, 256, 160, 320, 32, 128, 128),
        ("5b", 832, 384, 192, 384, 48, 128, 128),
    ];

    public static Model Create(int classes = 1000, int imageSize = 224, float dropout = 0.4f, int seed = 0)
    {
        var x = Model.Input(3, imageSize, imageSize);
        var h = x.Then(new Convolution(3, 64, 7, 2, pad: 3, seed: seed) { ComputeInputGradient = false }, new ReLU(), new MaxPooling(3, 2, pad: 1),
                       new Convolution(64, 64, 1, seed: seed + 1), new ReLU(),
                       new Convolution(64, 192, 3, pad: 1, seed: seed + 2), new ReLU(), new MaxPooling(3, 2, pad: 1));
        foreach (var m in Modules)
        {
            if (m.Name is "4a" or "5a") h = h.Then(new MaxPooling(3, 2, pad: 1));
            h = h.Then(new InceptionModule(m.In, m.C1, m.R3, m.C3, m.R5, m.C5, m.Pool, seed + 100 * m.Name[0] + m.Name[1]) { Name = $"Inception{m.Name}" });
        }
        var y = h.Then(new GlobalAveragePooling(), new Dropout(dropout, seed: seed + 3), new Affine(1024, classes, seed: seed + 4));
        return new Model(x, y, "GoogLeNet");
    }
}
