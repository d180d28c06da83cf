namespace CourseKit.Backends.OpenCl;

/// <summary>
/// Elementwise work: unary maps, binaries with NumPy broadcasting (a stride of 0 repeats an axis),
/// binaries with a scalar, and strided copies (transpose, slices, padding). One work-item per output element;
/// shapes and strides of up to eight axes travel as <c>int8</c> arguments.
/// </summary>
internal static class ElementwiseKernels
{
    public static readonly OpenClSource Program = new("elementwise", """
        float apply_unary(int op, float v, float alpha)
        {
            switch (op)
            {
                case UNARY_Copy: return v;
                case UNARY_Negate: return -v;
                case UNARY_Abs: return fabs(v);
                case UNARY_Square: return v * v;
                case UNARY_Sqrt: return sqrt(v);
                case UNARY_Exp: return exp(v);
                case UNARY_Log: return log(v);
                case UNARY_Reciprocal: return 1.0f / v;
                case UNARY_Relu: return v > 0.0f ? v : 0.0f;
                case UNARY_LeakyRelu: return v > 0.0f ? v : alpha * v;
                case UNARY_Elu: return v > 0.0f ? v : alpha * (exp(v) - 1.0f);
                case UNARY_Sigmoid: return 1.0f / (1.0f + exp(-v));
                case UNARY_Tanh: return tanh(v);
                case UNARY_Softsign: return v / (1.0f + fabs(v));
                default: return NAN;
            }
        }

        float apply_binary(int op, float a, float b)
        {
            switch (op)
            {
                case BINARY_Add: return a + b;
                case BINARY_Subtract: return a - b;
                case BINARY_Multiply: return a * b;
                case BINARY_Divide: return a / b;
                // Like MathF.Max/Min (and NumPy's maximum/minimum): NaN wins, unlike C's fmax.
                case BINARY_Maximum: return isnan(a) || isnan(b) ? NAN : fmax(a, b);
                case BINARY_Minimum: return isnan(a) || isnan(b) ? NAN : fmin(a, b);
                case BINARY_Power: return pow(a, b);
                default: return NAN;
            }
        }

        __kernel void unary(int op, __global const float* x, __global float* y, int length, float alpha)
        {
            int i = get_global_id(0);
            if (i < length) y[i] = apply_unary(op, x[i], alpha);
        }

        __kernel void binary_scalar(int op, __global const float* a, float s, int scalarFirst, __global float* y, int length)
        {
            int i = get_global_id(0);
            if (i < length) y[i] = scalarFirst ? apply_binary(op, s, a[i]) : apply_binary(op, a[i], s);
        }

        // y (contiguous, `shape`) = a ∘ b, with a and b read through their broadcast strides.
        __kernel void binary(int op, __global const float* a, int8 aStrides, __global const float* b, int8 bStrides,
                             __global float* y, int8 shape, int rank, int total)
        {
            int i = get_global_id(0);
            if (i >= total) return;
            int s[8], as[8], bs[8];
            vstore8(shape, 0, s); vstore8(aStrides, 0, as); vstore8(bStrides, 0, bs);
            int rest = i, ai = 0, bi = 0;
            for (int d = rank - 1; d >= 0; d--)
            {
                int index = rest % s[d];
                rest /= s[d];
                ai += index * as[d];
                bi += index * bs[d];
            }
            y[i] = apply_binary(op, a[ai], b[bi]);
        }

        // y[yOffset + Σ i_d·yStrides[d]] = x[xOffset + Σ i_d·xStrides[d]]; one work-item per index of `shape`.
        __kernel void strided_copy(__global const float* x, int xOffset, int8 xStrides,
                                   __global float* y, int yOffset, int8 yStrides, int8 shape, int rank, int total)
        {
            int i = get_global_id(0);
            if (i >= total) return;
            int s[8], xs[8], ys[8];
            vstore8(shape, 0, s); vstore8(xStrides, 0, xs); vstore8(yStrides, 0, ys);
            int rest = i, xi = xOffset, yi = yOffset;
            for (int d = rank - 1; d >= 0; d--)
            {
                int index = rest % s[d];
                rest /= s[d];
                xi += index * xs[d];
                yi += index * ys[d];
            }
            y[yi] = x[xi];
        }
        """);
}
