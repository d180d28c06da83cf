using CourseKit.Backends;

namespace CourseKit.Layers;

/// <summary>
/// The few tensor helpers the layers share, each a single backend call (so layers stay device-neutral).
/// </summary>
internal static class LayerMath
{
    /// <summary>op(A)·op(B) for 2-D tensors through the backend GEMM.</summary>
    public static Tensor MatMul(Tensor a, Tensor b, bool transA = false, bool transB = false, string operation = "MatMul")
    {
        if (a.Rank != 2 || b.Rank != 2)
            throw new ArgumentException($"{operation}: needs two matrices, got shapes {a.Shape} and {b.Shape}.");
        int m = transA ? a.Shape[1] : a.Shape[0], k = transA ? a.Shape[0] : a.Shape[1];
        int kb = transB ? b.Shape[1] : b.Shape[0], n = transB ? b.Shape[0] : b.Shape[1];
        if (k != kb)
            throw new ArgumentException($"{operation}: inner sizes differ: {(transA ? "Aᵀ" : "A")} is ({m}, {k}) and {(transB ? "Bᵀ" : "B")} is ({kb}, {n}).");
        Tensor.SameDevice(operation, a, b);
        var c = new Tensor([m, n], a.Device);
        a.Backend.Gemm(transA, transB, m, n, k, 1f, a.Storage, 0, a.Shape[1], b.Storage, 0, b.Shape[1], 0f, c.Storage, 0, n);
        return c;
    }

    /// <summary>Sums x viewed as (outer, axis, inner) over the middle axis: result (outer, inner) as a flat tensor of that many elements.</summary>
    public static Tensor SumAxis(Tensor x, int outer, int axis, int inner)
    {
        var y = new Tensor([outer * inner], x.Device);
        x.Backend.Reduce(ReduceOp.Sum, x.Storage, outer, axis, inner, y.Storage);
        return y;
    }

    /// <summary>Sums over everything but axis 1 of an (N, C, …) tensor: the per-channel (or per-feature) total, shape (C).</summary>
    public static Tensor SumPerChannel(Tensor x)
    {
        int n = x.Shape[0], c = x.Shape[1], rest = x.Length / Math.Max(1, n * c);
        var overBatch = SumAxis(x, 1, n, c * rest);   // (C·rest)
        return SumAxis(overBatch, c, rest, 1);         // (C)
    }

    /// <summary>The sum of all elements as a number on the host.</summary>
    public static float Sum(Tensor x) => SumAxis(x, 1, x.Length, 1).Item();

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

    /// <summary>A tensor on <paramref name="device"/> from host values.</summary>
    public static Tensor Upload(Shape shape, float[] data, Device device) => new Tensor(shape, data).To(device);
}
