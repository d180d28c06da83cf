using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace CourseKit.Backends;

/// <summary>
/// Batch normalisation on host arrays (<see cref="IBatchNormalization"/>), x viewed as (N, C, L) with statistics per
/// channel. Reductions share out pieces (one channel, a run of images) over the cores and sum in double, the pieces'
/// partial sums added in a fixed order; the elementwise passes share out the N·C planes. Each pass is one read of the
/// map (two for backward), SIMD over a plane's L values. The plain loops in double (…Reference) are what the tests trust.
/// </summary>
internal static class CpuBatchNormalization
{
    /// <summary>μ_c and σ²_c (biased) of every channel, from Σ(x − K) and Σ(x − K)² in double with K a value of the channel.</summary>
    public static void Statistics(float[] x, int n, int channels, int pixels, float[] mean, float[] variance)
    {
        // shifted by one of its own values, E[(x − K)²] − E[x − K]² does not cancel away a variance small beside μ²
        var shift = new float[channels];
        for (int c = 0; c < channels; c++) shift[c] = x[c * pixels];
        var sums = ChannelSums(n, channels, pixels, (c, first, count) => ShiftedSums(x, channels, pixels, c, first, count, shift[c]));
        double m = (double)n * pixels;
        for (int c = 0; c < channels; c++)
        {
            double d = sums[2 * c] / m;
            mean[c] = (float)(shift[c] + d);
            variance[c] = (float)Math.Max(0.0, sums[2 * c + 1] / m - d * d);
        }
    }

    /// <summary>y = (x − μ)·a + β per channel with a = σ⁻¹·γ.</summary>
    public static void Forward(float[] x, int n, int channels, int pixels, float[] mean, float[] invStd, float[] gamma, float[] beta, float[] y)
    {
        var scale = new float[channels];
        for (int c = 0; c < channels; c++) scale[c] = invStd[c] * gamma[c];
        CpuElementwise.ForRanges(n * channels, pixels, (start, count) =>
        {
            for (int plane = start; plane < start + count; plane++)
            {
                int c = plane % channels;
                Normalize(x, y, plane * pixels, pixels, mean[c], scale[c], beta[c]);
            }
        });
    }

    /// <summary>
    /// Σdy and Σdy·(x − μ) per channel (pass 1), then dx = a·dy + b·(x − μ) + k per channel (pass 2): with batch statistics
    /// γσ⁻¹·(dy − Σdy/m − x̂·Σdy·x̂/m) has a = γσ⁻¹, b = −γσ⁻³·Σdy(x − μ)/m, k = −γσ⁻¹·Σdy/m; with running ones b = k = 0.
    /// </summary>
    public static void Backward(float[] dy, float[] x, int n, int channels, int pixels, float[] mean, float[] invStd, float[] gamma,
                                bool batchStatistics, float[] dx, float[] dgamma, float[] dbeta)
    {
        var sums = ChannelSums(n, channels, pixels, (c, first, count) => GradientSums(dy, x, channels, pixels, c, first, count, mean[c]));
        double m = (double)n * pixels;
        float[] a = new float[channels], b = new float[channels], k = new float[channels];
        for (int c = 0; c < channels; c++)
        {
            double sumDy = sums[2 * c], sumDyCentered = sums[2 * c + 1], s = invStd[c], g = gamma[c];
            dbeta[c] = (float)sumDy;                        // dβ = Σ dy
            dgamma[c] = (float)(s * sumDyCentered);         // dγ = Σ dy·x̂
            a[c] = (float)(g * s);
            if (batchStatistics)
            {
                b[c] = (float)(-g * s * s * s * sumDyCentered / m);
                k[c] = (float)(-g * s * sumDy / m);
            }
        }
        CpuElementwise.ForRanges(n * channels, 2L * pixels, (start, count) =>
        {
            for (int plane = start; plane < start + count; plane++)
            {
                int c = plane % channels;
                InputGradient(dy, x, dx, plane * pixels, pixels, mean[c], a[c], b[c], k[c]);
            }
        });
    }

    /// <summary>
    /// Two sums per channel, pieces of channels × parts shared over the cores; sum(c, first, count) covers images
    /// [first, first + count). Returns (S1, S2) of channel c at [2c], [2c + 1].
    /// </summary>
    private static double[] ChannelSums(int n, int channels, int pixels, Func<int, int, int, (double, double)> sum)
    {
        long work = (long)n * channels * pixels;
        // several pieces per core, so that one slow core does not hold the rest up; few channels are cut along N
        int parts = work < CpuElementwise.ParallelThreshold || CpuElementwise.Cores <= 1
            ? 1
            : Math.Clamp((4 * CpuElementwise.Cores + channels - 1) / channels, 1, n);
        var partial = new double[channels * parts * 2];
        CpuElementwise.ForRanges(channels * parts, work / (channels * parts), (start, count) =>
        {
            for (int piece = start; piece < start + count; piece++)
            {
                int c = piece / parts, p = piece % parts;
                int first = (int)((long)n * p / parts), last = (int)((long)n * (p + 1) / parts);
                (partial[2 * piece], partial[2 * piece + 1]) = sum(c, first, last - first);
            }
        });
        var sums = new double[channels * 2];
        for (int c = 0; c < channels; c++)
        for (int p = 0; p < parts; p++)
        {
            sums[2 * c] += partial[2 * (c * parts + p)];
            sums[2 * c + 1] += partial[2 * (c * parts + p) + 1];
        }
        return sums;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static (double, double) ShiftedSums(float[] x, int channels, int pixels, int c, int first, int count, float shift)
    {
        ref float xs = ref MemoryMarshal.GetArrayDataReference(x);
        int width = Vector<float>.Count;
        var k = new Vector<double>(shift);
        Vector<double> s1 = Vector<double>.Zero, s1b = Vector<double>.Zero, s2 = Vector<double>.Zero, s2b = Vector<double>.Zero;
        double t1 = 0, t2 = 0;
        for (int image = first; image < first + count; image++)
        {
            int start = (image * channels + c) * pixels, l = 0;
            for (; l <= pixels - width; l += width)
            {
                Vector.Widen(Vector.LoadUnsafe(ref xs, (nuint)(start + l)), out var lo, out var hi);
                lo -= k;
                hi -= k;
                s1 += lo;
                s1b += hi;
                s2 = Vector.FusedMultiplyAdd(lo, lo, s2);
                s2b = Vector.FusedMultiplyAdd(hi, hi, s2b);
            }
            for (; l < pixels; l++)
            {
                double d = (double)x[start + l] - shift;
                t1 += d;
                t2 += d * d;
            }
        }
        return (Vector.Sum(s1 + s1b) + t1, Vector.Sum(s2 + s2b) + t2);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Normalize(float[] x, float[] y, int start, int length, float mean, float scale, float beta)
    {
        ref float xs = ref MemoryMarshal.GetArrayDataReference(x);
        ref float ys = ref MemoryMarshal.GetArrayDataReference(y);
        int width = Vector<float>.Count, i = 0;
        Vector<float> mu = new(mean), a = new(scale), b = new(beta);
        for (; i <= length - width; i += width)
            Vector.FusedMultiplyAdd(Vector.LoadUnsafe(ref xs, (nuint)(start + i)) - mu, a, b).StoreUnsafe(ref ys, (nuint)(start + i));
        for (; i < length; i++) y[start + i] = MathF.FusedMultiplyAdd(x[start + i] - mean, scale, beta);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static (double, double) GradientSums(float[] dy, float[] x, int channels, int pixels, int c, int first, int count, float mean)
    {
        ref float gs = ref MemoryMarshal.GetArrayDataReference(dy);
        ref float xs = ref MemoryMarshal.GetArrayDataReference(x);
        int width = Vector<float>.Count;
        var mu = new Vector<float>(mean);
        Vector<double> s1 = Vector<double>.Zero, s1b = Vector<double>.Zero, s2 = Vector<double>.Zero, s2b = Vector<double>.Zero;
        double t1 = 0, t2 = 0;
        for (int image = first; image < first + count; image++)
        {
            int start = (image * channels + c) * pixels, l = 0;
            for (; l <= pixels - width; l += width)
            {
                var g = Vector.LoadUnsafe(ref gs, (nuint)(start + l));
                var product = g * (Vector.LoadUnsafe(ref xs, (nuint)(start + l)) - mu);
                Vector.Widen(g, out var lo, out var hi);
                s1 += lo;
                s1b += hi;
                Vector.Widen(product, out lo, out hi);
                s2 += lo;
                s2b += hi;
            }
            for (; l < pixels; l++)
            {
                float g = dy[start + l];
                t1 += g;
                t2 += g * (x[start + l] - mean);
            }
        }
        return (Vector.Sum(s1 + s1b) + t1, Vector.Sum(s2 + s2b) + t2);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void InputGradient(float[] dy, float[] x, float[] dx, int start, int length, float mean, float a, float b, float k)
    {
        ref float gs = ref MemoryMarshal.GetArrayDataReference(dy);
        ref float xs = ref MemoryMarshal.GetArrayDataReference(x);
        ref float ds = ref MemoryMarshal.GetArrayDataReference(dx);
        int width = Vector<float>.Count, i = 0;
        Vector<float> mu = new(mean), va = new(a), vb = new(b), vk = new(k);
        for (; i <= length - width; i += width)
        {
            nuint at = (nuint)(start + i);
            var centered = Vector.LoadUnsafe(ref xs, at) - mu;
            Vector.FusedMultiplyAdd(Vector.LoadUnsafe(ref gs, at), va, Vector.FusedMultiplyAdd(centered, vb, vk)).StoreUnsafe(ref ds, at);
        }
        for (; i < length; i++)
            dx[start + i] = MathF.FusedMultiplyAdd(dy[start + i], a, MathF.FusedMultiplyAdd(x[start + i] - mean, b, k));
    }

    // ---------------------------------------------------------------- the definitions, in double, for the tests

    /// <summary>μ = (1/m)·Σx, σ² = (1/m)·Σ(x − μ)² per channel, two passes in double.</summary>
    public static void StatisticsReference(float[] x, int n, int channels, int pixels, float[] mean, float[] variance)
    {
        for (int c = 0; c < channels; c++)
        {
            double sum = 0, squares = 0;
            for (int i = 0; i < n; i++) for (int l = 0; l < pixels; l++) sum += x[(i * channels + c) * pixels + l];
            double mu = sum / ((double)n * pixels);
            for (int i = 0; i < n; i++) for (int l = 0; l < pixels; l++) { double d = x[(i * channels + c) * pixels + l] - mu; squares += d * d; }
            mean[c] = (float)mu;
            variance[c] = (float)(squares / ((double)n * pixels));
        }
    }

    /// <summary>y = γ·x̂ + β with x̂ = (x − μ)·σ⁻¹.</summary>
    public static void ForwardReference(float[] x, int n, int channels, int pixels, float[] mean, float[] invStd, float[] gamma, float[] beta, float[] y)
    {
        for (int i = 0; i < n * channels * pixels; i++)
        {
            int c = i / pixels % channels;
            y[i] = (float)(gamma[c] * (((double)x[i] - mean[c]) * invStd[c]) + beta[c]);
        }
    }

    /// <summary>dβ = Σdy, dγ = Σdy·x̂, dx̂ = γ·dy, and dx = σ⁻¹·(dx̂ − mean(dx̂) − x̂·mean(dx̂·x̂)) (batch statistics) or σ⁻¹·dx̂.</summary>
    public static void BackwardReference(float[] dy, float[] x, int n, int channels, int pixels, float[] mean, float[] invStd, float[] gamma,
                                         bool batchStatistics, float[] dx, float[] dgamma, float[] dbeta)
    {
        double m = (double)n * pixels;
        for (int c = 0; c < channels; c++)
        {
            double sumDy = 0, sumDyXHat = 0;
            for (int i = 0; i < n; i++)
            for (int l = 0; l < pixels; l++)
            {
                int at = (i * channels + c) * pixels + l;
                sumDy += dy[at];
                sumDyXHat += dy[at] * ((x[at] - (double)mean[c]) * invStd[c]);
            }
            dbeta[c] = (float)sumDy;
            dgamma[c] = (float)sumDyXHat;
            double meanDxHat = gamma[c] * sumDy / m, meanDxHatXHat = gamma[c] * sumDyXHat / m;
            for (int i = 0; i < n; i++)
            for (int l = 0; l < pixels; l++)
            {
                int at = (i * channels + c) * pixels + l;
                double dxHat = gamma[c] * (double)dy[at], xHat = (x[at] - (double)mean[c]) * invStd[c];
                dx[at] = (float)(batchStatistics ? invStd[c] * (dxHat - meanDxHat - xHat * meanDxHatXHat) : invStd[c] * dxHat);
            }
        }
    }
}
