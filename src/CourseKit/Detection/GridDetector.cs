using CourseKit.Layers;

namespace CourseKit.Detection;

/// <summary>
/// A small single-stage detector in YOLO's manner (lecture 6.2): a CNN whose last layer is a 1×1 convolution with
/// 5 + C channels, one prediction per cell of an S × S grid (<see cref="YoloGrid"/>), trained with <see cref="YoloLoss"/>.
/// Each 2×2 max pooling halves the image: three of them turn 64 × 64 pixels into an 8 × 8 grid of 8-pixel cells. Without a
/// fully connected layer the detector works on any image size divisible by 8 (YOLO v2's change of the slides).
/// </summary>
public static class GridDetector
{
    public static Sequential Create(int inChannels, int classCount, int width = 16, int seed = 0) => new(
        new Convolution(inChannels, width, 3, pad: 1, seed: seed), new BatchNormalization(width), new ReLU(), new MaxPooling(2),
        new Convolution(width, 2 * width, 3, pad: 1, seed: seed + 1), new BatchNormalization(2 * width), new ReLU(), new MaxPooling(2),
        new Convolution(2 * width, 4 * width, 3, pad: 1, seed: seed + 2), new BatchNormalization(4 * width), new ReLU(), new MaxPooling(2),
        new Convolution(4 * width, 4 * width, 3, pad: 1, seed: seed + 3), new BatchNormalization(4 * width), new ReLU(),
        new Convolution(4 * width, YoloGrid.BoxChannels + classCount, 1, init: WeightInit.Xavier, seed: seed + 4));
}
