using CourseKit.Backends;

namespace CourseKit.Layers;

/// <summary>
/// The bottleneck block "b·OC" of ResNet-50/101/152 (lecture 4.2): a 1×1 convolution cuts the channels to OC, a 3×3
/// convolution works at OC channels (with the block's stride), and a 1×1 convolution widens to 4·OC; each is followed
/// by batch normalization, the first two by ReLU. y = ReLU(body(x) ⊕ shortcut(x)), the shortcut a 1×1 projection with
/// batch normalization when the shape changes. Three cheap layers instead of two 3×3 at 4·OC channels.
/// </summary>
public sealed class Bottleneck : Layer
{
    /// <summary>The last 1×1 convolution gives Expansion·OC channels.</summary>
    public const int Expansion = 4;

    private readonly Convolution conv1, conv2, conv3;
    private readonly BatchNormalization bn1, bn2, bn3;
    private readonly ReLU relu1 = new(), relu2 = new(), relu3 = new();
    private readonly Convolution? projection;
    private readonly BatchNormalization? projectionBn;
    private readonly Add add = new();
    private Tensor? sum, dxBuffer;

    /// <param name="inChannels">channels of x</param>
    /// <param name="channels">OC, the width of the 3×3 convolution; the block gives 4·OC channels</param>
    public Bottleneck(int inChannels, int channels, int stride = 1, int seed = 0)
    {
        int outChannels = Expansion * channels;
        conv1 = new Convolution(inChannels, channels, 1, seed: seed, bias: false) { Name = "conv1" };
        bn1 = new BatchNormalization(channels) { Name = "bn1" };
        conv2 = new Convolution(channels, channels, 3, stride, pad: 1, seed: seed + 1, bias: false) { Name = "conv2" };
        bn2 = new BatchNormalization(channels) { Name = "bn2" };
        conv3 = new Convolution(channels, outChannels, 1, seed: seed + 2, bias: false) { Name = "conv3" };
        bn3 = new BatchNormalization(outChannels) { Name = "bn3" };
        if (stride != 1 || inChannels != outChannels)
        {
            projection = new Convolution(inChannels, outChannels, 1, stride, seed: seed + 3, bias: false) { Name = "shortcut" };
            projectionBn = new BatchNormalization(outChannels) { Name = "shortcut_bn" };
        }
        InChannels = inChannels;
        OutChannels = outChannels;
        Stride = stride;
    }

    public int InChannels { get; }
    public int OutChannels { get; }
    public int Stride { get; }
    public bool HasProjection => projection is not null;

    private IEnumerable<Layer> Children => projection is null
        ? [conv1, bn1, conv2, bn2, conv3, bn3]
        : [conv1, bn1, conv2, bn2, conv3, bn3, projection, projectionBn!];

    public override IReadOnlyList<Parameter> Parameters => [.. Children.SelectMany(l => l.Parameters)];

    public override IEnumerable<(string Name, Tensor Value)> State() =>
        Children.SelectMany(l => l.State().Select(s => ($"{l.Name}.{s.Name}", s.Value)));

    public override Layer To(Device device)
    {
        foreach (var l in Children) l.To(device);
        return this;
    }

    public override Tensor Forward(Tensor x, bool training = false)
    {
        var h = relu1.Forward(bn1.Forward(conv1.Forward(x, training, true), training, true), training, true);
        h = relu2.Forward(bn2.Forward(conv2.Forward(h, training, true), training, true), training, true);
        h = bn3.Forward(conv3.Forward(h, training, true), training, true);
        var shortcut = projection is null ? x : projectionBn!.Forward(projection.Forward(x, training, true), training, true);
        if (h.Shape != shortcut.Shape)
            throw new ArgumentException($"{Name}: the body gives {h.Shape} but the identity shortcut {shortcut.Shape}; expected input (N, {InChannels}, H, W).");
        sum = add.Forward([h, shortcut], sum);                          // lecture 4.2: ⊕
        return relu3.Forward(sum, training, MayReuseResults);
    }

    public override Tensor Backward(Tensor dout)
    {
        var dz = relu3.Backward(dout, true);
        var (dBody, dShortcut) = add.Backward(dz);                     // ⊕ passes dz to both branches
        var d = conv3.Backward(bn3.Backward(dBody, true), true);
        d = conv2.Backward(bn2.Backward(relu2.Backward(d, true), true), true);
        var dx = conv1.Backward(bn1.Backward(relu1.Backward(d, true), true), true);
        if (projection is not null) dShortcut = projection.Backward(projectionBn!.Backward(dShortcut, true), true);
        // lecture 4.2: x fed the body and the shortcut, so ∂E/∂x is the sum of both
        var result = MayReuseResults && dxBuffer is { } b && b.Shape == dx.Shape && b.Device == dx.Device ? b : new Tensor(dx.Shape, dx.Device);
        if (MayReuseResults) dxBuffer = result;
        LayerMath.AddInto(dx, dShortcut, result);
        return result;
    }
}
