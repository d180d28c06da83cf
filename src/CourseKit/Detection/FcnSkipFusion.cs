using CourseKit.Layers;

namespace CourseKit.Detection;

/// <summary>
/// FCN's skip fusion (lecture 6.3, "Decoder of FCN"): the coarse class scores are upsampled ×2 by a learnable
/// deconvolution (<see cref="ConvolutionTranspose"/>, 4×4, stride 2, pad 1), an earlier, finer feature map is scored by a
/// 1×1 convolution (the FCN head), and the two are added: fine boundaries from the early layer, meaning from the deep one.
/// A PyTorch-style block with two inputs: Forward(coarse, fine) and Backward(dout) → (dCoarse, dFine).
/// </summary>
public sealed class FcnSkipFusion
{
    private readonly Add add = new();

    /// <param name="classCount">K, the channels of the coarse scores and of the result.</param>
    /// <param name="fineChannels">The channels of the finer feature map the 1×1 head scores.</param>
    public FcnSkipFusion(int classCount, int fineChannels, int seed = 0)
    {
        Upsample = new ConvolutionTranspose(classCount, classCount, 4, stride: 2, pad: 1, seed: seed);
        Score = new Convolution(fineChannels, classCount, 1, seed: seed + 1);
    }

    /// <summary>The ×2 deconvolution of the coarse scores.</summary>
    public ConvolutionTranspose Upsample { get; }

    /// <summary>The 1×1 convolution that scores the fine feature map (a fully connected layer applied at every pixel).</summary>
    public Convolution Score { get; }

    public IReadOnlyList<Parameter> Parameters => [.. Upsample.Parameters, .. Score.Parameters];

    /// <summary>upsample(coarse) + score(fine): coarse (N, K, h, w) and fine (N, C, 2h, 2w) give (N, K, 2h, 2w).</summary>
    public Tensor Forward(Tensor coarse, Tensor fine, bool training = false)
    {
        var up = Upsample.Forward(coarse, training);
        var scored = Score.Forward(fine, training);
        if (up.Shape != scored.Shape)
            throw new ArgumentException($"FcnSkipFusion: the upsampled scores {up.Shape} and the scored skip {scored.Shape} differ; the fine map must be twice the coarse one's height and width.");
        return add.Forward(up, scored);
    }

    /// <summary>The gradient reaches both inputs through the Add (lecture 4.2: the same dout to both branches).</summary>
    public (Tensor DCoarse, Tensor DFine) Backward(Tensor dout)
    {
        var (dUp, dScored) = add.Backward(dout);
        return (Upsample.Backward(dUp), Score.Backward(dScored));
    }
}
