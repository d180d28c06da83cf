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

    /// <summary>y = a + b for tensors of one shape, into <paramref name="y"/> (which may be a or b).</summary>
    public static void AddInto(Tensor a, Tensor b, Tensor y)
    {
        if (a.Shape != b.Shape || a.Shape != y.Shape)
            throw new ArgumentException($"AddInto: shapes {a.Shape}, {b.Shape} and {y.Shape} must agree.");
        var strides = a.Shape.Strides();
        a.Backend.Binary(BinaryOp.Add, a.Storage, strides, b.Storage, strides, y.Storage, a.Shape.ToArray());
    }

    /// <summary>
    /// target[...] = source with NumPy broadcasting (NumPy's <c>np.copyto(target, source)</c>), e.g. a bias b (K) into
    /// every row of an (N, K) output, or b.Reshape(C, 1, 1) into every channel of an (N, C, H, W) one.
    /// </summary>
    public static void CopyBroadcast(Tensor source, Tensor target)
    {
        Tensor.SameDevice("CopyBroadcast", source, target);
        int[] shape = target.Shape.ToArray();
        if (!Tensor.BroadcastShape(source.Shape, target.Shape).AsSpan().SequenceEqual(shape))
            throw new ArgumentException($"CopyBroadcast: a tensor of shape {source.Shape} does not broadcast to {target.Shape}.");
        target.Backend.StridedCopy(source.Storage, 0, Tensor.BroadcastStrides(source.Shape, shape), target.Storage, 0, target.Shape.Strides(), shape);
    }

    /// <summary>
    /// y = op(a)·op(b) + beta·y for matrices, into an existing y (any shape holding m·n elements, read as m×n): one GEMM
    /// and no new tensor. With beta = 1 the product is added onto what y holds, e.g. bias rows.
    /// </summary>
    public static void MatMul(Tensor a, Tensor b, Tensor y, bool transposeA = false, bool transposeB = false, float beta = 0f)
    {
        Tensor.SameDevice("MatMul", a, b);
        Tensor.SameDevice("MatMul", a, y);
        if (a.Rank != 2 || b.Rank != 2) throw new ArgumentException($"MatMul: needs two matrices, got shapes {a.Shape} and {b.Shape}.");
        int m = transposeA ? a.Shape[1] : a.Shape[0], k = transposeA ? a.Shape[0] : a.Shape[1];
        int kb = transposeB ? b.Shape[1] : b.Shape[0], n = transposeB ? b.Shape[0] : b.Shape[1];
        if (k != kb || y.Length != m * n)
            throw new ArgumentException($"MatMul: op(a) is {m}×{k} and op(b) is {kb}×{n}; the inner sizes must agree and y ({y.Shape}) must hold {m}×{n}.");
        if (y.Length == 0) return;
        a.Backend.Gemm(transposeA, transposeB, m, n, k, 1f, a.Storage, 0, a.Shape[1], b.Storage, 0, b.Shape[1], beta, y.Storage, 0, n);
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
    public static void CheckConvolutionArguments(string layer, int inChannels, int outChannels, int kernelSize, int stride, int pad) =>
        CheckConvolutionArguments(layer, inChannels, outChannels, kernelSize, (stride, stride), (pad, pad));

    /// <summary>The same with stride and padding per axis; the message names the axis at fault.</summary>
    public static void CheckConvolutionArguments(string layer, int inChannels, int outChannels, int kernelSize, (int H, int W) stride, (int H, int W) pad)
    {
        if (inChannels <= 0 || outChannels <= 0 || kernelSize <= 0)
            throw new ArgumentException($"{layer}: channels and kernel size must be positive, got C={inChannels}, OC={outChannels}, kernel={kernelSize}.");
        if (stride == (stride.W, stride.W) && pad == (pad.W, pad.W))
        {
            if (stride.H <= 0 || pad.H < 0)
                throw new ArgumentException($"{layer}: stride must be at least 1 and padding at least 0, got stride={stride.H}, pad={pad.H}.");
            return;
        }
        if (stride.H <= 0 || stride.W <= 0 || pad.H < 0 || pad.W < 0)
            throw new ArgumentException(
                $"{layer}: stride must be at least 1 and padding at least 0 along each axis, got stride=(SH, SW)=({stride.H}, {stride.W}), " +
                $"pad=(PH, PW)=({pad.H}, {pad.W}).");
    }

    /// <summary>A tensor on <paramref name="device"/> from host values.</summary>
    public static Tensor Upload(Shape shape, float[] data, Device device) => new Tensor(shape, data).To(device);
}
