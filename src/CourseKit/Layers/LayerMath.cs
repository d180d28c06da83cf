using CourseKit.Backends;

namespace CourseKit.Layers;

/// <summary>
/// The few helpers the layers, losses and optimizers share that Tensor does not offer; each is one backend call
/// or one upload, so the code that uses them stays device-neutral.
/// </summary>
internal static class LayerMath
{
    /// <summary>Copies <paramref name="value"/> into <paramref name="target"/>'s storage (in-place update).</summary>
    public static void Assign(Tensor target, Tensor value)
    {
        if (target.Shape != value.Shape)
            throw new ArgumentException($"Assign: cannot write a tensor of shape {value.Shape} into one of shape {target.Shape}.");
        target.Backend.Unary(UnaryOp.Copy, value.Storage, target.Storage, target.Length);
    }

    /// <summary>Row-wise argmax of an (N, K) tensor: the predicted class per sample.</summary>
    public static int[] ArgMaxRows(Tensor scores)
    {
        int n = scores.Shape[0], k = scores.Length / n;
        var y = new Tensor([n], scores.Device);
        scores.Backend.Reduce(ReduceOp.ArgMax, scores.Storage, n, k, 1, y.Storage);
        return y.ToArray().Select(v => (int)v).ToArray();
    }

    /// <summary>The argument checks shared by the convolution layers; the message names the layer.</summary>
    public static void CheckConvolutionArguments(string layer, int inChannels, int outChannels, int kernelSize, int stride, int pad)
    {
        if (inChannels <= 0 || outChannels <= 0 || kernelSize <= 0)
            throw new ArgumentException($"{layer}: channels and kernel size must be positive, got C={inChannels}, OC={outChannels}, kernel={kernelSize}.");
        if (stride <= 0 || pad < 0)
            throw new ArgumentException($"{layer}: stride must be at least 1 and padding at least 0, got stride={stride}, pad={pad}.");
    }

    /// <summary>A tensor on <paramref name="device"/> from host values.</summary>
    public static Tensor Upload(Shape shape, float[] data, Device device) => new Tensor(shape, data).To(device);
}
