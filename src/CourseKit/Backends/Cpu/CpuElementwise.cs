namespace CourseKit.Backends;

/// <summary>Elementwise maps, broadcasting binaries, strided copies and axis reductions on host arrays.</summary>
internal static class CpuElementwise
{
    public static void Unary(UnaryOp op, ReadOnlySpan<float> x, Span<float> y, float alpha)
    {
        for (int i = 0; i < x.Length; i++) y[i] = Apply(op, x[i], alpha);
    }

    public static float Apply(UnaryOp op, float v, float alpha) => op switch
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
        _ => throw new ArgumentOutOfRangeException(nameof(op), op, null),
    };

    public static float Apply(BinaryOp op, float a, float b) => op switch
    {
        BinaryOp.Add => a + b,
        BinaryOp.Subtract => a - b,
        BinaryOp.Multiply => a * b,
        BinaryOp.Divide => a / b,
        BinaryOp.Maximum => MathF.Max(a, b),
        BinaryOp.Minimum => MathF.Min(a, b),
        BinaryOp.Power => MathF.Pow(a, b),
        _ => throw new ArgumentOutOfRangeException(nameof(op), op, null),
    };

    public static void BinaryScalar(BinaryOp op, ReadOnlySpan<float> a, float s, bool scalarFirst, Span<float> y)
    {
        if (scalarFirst) for (int i = 0; i < a.Length; i++) y[i] = Apply(op, s, a[i]);
        else for (int i = 0; i < a.Length; i++) y[i] = Apply(op, a[i], s);
    }

    public static void Binary(BinaryOp op, float[] a, ReadOnlySpan<int> aStrides, float[] b, ReadOnlySpan<int> bStrides,
                              float[] y, ReadOnlySpan<int> shape)
    {
        int rank = shape.Length;
        int total = 1;
        foreach (int d in shape) total *= d;
        if (total == 0) return;
        Span<int> index = stackalloc int[Math.Max(rank, 1)];
        index.Clear();
        int ai = 0, bi = 0;
        for (int i = 0; i < total; i++)
        {
            y[i] = Apply(op, a[ai], b[bi]);
            // Odometer increment over the shape, moving both read positions by their strides.
            for (int d = rank - 1; d >= 0; d--)
            {
                index[d]++;
                ai += aStrides[d];
                bi += bStrides[d];
                if (index[d] < shape[d]) break;
                ai -= aStrides[d] * shape[d];
                bi -= bStrides[d] * shape[d];
                index[d] = 0;
            }
        }
    }

    public static void StridedCopy(float[] x, int xOffset, ReadOnlySpan<int> xStrides,
                                   float[] y, int yOffset, ReadOnlySpan<int> yStrides, ReadOnlySpan<int> shape)
    {
        int rank = shape.Length;
        int total = 1;
        foreach (int d in shape) total *= d;
        if (total == 0) return;
        Span<int> index = stackalloc int[Math.Max(rank, 1)];
        index.Clear();
        int xi = xOffset, yi = yOffset;
        for (int i = 0; i < total; i++)
        {
            y[yi] = x[xi];
            for (int d = rank - 1; d >= 0; d--)
            {
                index[d]++;
                xi += xStrides[d];
                yi += yStrides[d];
                if (index[d] < shape[d]) break;
                xi -= xStrides[d] * shape[d];
                yi -= yStrides[d] * shape[d];
                index[d] = 0;
            }
        }
    }

    public static void Reduce(ReduceOp op, float[] x, int outer, int axis, int inner, float[] y)
    {
        for (int o = 0; o < outer; o++)
        {
            for (int i = 0; i < inner; i++)
            {
                int start = o * axis * inner + i;
                float acc = x[start];
                int best = 0;
                double sum = 0;
                for (int a = 0; a < axis; a++)
                {
                    float v = x[start + a * inner];
                    switch (op)
                    {
                        case ReduceOp.Sum: sum += v; break;
                        // NumPy: the first NaN wins and stays; among equal values the first wins.
                        case ReduceOp.Max or ReduceOp.ArgMax: if (!float.IsNaN(acc) && (v > acc || float.IsNaN(v))) { acc = v; best = a; } break;
                        case ReduceOp.Min or ReduceOp.ArgMin: if (!float.IsNaN(acc) && (v < acc || float.IsNaN(v))) { acc = v; best = a; } break;
                    }
                }
                y[o * inner + i] = op switch
                {
                    ReduceOp.Sum => (float)sum,
                    ReduceOp.Max or ReduceOp.Min => acc,
                    _ => best,
                };
            }
        }
    }
}
