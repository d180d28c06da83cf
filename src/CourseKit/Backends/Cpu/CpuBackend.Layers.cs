using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace CourseKit.Backends;

public sealed partial class CpuBackend
{
    public void ActivationBackward(UnaryOp op, TensorStorage x, TensorStorage y, TensorStorage dy, TensorStorage dx, int length, float alpha = 0f)
    {
        var xs = Host(x).AsSpan(0, length);
        var ys = Host(y).AsSpan(0, length);
        var g = Host(dy).AsSpan(0, length);
        var d = Host(dx).AsSpan(0, length);
        switch (op)
        {
            case UnaryOp.Relu:
                float[] xa = Host(x), ga = Host(dy), da = Host(dx);
                CpuElementwise.ForRanges(length, 1, (start, count) => ReluBackward(xa.AsSpan(start, count), ga.AsSpan(start, count), da.AsSpan(start, count)));
                break;
            case UnaryOp.LeakyRelu: for (int i = 0; i < length; i++) d[i] = xs[i] > 0f ? g[i] : alpha * g[i]; break;
            case UnaryOp.Elu: for (int i = 0; i < length; i++) d[i] = xs[i] > 0f ? g[i] : (ys[i] + alpha) * g[i]; break;
            case UnaryOp.Sigmoid: for (int i = 0; i < length; i++) d[i] = ys[i] * (1f - ys[i]) * g[i]; break;
            case UnaryOp.Tanh: for (int i = 0; i < length; i++) d[i] = (1f - ys[i] * ys[i]) * g[i]; break;
            case UnaryOp.Softsign:
                for (int i = 0; i < length; i++) { float s = 1f + MathF.Abs(xs[i]); d[i] = g[i] / (s * s); }
                break;
            case UnaryOp.Abs: for (int i = 0; i < length; i++) d[i] = MathF.Sign(xs[i]) * g[i]; break;
            default: throw new NotSupportedException($"ActivationBackward: no derivative is defined for {op}.");
        }
    }

    // The hot one in CNN training: SIMD select, then the scalar rule for the tail (large arrays on both cores).
    // Compiled optimized at once, as is Adam below: they run on every mini-batch, so the tiered JIT would run them
    // unoptimized for much of a first epoch.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ReluBackward(ReadOnlySpan<float> x, ReadOnlySpan<float> dy, Span<float> dx)
    {
        ref float xs = ref MemoryMarshal.GetReference(x);
        ref float gs = ref MemoryMarshal.GetReference(dy);
        ref float ds = ref MemoryMarshal.GetReference(dx);
        int width = Vector<float>.Count, i = 0;
        for (; i <= x.Length - width; i += width)
        {
            var positive = Vector.GreaterThan(Vector.LoadUnsafe(ref xs, (nuint)i), Vector<float>.Zero);
            Vector.ConditionalSelect(positive, Vector.LoadUnsafe(ref gs, (nuint)i), Vector<float>.Zero).StoreUnsafe(ref ds, (nuint)i);
        }
        for (; i < x.Length; i++) dx[i] = x[i] > 0f ? dy[i] : 0f;
    }

    public void Softmax(TensorStorage x, int outer, int axis, int inner, TensorStorage y)
    {
        float[] xs = Host(x), ys = Host(y);
        for (int o = 0; o < outer; o++)
        for (int i = 0; i < inner; i++)
        {
            int start = o * axis * inner + i;
            float max = float.NegativeInfinity;
            for (int a = 0; a < axis; a++) max = MathF.Max(max, xs[start + a * inner]);
            float sum = 0f;
            for (int a = 0; a < axis; a++)
            {
                float e = MathF.Exp(xs[start + a * inner] - max);
                ys[start + a * inner] = e;
                sum += e;
            }
            float inv = 1f / sum;
            for (int a = 0; a < axis; a++) ys[start + a * inner] *= inv;
        }
    }

    public void AdamUpdate(TensorStorage param, TensorStorage grad, TensorStorage m, TensorStorage v, int length,
                           float lr, float beta1, float beta2, float eps, float c1, float c2)
    {
        float[] p = Host(param), g = Host(grad), ms = Host(m), vs = Host(v);
        // One pass reads g, m, v and p once and writes m, v and p (W of the first Affine layer alone is 432,000 floats);
        // a division and a square root per element make it worth both cores.
        CpuElementwise.ForRanges(length, 4, (start, count) =>
            AdamRun(p.AsSpan(start, count), g.AsSpan(start, count), ms.AsSpan(start, count), vs.AsSpan(start, count), lr, beta1, beta2, eps, c1, c2));
    }

    // The formula in SIMD, then element by element for the tail; both round exactly alike (same operations, same order).
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void AdamRun(Span<float> p, ReadOnlySpan<float> g, Span<float> m, Span<float> v,
                                float lr, float beta1, float beta2, float eps, float c1, float c2)
    {
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            Vector<float> b1 = new(beta1), b2 = new(beta2), a1 = new(1f - beta1), a2 = new(1f - beta2);
            Vector<float> rate = new(lr), e = new(eps), d1 = new(c1), d2 = new(c2);
            for (; i <= p.Length - Vector<float>.Count; i += Vector<float>.Count)
            {
                var gi = new Vector<float>(g[i..]);
                var mi = b1 * new Vector<float>(m[i..]) + a1 * gi;
                var vi = b2 * new Vector<float>(v[i..]) + a2 * gi * gi;
                mi.CopyTo(m[i..]);
                vi.CopyTo(v[i..]);
                (new Vector<float>(p[i..]) - rate * (mi / d1) / (Vector.SquareRoot(vi / d2) + e)).CopyTo(p[i..]);
            }
        }
        for (; i < p.Length; i++)
        {
            m[i] = beta1 * m[i] + (1f - beta1) * g[i];
            v[i] = beta2 * v[i] + (1f - beta2) * g[i] * g[i];
            p[i] -= lr * (m[i] / c1) / (MathF.Sqrt(v[i] / c2) + eps);
        }
    }
}
