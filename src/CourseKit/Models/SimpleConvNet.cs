using CourseKit.Layers;

namespace CourseKit.Models;

/// <summary>
/// The reference CNN of lecture 2.5 for (1, 28, 28) digits:
/// Convolution 30 filters 5×5 (pad 0, stride 1) → ReLU → MaxPooling 2×2 → Affine 100 → ReLU → Affine 10,
/// trained with <see cref="Losses.SoftmaxWithLoss"/>.
/// </summary>
public static class SimpleConvNet
{
    public static Sequential Create(WeightInit init = WeightInit.He, int seed = 0,
                                    int inChannels = 1, int imageSize = 28, int filters = 30, int filterSize = 5,
                                    int hidden = 100, int classes = 10)
    {
        int convOut = imageSize - filterSize + 1;           // OH = (H + 2P − FH)/S + 1 with P = 0, S = 1
        int poolOut = convOut / 2;
        return new Sequential("SimpleConvNet")
        {
            // The input is the image itself: no layer before it needs dX.
            new Convolution(inChannels, filters, filterSize, stride: 1, pad: 0, init, seed) { ComputeInputGradient = false },
            new ReLU(),
            new MaxPooling(2),
            new Affine(filters * poolOut * poolOut, hidden, init, seed + 1),
            new ReLU(),
            new Affine(hidden, classes, init, seed + 2),
        };
    }
}
