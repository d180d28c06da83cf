using CourseKit.Layers;

namespace CourseKit.Detection;

/// <summary>
/// A small SegNet (lecture 6.4): an encoder of (3×3 convolution, batch normalisation, ReLU, 2×2 max pooling) stages and
/// a mirrored decoder whose <see cref="MaxUnpooling"/> puts values back at the encoder's argmax positions, followed by
/// 3×3 convolutions (with batch normalisation and ReLU) that fill in the zeros. Only the last feature map and the pooling
/// indices pass from encoder to decoder. Batch normalisation follows every convolution, as in Badrinarayanan et al.;
/// without it (<c>batchNormalization: false</c>) the small network on the shapes set stalls with whole classes at an IoU
/// near 0 (notebook 3-10).
/// Output: class scores (N, K, H, W) for H and W divisible by 2^depth.
/// </summary>
public sealed class SegNet : Layer
{
    private readonly Sequential network;

    public SegNet(int inChannels, int classCount, int width = 16, int depth = 3, int seed = 0, bool batchNormalization = true) : base("SegNet")
    {
        if (depth < 1) throw new ArgumentException($"SegNet: depth must be at least 1, got {depth}.");
        network = new Sequential();
        var pools = new List<MaxPooling>();
        int channels = inChannels;
        for (int d = 0; d < depth; d++)
        {
            int next = width << d;
            network.Add(new Convolution(channels, next, 3, pad: 1, seed: seed + d, bias: !batchNormalization));   // β is the bias
            if (batchNormalization) network.Add(new BatchNormalization(next));
            network.Add(new ReLU());
            var pool = new MaxPooling(2);
            network.Add(pool);
            pools.Add(pool);
            channels = next;
        }
        for (int d = depth - 1; d >= 0; d--)
        {
            network.Add(new MaxUnpooling(pools[d]));
            int next = d == 0 ? width : width << (d - 1);
            network.Add(new Convolution(channels, next, 3, pad: 1, seed: seed + 100 + d, bias: !batchNormalization));
            if (batchNormalization) network.Add(new BatchNormalization(next));
            network.Add(new ReLU());
            channels = next;
        }
        network.Add(new Convolution(channels, classCount, 1, seed: seed + 200));  // per-pixel classifier
        Depth = depth;
    }

    public int Depth { get; }

    /// <summary>The layers in order (the unpoolings name the poolings whose indices they use).</summary>
    public Sequential Network => network;

    public override IReadOnlyList<Parameter> Parameters => network.Parameters;

    public override Tensor Forward(Tensor x, bool training = false)
    {
        int f = 1 << Depth;
        if (x.Rank != 4 || x.Shape[2] % f != 0 || x.Shape[3] % f != 0)
            throw new ArgumentException($"{Name}: expects images (N, C, H, W) with H and W divisible by {f} ({Depth} 2×2 poolings), got {x.Shape}.");
        return network.Forward(x, training);
    }

    public override Tensor Backward(Tensor dout) => network.Backward(dout);
}
