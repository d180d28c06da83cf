namespace CourseKit.Backends.OpenCl;

/// <summary>
/// The primitives the layers need beyond the core interface (IComputeBackend.Layers.cs): activation
/// backward, softmax along an axis and the Adam step. One work-item per element (per row for softmax).
/// </summary>
internal static class LayerKernels
{
    public static readonly OpenClSource Program = new("layers", """
        // dx = f'(x)·dy, using the input x or the output y, whichever gives the derivative more cheaply.
        __kernel void activation_backward(int op, __global const float* x, __global const float* y,
                                          __global const float* dy, __global float* dx, int length, float alpha)
        {
            int i = get_global_id(0);
            if (i >= length) return;
            float g = dy[i], v = x[i], out = y[i];
            float d;
            switch (op)
            {
                case UNARY_Relu: d = v > 0.0f ? g : 0.0f; break;
                case UNARY_LeakyRelu: d = v > 0.0f ? g : alpha * g; break;
                case UNARY_Elu: d = v > 0.0f ? g : (out + alpha) * g; break;       // d/dx α(eˣ − 1) = αeˣ = y + α
                case UNARY_Sigmoid: d = out * (1.0f - out) * g; break;              // σ' = σ(1 − σ)
                case UNARY_Tanh: d = (1.0f - out * out) * g; break;                 // tanh' = 1 − tanh²
                case UNARY_Softsign: { float s = 1.0f + fabs(v); d = g / (s * s); break; }
                case UNARY_Abs: d = sign(v) * g; break;
                default: d = NAN; break;
            }
            dx[i] = d;
        }

        // Softmax along the middle axis of (outer, axis, inner); one work-item per (outer, inner) walks its axis.
        __kernel void softmax(__global const float* x, int outer, int axis, int inner, __global float* y)
        {
            int o = get_global_id(0);
            if (o >= outer * inner) return;
            int start = (o / inner) * axis * inner + o % inner;
            // Subtracting the maximum keeps exp from overflowing; NaN propagates as on the CPU.
            float m = -INFINITY;
            for (int a = 0; a < axis; a++)
            {
                float v = x[start + a * inner];
                m = isnan(v) || isnan(m) ? NAN : fmax(m, v);
            }
            float sum = 0.0f;
            for (int a = 0; a < axis; a++)
            {
                float e = exp(x[start + a * inner] - m);
                y[start + a * inner] = e;
                sum += e;
            }
            float inv = 1.0f / sum;
            for (int a = 0; a < axis; a++) y[start + a * inner] *= inv;
        }

        // One Adam step in place; c1 = 1 − β1ᵗ and c2 = 1 − β2ᵗ are the bias corrections of step t.
        __kernel void adam_update(__global float* p, __global const float* g, __global float* m, __global float* v,
                                  int length, float lr, float beta1, float beta2, float eps, float c1, float c2)
        {
            int i = get_global_id(0);
            if (i >= length) return;
            float gi = g[i];
            float mi = beta1 * m[i] + (1.0f - beta1) * gi;
            float vi = beta2 * v[i] + (1.0f - beta2) * gi * gi;
            m[i] = mi;
            v[i] = vi;
            p[i] -= lr * (mi / c1) / (sqrt(vi / c2) + eps);
        }
        """);
}
