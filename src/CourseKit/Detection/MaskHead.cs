using CourseKit.Layers;

namespace CourseKit.Detection;

/// <summary>
/// The mask branch of Mask R-CNN (lecture 6.5), small: a backbone CNN runs once per image, <see cref="RoiAlign"/> cuts
/// each object's region out of its features as an M × M grid, and a few convolutions predict an M × M mask logit for it
/// (one mask per region, whatever its class: the class comes from the detector). Train it with
/// <see cref="Losses.SigmoidBinaryCrossEntropy"/> against <see cref="InstanceMasks.Target"/>; the gradient flows back
/// through RoI align into the backbone, so both learn together.
/// </summary>
public sealed class MaskHead
{
    public MaskHead(int inChannels, int width = 16, int maskSize = 14, int seed = 0)
    {
        // two 3×3 convolutions and a 2×2 pooling: features at 1/2 of the image (spatial scale ½)
        Backbone = new Sequential(
            new Convolution(inChannels, width, 3, pad: 1, seed: seed), new ReLU(),
            new Convolution(width, 2 * width, 3, pad: 1, seed: seed + 1), new ReLU(), new MaxPooling(2));
        Align = new RoiAlign(maskSize, maskSize, 0.5f, samplingRatio: 2);
        Head = new Sequential(
            new Convolution(2 * width, 2 * width, 3, pad: 1, seed: seed + 2), new ReLU(),
            new Convolution(2 * width, 2 * width, 3, pad: 1, seed: seed + 3), new ReLU(),
            new Convolution(2 * width, 1, 1, init: WeightInit.Xavier, seed: seed + 4));
    }

    public Sequential Backbone { get; }
    public RoiAlign Align { get; }
    public Sequential Head { get; }
    public int MaskSize => Align.OutputHeight;

    public IReadOnlyList<Parameter> Parameters => [.. Backbone.Parameters, .. Head.Parameters];

    /// <summary>Mask logits (K, 1, M, M) of the regions on the images (N, C, H, W).</summary>
    public Tensor Forward(Tensor images, IReadOnlyList<RegionOfInterest> regions, bool training = false)
    {
        var features = Backbone.Forward(images, training);
        return Head.Forward(Align.Forward(features, regions), training);
    }

    /// <summary>Backpropagates ∂E/∂logits through the head, RoI align and the backbone (the parameters' gradients are set).</summary>
    public void Backward(Tensor dout) => Backbone.Backward(Align.Backward(Head.Backward(dout)));
}
