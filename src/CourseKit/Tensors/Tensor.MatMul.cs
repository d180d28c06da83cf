namespace CourseKit;

/// <summary>Matrix products, always through the backend's GEMM (never a loop over elements here).</summary>
public sealed partial class Tensor
{
    /// <summary>
    /// NumPy's <c>a @ b</c>: (m, k)·(k, n) → (m, n); a 1-D operand is a vector ((k,)·(k, n) → (n,), (m, k)·(k,) → (m,));
    /// stacks of matrices multiply pairwise ((B, m, k)·(B, k, n) → (B, m, n)), and a stack times one matrix
    /// is one large product ((B, m, k)·(k, n) → (B, m, n)).
    /// </summary>
    public static Tensor MatMul(Tensor a, Tensor b)
    {
        SameDevice("MatMul", a, b);
        if (a.Rank == 0 || b.Rank == 0)
            throw new ArgumentException($"MatMul: shapes {a.Shape} and {b.Shape}: both operands need at least one axis (use * to scale by a number).");
        if (a.Rank == 1 && b.Rank == 1) return Dot(a, b);
        if (a.Rank == 1) return MatMul(a.Reshape(1, -1), b, "MatMul", a, b).Reshape(ShapeWithout(b.Shape, b.Rank - 2));
        if (b.Rank == 1) return MatMul(a, b.Reshape(-1, 1), "MatMul", a, b).Reshape(ShapeWithout(a.Shape, a.Rank - 1));
        return MatMul(a, b, "MatMul", a, b);
    }

    /// <summary>This matrix times <paramref name="other"/>: <c>x.MatMul(w)</c>.</summary>
    public Tensor MatMul(Tensor other) => MatMul(this, other);

    /// <summary>
    /// op(a)·op(b) for two matrices, where op transposes when asked, without copying the transpose
    /// (the backward passes need Xᵀ·dY and dY·Wᵀ, lecture 2.1).
    /// </summary>
    public static Tensor MatMul(Tensor a, Tensor b, bool transposeA, bool transposeB)
    {
        SameDevice("MatMul", a, b);
        if (a.Rank != 2 || b.Rank != 2)
            throw new ArgumentException($"MatMul with transposes takes two matrices, but got shapes {a.Shape} and {b.Shape}.");
        int m = transposeA ? a.dims[1] : a.dims[0], k = transposeA ? a.dims[0] : a.dims[1];
        int kb = transposeB ? b.dims[1] : b.dims[0], n = transposeB ? b.dims[0] : b.dims[1];
        if (k != kb)
            throw new ArgumentException(
                $"MatMul: {(transposeA ? "aᵀ" : "a")} is {m}×{k} and {(transposeB ? "bᵀ" : "b")} is {kb}×{n} (shapes {a.Shape} and {b.Shape}); the inner sizes {k} and {kb} must be equal.");
        var y = new Tensor([m, n], a.Device);
        if (m * n == 0) return y;
        a.Backend.Gemm(transposeA, transposeB, m, n, k, 1f, a.Storage, 0, a.dims[1], b.Storage, 0, b.dims[1], 0f, y.Storage, 0, n);
        return y;
    }

    /// <summary>Inner product of two vectors of the same length, as a 0-d tensor.</summary>
    public static Tensor Dot(Tensor a, Tensor b)
    {
        SameDevice("Dot", a, b);
        if (a.Rank != 1 || b.Rank != 1 || a.Length != b.Length)
            throw new ArgumentException($"Dot takes two vectors of the same length, but got shapes {a.Shape} and {b.Shape}.");
        var y = new Tensor([], a.Device);
        if (a.Length > 0) a.Backend.Gemm(false, false, 1, 1, a.Length, 1f, a.Storage, 0, a.Length, b.Storage, 0, 1, 0f, y.Storage, 0, 1);
        return y;
    }

    /// <summary>Both operands have rank ≥ 2 here; <paramref name="originalA"/>/<paramref name="originalB"/> are for the message.</summary>
    private static Tensor MatMul(Tensor a, Tensor b, string operation, Tensor originalA, Tensor originalB)
    {
        int m = a.dims[^2], k = a.dims[^1], kb = b.dims[^2], n = b.dims[^1];
        if (k != kb)
            throw new ArgumentException(
                $"{operation}: shapes {originalA.Shape} and {originalB.Shape} do not fit: a is …×{m}×{k}, b is …×{kb}×{n}, and the inner sizes {k} and {kb} must be equal.");
        if (b.Rank == 2)
        {
            // A stack of matrices times one matrix is one tall product: (B·m, k)·(k, n).
            var outShape = a.Shape.ToArray();
            outShape[^1] = n;
            var y = new Tensor(outShape, a.Device);
            if (y.Length == 0 || k == 0) return y; // an empty sum is 0
            int rows = a.Length / k;
            a.Backend.Gemm(false, false, rows, n, k, 1f, a.Storage, 0, k, b.Storage, 0, n, 0f, y.Storage, 0, n);
            return y;
        }
        var batchA = a.dims[..^2];
        var batchB = b.dims[..^2];
        if (a.Rank != 2 && !batchA.AsSpan().SequenceEqual(batchB))
            throw new ArgumentException(
                $"{operation}: shapes {originalA.Shape} and {originalB.Shape}: the stacks {Shape.Format(batchA)} and {Shape.Format(batchB)} must be equal (or one operand a single matrix).");
        var shape = batchB.Append(m).Append(n).ToArray();
        var result = new Tensor(shape, a.Device);
        int batches = batchB.Aggregate(1, (p, d) => p * d);
        if (result.Length == 0 || k == 0) return result;
        int strideA = a.Rank == 2 ? 0 : m * k;
        // One GEMM per matrix of the stack, each at its offset in the storages.
        for (int i = 0; i < batches; i++)
            a.Backend.Gemm(false, false, m, n, k, 1f, a.Storage, i * strideA, k, b.Storage, i * k * n, n, 0f, result.Storage, i * m * n, n);
        return result;
    }

    private static int[] ShapeWithout(Shape shape, int axis)
    {
        var list = shape.ToList();
        list.RemoveAt(axis);
        return list.ToArray();
    }
}
