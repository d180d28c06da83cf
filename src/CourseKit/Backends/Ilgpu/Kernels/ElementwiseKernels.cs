using ILGPU;

namespace CourseKit.Backends.Ilgpu;

/// <summary>
/// Elementwise work (lecture 2.6: on a GPU every element gets its own thread): fills, unary maps, binaries
/// with NumPy broadcasting (a stride of 0 repeats an axis), binaries with a scalar, and strided copies
/// (transpose, slices, padding). The index <c>i</c> a kernel receives is its thread's number in the launch.
/// </summary>
internal static class ElementwiseKernels
{
    /// <summary>One thread sets y[offset + i].</summary>
    public static void Fill(Index1D i, ArrayView<float> y, int offset, float value) => y[offset + i] = value;

    /// <summary>One thread computes y[i] = f(x[i]).</summary>
    public static void Unary(Index1D i, ArrayView<float> x, ArrayView<float> y, int op, float alpha) =>
        y[i] = ApplyUnary((UnaryOp)op, x[i], alpha);

    /// <summary>One thread computes y[i] = a[i] ∘ s (or s ∘ a[i]).</summary>
    public static void BinaryScalar(Index1D i, ArrayView<float> a, ArrayView<float> y, int op, float s, int scalarFirst) =>
        y[i] = scalarFirst != 0 ? ApplyBinary((BinaryOp)op, s, a[i]) : ApplyBinary((BinaryOp)op, a[i], s);

    /// <summary>One thread computes the output element y[i] = a[·] ∘ b[·], finding a's and b's element from i's index per axis.</summary>
    public static void Binary(Index1D i, ArrayView<float> a, ArrayView<float> b, ArrayView<float> y, int op,
                              Axes8 shape, Axes8 aStrides, Axes8 bStrides)
    {
        int rest = i, ai = 0, bi = 0;
        for (int d = shape.Rank - 1; d >= 0; d--)
        {
            int index = rest % shape[d];
            rest /= shape[d];
            ai += index * aStrides[d];
            bi += index * bStrides[d];
        }
        y[i] = ApplyBinary((BinaryOp)op, a[ai], b[bi]);
    }

    /// <summary>One thread copies one element: index i of <c>shape</c> from x's strided place to y's.</summary>
    public static void StridedCopy(Index1D i, ArrayView<float> x, int xOffset, Axes8 xStrides,
                                   ArrayView<float> y, int yOffset, Axes8 yStrides, Axes8 shape)
    {
        int rest = i, xi = xOffset, yi = yOffset;
        for (int d = shape.Rank - 1; d >= 0; d--)
        {
            int index = rest % shape[d];
            rest /= shape[d];
            xi += index * xStrides[d];
            yi += index * yStrides[d];
        }
        y[yi] = x[xi];
    }

    internal static float ApplyUnary(UnaryOp op, float v, float alpha) => op switch
    {
        UnaryOp.Copy => v,
        UnaryOp.Negate => -v,
        UnaryOp.Abs => MathF.Abs(v),
        UnaryOp.Square => v * v,
        UnaryOp.Sqrt => MathF.Sqrt(v),
        UnaryOp.Exp => MathF.Exp(v),
        UnaryOp.Log => MathF.Log(v),
        UnaryOp.Reciprocal => 1f / v,
        UnaryOp.Relu => v > 0f ? v : 0f,
        UnaryOp.LeakyRelu => v > 0f ? v : alpha * v,
        UnaryOp.Elu => v > 0f ? v : alpha * (MathF.Exp(v) - 1f),
        UnaryOp.Sigmoid => 1f / (1f + MathF.Exp(-v)),
        UnaryOp.Tanh => MathF.Tanh(v),
        UnaryOp.Softsign => v / (1f + MathF.Abs(v)),
        _ => float.NaN,
    };

    internal static float ApplyBinary(BinaryOp op, float a, float b) => op switch
    {
        BinaryOp.Add => a + b,
        BinaryOp.Subtract => a - b,
        BinaryOp.Multiply => a * b,
        BinaryOp.Divide => a / b,
        // Like MathF.Max/Min on the CPU (and NumPy's maximum/minimum): NaN wins.
        BinaryOp.Maximum => float.IsNaN(a) || float.IsNaN(b) ? float.NaN : a > b ? a : b,
        BinaryOp.Minimum => float.IsNaN(a) || float.IsNaN(b) ? float.NaN : a < b ? a : b,
        BinaryOp.Power => MathF.Pow(a, b),
        _ => float.NaN,
    };
}

/// <summary>
/// Up to eight sizes or strides, passed to a kernel by value (a kernel cannot take a managed array).
/// <see cref="Rank"/> says how many are in use.
/// </summary>
internal struct Axes8
{
    public const int MaxRank = 8;
    public int Rank;
    public int A0, A1, A2, A3, A4, A5, A6, A7;

    public readonly int this[int d] => d switch { 0 => A0, 1 => A1, 2 => A2, 3 => A3, 4 => A4, 5 => A5, 6 => A6, _ => A7 };

    public static Axes8 From(ReadOnlySpan<int> values)
    {
        if (values.Length > MaxRank) throw new ArgumentException($"at most {MaxRank} axes fit a kernel argument, got {values.Length}");
        Span<int> all = stackalloc int[MaxRank];
        values.CopyTo(all);
        return new Axes8 { Rank = values.Length, A0 = all[0], A1 = all[1], A2 = all[2], A3 = all[3], A4 = all[4], A5 = all[5], A6 = all[6], A7 = all[7] };
    }
}
