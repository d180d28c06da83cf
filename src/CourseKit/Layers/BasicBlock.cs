using CourseKit.Backends;

namespace CourseKit.Layers;

/// <summary>
/// The basic block of ResNet-18/34 and of the CIFAR ResNets (lecture 4.2, He et al. 2016):
/// y = ReLU(BN(conv3×3(ReLU(BN(conv3×3(x))))) ⊕ shortcut(x)).
/// The first convolution has the block's stride; when it halves the image or changes the channels the shortcut is a
/// projection, a 1×1 convolution with that stride followed by batch normalization, otherwise the identity.
/// The convolutions have no bias: the batch normalization after each one supplies the shift.
/// </summary>
public sealed class BasicBlock : Layer
{
    private readonly Convolution conv1, conv2;
    private readonly BatchNormalization bn1, bn2;
    private readonly ReLU relu1 = new(), relu2 = new();
    private readonly Convolution? projection;
    private readonly BatchNormalization? projectionBn;
    private readonly Add add = new();
    private Tensor? sum, dxBuffer;

    public BasicBlock(int inChannels, int outChannels, int stride = 1, int seed = 0)
    {
        conv1 = new Convolution(inChannels, outChannels, 3, stride, pad: 1, seed: seed, bias: false) { Name = "conv1" };
        bn1 = new BatchNormalization(outChannels) { Name = "bn1" };
        conv2 = new Convolution(outChannels, outChannels, 3, 1, pad: 1, seed: seed + 1, bias: false) { Name = "conv2" };
        bn2 = new BatchNormalization(outChannels) { Name = "bn2" };
        if (stride != 1 || inChannels != outChannels)
        {
            projection = new Convolution(inChannels, outChannels, 1, stride, seed: seed + 2, bias: false) { Name = "shortcut" };
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

    private IEnumerable<Layer> Children => projection is null ? [conv1, bn1, conv2, bn2] : [conv1, bn1, conv2, bn2, projection, projectionBn!];

    public override IReadOnlyList<Parameter> Parameters => [.. Children.SelectMany(l => l.Parameters)];

    public override IEnumerable<(string Name, Tensor Value)> State() =>
        Children.SelectMany(l => l.State().Select(s => ($"{l.Name}.{s.Name}", s.Value)));

    public override Layer To(Device device)
    {
        foreach (var l in Children) l.To(device);
        return this;
    }

    // The layers' results are read only inside the block, so they may reuse their tensors (Layer.MayReuseResults);
    // what leaves the block (y, dx) is reused only when our caller allows it.
    public override Tensor Forward(Tensor x, bool training = false)
    {
        var h = conv1.Forward(x, training, true);
        h = relu1.Forward(bn1.Forward(h, training, true), training, true);
        h = bn2.Forward(conv2.Forward(h, training, true), training, true);
        var shortcut = projection is null ? x : projectionBn!.Forward(projection.Forward(x, training, true), training, true);
        if (h.Shape != shortcut.Shape)
            throw new ArgumentException($"{Name}: the body gives {h.Shape} but the identity shortcut {shortcut.Shape}; expected input (N, {InChannels}, H, W).");
        sum = add.Forward([h, shortcut], sum);                          // lecture 4.2: ⊕
        return relu2.Forward(sum, training, MayReuseResults);
    }

    public override Tensor Backward(Tensor dout)
    {
        var dz = relu2.Backward(dout, true);
        var (dBody, dShortcut) = add.Backward(dz);                     // ⊕ passes dz to both branches
        var d = bn2.Backward(dBody, true);
        d = conv2.Backward(d, true);
        d = bn1.Backward(relu1.Backward(d, true), true);
        var dx = conv1.Backward(d, true);
        if (projection is not null) dShortcut = projection.Backward(projectionBn!.Backward(dShortcut, true), true);
        // lecture 4.2: x fed the body and the shortcut, so ∂E/∂x is the sum of both
        var result = MayReuseResults && dxBuffer is { } b && b.Shape == dx.Shape && b.Device == dx.Device ? b : new Tensor(dx.Shape, dx.Device);
        if (MayReuseResults) dxBuffer = result;
        LayerMath.AddInto(dx, dShortcut, result);
        return result;
    }
}
