using CourseKit.Layers;

namespace CourseKit.Detection;

/// <summary>
/// A small fully convolutional network for semantic segmentation (lecture 6.3, FCN): three encoder stages
/// (3×3 convolution, ReLU, 2×2 max pooling) bring the image to 1/8 of its size; a 1×1 convolution instead of a fully
/// connected layer scores every position for K classes (so any image size works); two <see cref="FcnSkipFusion"/>s add
/// the scored outputs of stages 2 and 1 (FCN-8s' idea at this depth), and a last ×2 deconvolution returns to full size.
/// Output: class scores (N, K, H, W) for H and W divisible by 8; train it with <see cref="Losses.PixelwiseSoftmaxCrossEntropy"/>.
/// </summary>
public sealed class Fcn : Layer
{
    private readonly Sequential stage1, stage2, stage3;
    private readonly Convolution head;
    private readonly FcnSkipFusion fuse2, fuse1;
    private readonly ConvolutionTranspose final;

    public Fcn(int inChannels, int classCount, int width = 16, int seed = 0) : base("FCN")
    {
        stage1 = Stage(inChannels, width, seed);
        stage2 = Stage(width, 2 * width, seed + 10);
        stage3 = Stage(2 * width, 4 * width, seed + 20);
        head = new Convolution(4 * width, classCount, 1, seed: seed + 30);
        fuse2 = new FcnSkipFusion(classCount, 2 * width, seed + 40);
        fuse1 = new FcnSkipFusion(classCount, width, seed + 50);
        final = new ConvolutionTranspose(classCount, classCount, 4, stride: 2, pad: 1, seed: seed + 60);
    }

    private static Sequential Stage(int cin, int cout, int seed) =>
        new(new Convolution(cin, cout, 3, pad: 1, seed: seed), new ReLU(), new MaxPooling(2));

    public override IReadOnlyList<Parameter> Parameters =>
        [.. stage1.Parameters, .. stage2.Parameters, .. stage3.Parameters, .. head.Parameters, .. fuse2.Parameters, .. fuse1.Parameters, .. final.Parameters];

    public override Tensor Forward(Tensor x, bool training = false)
    {
        if (x.Rank != 4 || x.Shape[2] % 8 != 0 || x.Shape[3] % 8 != 0)
            throw new ArgumentException($"{Name}: expects images (N, C, H, W) with H and W divisible by 8 (three 2×2 poolings), got {x.Shape}.");
        var pool1 = stage1.Forward(x, training);                              // 1/2
        var pool2 = stage2.Forward(pool1, training);                              // 1/4
        var scores = head.Forward(stage3.Forward(pool2, training), training); // 1/8, K channels
        var fused2 = fuse2.Forward(scores, pool2, training);                  // 1/4
        var fused1 = fuse1.Forward(fused2, pool1, training);                  // 1/2
        return final.Forward(fused1, training);                               // full size
    }

    public override Tensor Backward(Tensor dout)
    {
        var (dFused2, dPool1Skip) = fuse1.Backward(final.Backward(dout));
        var (dScores, dPool2Skip) = fuse2.Backward(dFused2);
        var dPool2 = stage3.Backward(head.Backward(dScores)) + dPool2Skip;   // pool2 fed two consumers: gradients add
        var dPool1 = stage2.Backward(dPool2) + dPool1Skip;
        return stage1.Backward(dPool1);
    }
}
