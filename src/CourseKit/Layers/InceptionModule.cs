using CourseKit.Backends;

namespace CourseKit.Layers;

/// <summary>
/// GoogLeNet's Inception module (lecture 4.1, Szegedy et al. 2014): four branches side by side on the same input,
/// joined along the channels: a 1×1 convolution; a 1×1 "reduce" then a 3×3; a 1×1 reduce then a 5×5; and 3×3 max
/// pooling (stride 1) then a 1×1 "pool projection". Each convolution is followed by ReLU. The 1×1 reductions cut the
/// channels before the expensive 3×3 and 5×5 filters. Backward splits dout by channels, runs each branch back, and sums
/// the four gradients for x, which fed all four.
/// </summary>
public sealed class InceptionModule : Layer
{
    private readonly Sequential[] branches;
    private readonly Concat concat = new();
    private Tensor? joined;

    /// <summary>The channel counts in the order of the paper's Table 1.</summary>
    public InceptionModule(int inChannels, int c1x1, int c3x3Reduce, int c3x3, int c5x5Reduce, int c5x5, int poolProjection, int seed = 0)
    {
        Sequential Branch(string name, params Layer[] layers) => new(layers) { Name = name };
        branches =
        [
            Branch("1x1", new Convolution(inChannels, c1x1, 1, seed: seed), new ReLU()),
            Branch("3x3", new Convolution(inChannels, c3x3Reduce, 1, seed: seed + 1), new ReLU(),
                          new Convolution(c3x3Reduce, c3x3, 3, pad: 1, seed: seed + 2), new ReLU()),
            Branch("5x5", new Convolution(inChannels, c5x5Reduce, 1, seed: seed + 3), new ReLU(),
                          new Convolution(c5x5Reduce, c5x5, 5, pad: 2, seed: seed + 4), new ReLU()),
            Branch("pool", new MaxPooling(3, stride: 1, pad: 1), new Convolution(inChannels, poolProjection, 1, seed: seed + 5), new ReLU()),
        ];
        InChannels = inChannels;
        OutChannels = c1x1 + c3x3 + c5x5 + poolProjection;
    }

    public int InChannels { get; }
    public int OutChannels { get; }

    /// <summary>The four branches: 1x1, 3x3, 5x5, pool.</summary>
    public IReadOnlyList<Sequential> Branches => branches;

    public override IReadOnlyList<Parameter> Parameters => [.. branches.SelectMany(b => b.Parameters)];

    public override IEnumerable<(string Name, Tensor Value)> State() =>
        branches.SelectMany(b => b.State().Select(s => ($"{b.Name}.{s.Name}", s.Value)));

    public override Layer To(Device device)
    {
        foreach (var b in branches) b.To(device);
        return this;
    }

    public override Tensor Forward(Tensor x, bool training = false)
    {
        if (x.Rank != 4 || x.Shape[1] != InChannels)
            throw new ArgumentException($"{Name}: expects (N, {InChannels}, H, W) input, got {x.Shape}.");
        var outputs = branches.Select(b => b.Forward(x, training, true)).ToArray();
        var y = concat.Forward(outputs, MayReuseResults ? joined : null);   // the branches side by side along the channels
        if (MayReuseResults) joined = y;
        return y;
    }

    public override Tensor Backward(Tensor dout)
    {
        var parts = concat.BackwardAll(dout);
        var dx = branches[0].Backward(parts[0], true).Clone();
        for (int i = 1; i < branches.Length; i++)
            LayerMath.AddInto(dx, branches[i].Backward(parts[i], true), dx);   // x fed all four branches: sum their gradients
        return dx;
    }
}
