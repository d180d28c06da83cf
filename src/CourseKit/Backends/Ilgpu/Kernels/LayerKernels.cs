using ILGPU;

namespace CourseKit.Backends.Ilgpu;

/// <summary>
/// The primitives the layers need beyond the core interface (IComputeBackend.Layers.cs): activation backward,
/// softmax along an axis and the Adam step. One thread per element (per softmax row).
/// </summary>
internal static class LayerKernels
{
    /// <summary>One thread computes dx[i] = f'(x[i])·dy[i], from the input x or the output y, whichever is cheaper.</summary>
    public static void ActivationBackward(Index1D i, ArrayView<float> x, ArrayView<float> y, ArrayView<float> dy, ArrayView<float> dx, int op, float alpha)
    {
        float g = dy[i], v = x[i], output = y[i];
        dx[i] = (UnaryOp)op switch
        {
            UnaryOp.Relu => v > 0f ? g : 0f,
            UnaryOp.LeakyRelu => v > 0f ? g : alpha * g,
            UnaryOp.Elu => v > 0f ? g : (output + alpha) * g,              // d/dx α(eˣ − 1) = αeˣ = y + α
            UnaryOp.Sigmoid => output * (1f - output) * g,                 // σ' = σ(1 − σ)
            UnaryOp.Tanh => (1f - output * output) * g,                    // tanh' = 1 − tanh²
            UnaryOp.Softsign => g / ((1f + MathF.Abs(v)) * (1f + MathF.Abs(v))),
            UnaryOp.Abs => (v > 0f ? 1f : v < 0f ? -1f : 0f) * g,
            _ => float.NaN,
        };
    }

    /// <summary>One thread computes the softmax of one row (outer index, inner index) along the middle axis.</summary>
    public static void Softmax(Index1D o, ArrayView<float> x, ArrayView<float> y, int axis, int inner)
    {
        int start = o / inner * axis * inner + o % inner;
        // Subtracting the maximum keeps exp from overflowing; NaN propagates as on the CPU.
        float m = float.NegativeInfinity;
        for (int a = 0; a < axis; a++)
        {
            float v = x[start + a * inner];
            m = float.IsNaN(v) || float.IsNaN(m) ? float.NaN : v > m ? v : m;
        }
        float sum = 0f;
        for (int a = 0; a < axis; a++)
        {
            float e = MathF.Exp(x[start + a * inner] - m);
            y[start + a * inner] = e;
            sum += e;
        }
        float inverse = 1f / sum;
        for (int a = 0; a < axis; a++) y[start + a * inner] *= inverse;
    }

    /// <summary>One thread updates one parameter p[i] with its moments m[i], v[i] (one Adam step).</summary>
    public static void AdamUpdate(Index1D i, ArrayView<float> p, ArrayView<float> g, ArrayView<float> m, ArrayView<float> v, AdamStep s)
    {
        float gi = g[i];
        float mi = s.Beta1 * m[i] + (1f - s.Beta1) * gi;
        float vi = s.Beta2 * v[i] + (1f - s.Beta2) * gi * gi;
        m[i] = mi;
        v[i] = vi;
        p[i] -= s.LearningRate * (mi / s.C1) / (MathF.Sqrt(vi / s.C2) + s.Eps);
    }
}

/// <summary>The numbers of one Adam step; c1 = 1 − β1ᵗ and c2 = 1 − β2ᵗ are the bias corrections of step t.</summary>
internal readonly record struct AdamStep(float LearningRate, float Beta1, float Beta2, float Eps, float C1, float C2);
