using CourseKit.Backends;

namespace CourseKit.Layers;

/// <summary>
/// The block of Wide ResNet (Zagoruyko and Komodakis 2016, lecture 4.3): "pre-activation", batch normalization and
/// ReLU come before each 3×3 convolution, and nothing follows the ⊕:
/// o = ReLU(BN(x)), y = conv3×3(dropout(ReLU(BN(conv3×3(o))))) ⊕ shortcut, where the shortcut is x itself, or a 1×1
/// convolution of o when the block changes the channels or the size. Wide means many channels (k times ResNet's).
/// </summary>
public sealed class WideBlock : Layer
{
    private readonly BatchNormalization bn1, bn2;
    private readonly ReLU relu1 = new(), relu2 = new();
    private readonly Convolution conv1, conv2;
    private readonly Dropout? dropout;
    private readonly Convolution? projection;
    private readonly Add add = new();
    private Tensor? sum, dxBuffer;

    public WideBlock(int inChannels, int outChannels, int stride = 1, float dropoutRate = 0f, int seed = 0)
    {
        bn1 = new BatchNormalization(inChannels) { Name = "bn1" };
        conv1 = new Convolution(inChannels, outChannels, 3, stride, pad: 1, seed: seed, bias: false) { Name = "conv1" };
        bn2 = new BatchNormalization(outChannels) { Name = "bn2" };
        if (dropoutRate > 0) dropout = new Dropout(dropoutRate, seed: seed + 1);
        conv2 = new Convolution(outChannels, outChannels, 3, 1, pad: 1, seed: seed + 2, bias: false) { Name = "conv2" };
        if (stride != 1 || inChannels != outChannels)
            projection = new Convolution(inChannels, outChannels, 1, stride, seed: seed + 3, bias: false) { Name = "shortcut" };
        InChannels = inChannels;
        OutChannels = outChannels;
        Stride = stride;
    }

    public int InChannels { get; }
    public int OutChannels { get; }
    public int Stride { get; }

    private IEnumerable<Layer> Children => projection is null ? [bn1, conv1, bn2, conv2] : [bn1, conv1, bn2, conv2, projection];

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
        var o = relu1.Forward(bn1.Forward(x, training, true), training, true);
        var h = relu2.Forward(bn2.Forward(conv1.Forward(o, training, true), training, true), training, true);
        if (dropout is not null) h = dropout.Forward(h, training, true);
        h = conv2.Forward(h, training, true);
        var shortcut = projection is null ? x : projection.Forward(o, training, true);
        if (h.Shape != shortcut.Shape)
            throw new ArgumentException($"{Name}: the body gives {h.Shape} but the identity shortcut {shortcut.Shape}; expected input (N, {InChannels}, H, W).");
        var y = MayReuseResults ? sum : null;
        y = add.Forward([h, shortcut], y);                              // lecture 4.2: ⊕
        if (MayReuseResults) sum = y;
        return y;
    }

    public override Tensor Backward(Tensor dout)
    {
        var (dBody, dShortcut) = add.Backward(dout);                   // ⊕ passes dout to both branches
        var d = conv2.Backward(dBody, true);
        if (dropout is not null) d = dropout.Backward(d, true);
        var dO = conv1.Backward(bn2.Backward(relu2.Backward(d, true), true), true);
        if (projection is not null)
        {
            LayerMath.AddInto(dO, projection.Backward(dShortcut, true), dO);   // o fed conv1 and the projection
            return bn1.Backward(relu1.Backward(dO, true), MayReuseResults);
        }
        // x fed bn1 and the identity shortcut: ∂E/∂x = bn1's ∂E/∂x + dout
        var dx = bn1.Backward(relu1.Backward(dO, true), true);
        var result = MayReuseResults && dxBuffer is { } b && b.Shape == dx.Shape && b.Device == dx.Device ? b : new Tensor(dx.Shape, dx.Device);
        if (MayReuseResults) dxBuffer = result;
        LayerMath.AddInto(dx, dShortcut, result);
        return result;
    }
}
