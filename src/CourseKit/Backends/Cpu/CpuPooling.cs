using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace CourseKit.Backends;

/// <summary>
/// Pooling kernels on the host, one (n, c) plane at a time (pooling is per channel, lecture 1.5): planes are
/// independent, so large inputs use both cores. The common 2×2 frame with stride 2 and no padding has its own loop
/// (four loads, no bounds checks); other frames clip each frame to the image once instead of testing every cell.
/// The <c>...Reference</c> methods are the plain loops the tests compare them with.
/// Padding counts as zeros, as in the lecture's X-tilde (so a padded cell can be the maximum; its gradient is dropped).
/// </summary>
internal static class CpuPooling
{
    // Below this many input elements one thread is faster than waking the second core.
    private const int ParallelThreshold = 1 << 15;

    // A plane is often small (24×24 in the MNIST network), so each task takes a run of planes: one task per plane
    // would spend more on scheduling than on pooling.
    private static void ForEachPlane(PoolingGeometry g, Action<int> body)
    {
        int planes = g.N * g.C;
        if ((long)planes * g.H * g.W < ParallelThreshold || planes == 1)
        {
            for (int p = 0; p < planes; p++) body(p);
            return;
        }
        int tasks = Math.Min(planes, 4 * Environment.ProcessorCount), per = (planes + tasks - 1) / tasks;
        Parallel.For(0, (planes + per - 1) / per, t =>
        {
            for (int p = t * per, end = Math.Min(planes, p + per); p < end; p++) body(p);
        });
    }

    private static bool IsTwoByTwo(PoolingGeometry g) => g is { PH: 2, PW: 2, Stride: 2, Pad: 0 };

    public static void MaxForward(float[] x, PoolingGeometry g, float[] y, float[] argmax) => ForEachPlane(g, plane => MaxForwardPlane(x, g, y, argmax, plane));

    // Compiled optimized at once: a notebook cell may call it only a few times.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void MaxForwardPlane(float[] x, PoolingGeometry g, float[] y, float[] argmax, int plane)
    {
        int oh = g.OH, ow = g.OW, H = g.H, W = g.W;
        var xs = new ReadOnlySpan<float>(x, plane * H * W, H * W);
        var ys = new Span<float>(y, plane * oh * ow, oh * ow);
        var am = new Span<float>(argmax, plane * oh * ow, oh * ow);
        if (IsTwoByTwo(g))
        {
            for (int i = 0; i < oh; i++)
            {
                var top = xs.Slice(2 * i * W, W);
                var bottom = xs.Slice((2 * i + 1) * W, W);
                int j = Avx2.IsSupported ? MaxTwoByTwoEight(top, bottom, ys.Slice(i * ow, ow), am.Slice(i * ow, ow)) : 0;
                for (; j < ow; j++)
                {
                    float a = top[2 * j], b = top[2 * j + 1], c = bottom[2 * j], d = bottom[2 * j + 1];
                    // A tournament built from compares and integer selects, not jumps (random data defeats branch
                    // prediction). Strict '>' keeps the left one on ties, so the first maximum wins, as in the reference.
                    int kTop = b > a ? 1 : 0, kBottom = d > c ? 3 : 2;
                    int k = float.MaxNative(c, d) > float.MaxNative(a, b) ? kBottom : kTop; // MaxNative: the maxss instruction
                    ys[i * ow + j] = xs[(2 * i + (k >> 1)) * W + 2 * j + (k & 1)];
                    am[i * ow + j] = k;
                }
            }
            return;
        }
        for (int i = 0; i < oh; i++)
        for (int j = 0; j < ow; j++)
        {
            int h0 = i * g.Stride - g.Pad, w0 = j * g.Stride - g.Pad;
            // The part of the frame inside the image: rows [ph0, ph1), columns [pw0, pw1).
            int ph0 = Math.Max(0, -h0), ph1 = Math.Min(g.PH, H - h0), pw0 = Math.Max(0, -w0), pw1 = Math.Min(g.PW, W - w0);
            bool inside = ph0 < ph1 && pw0 < pw1;
            // Starting from −∞ at the first inside cell, strict '>' keeps the first maximum, as in the reference.
            float best = float.NegativeInfinity; int bestIndex = ph0 * g.PW + pw0;
            for (int ph = ph0; ph < ph1; ph++)
            {
                var line = xs.Slice((h0 + ph) * W, W);
                for (int pw = pw0; pw < pw1; pw++)
                    if (line[w0 + pw] > best) { best = line[w0 + pw]; bestIndex = ph * g.PW + pw; }
            }
            if (ph0 > 0 || pw0 > 0 || ph1 < g.PH || pw1 < g.PW)
            {
                // The frame also covers padded zeros: the first of them wins if it comes before an equal maximum.
                int k = FirstPaddedCell(ph0, ph1, pw0, pw1, g.PW);
                if (!inside || best < 0f || (best == 0f && k < bestIndex)) { best = 0f; bestIndex = k; }
            }
            ys[i * ow + j] = best;
            am[i * ow + j] = bestIndex;
        }
    }

    /// <summary>
    /// The 2×2 tournament above on eight frames at a time, as long as eight whole frames are left in the row pair;
    /// returns how many outputs it wrote. The even and odd columns are split apart with in-lane shuffles, which leave
    /// the frames in the order 0 1 4 5 2 3 6 7; one 64-bit permute at the end puts them back.
    /// </summary>
    private static int MaxTwoByTwoEight(ReadOnlySpan<float> top, ReadOnlySpan<float> bottom, Span<float> y, Span<float> argmax)
    {
        const byte Even = 0b10_00_10_00, Odd = 0b11_01_11_01, Unscramble = 0b11_01_10_00;
        var (zero, one, two, three) = (Vector256<float>.Zero, Vector256.Create(1f), Vector256.Create(2f), Vector256.Create(3f));
        int j = 0;
        for (; j + 8 <= y.Length; j += 8)
        {
            Vector256<float> t0 = Vector256.Create(top.Slice(2 * j, 8)), t1 = Vector256.Create(top.Slice(2 * j + 8, 8));
            Vector256<float> b0 = Vector256.Create(bottom.Slice(2 * j, 8)), b1 = Vector256.Create(bottom.Slice(2 * j + 8, 8));
            Vector256<float> a = Avx.Shuffle(t0, t1, Even), b = Avx.Shuffle(t0, t1, Odd);
            Vector256<float> c = Avx.Shuffle(b0, b1, Even), d = Avx.Shuffle(b0, b1, Odd);
            var right = Vector256.GreaterThan(b, a);      // strict: on ties the earlier cell wins
            var lowerRight = Vector256.GreaterThan(d, c);
            var upper = Vector256.ConditionalSelect(right, b, a);
            var lower = Vector256.ConditionalSelect(lowerRight, d, c);
            var below = Vector256.GreaterThan(lower, upper);
            var best = Vector256.ConditionalSelect(below, lower, upper);
            var k = Vector256.ConditionalSelect(below, Vector256.ConditionalSelect(lowerRight, three, two),
                                                       Vector256.ConditionalSelect(right, one, zero));
            Avx2.Permute4x64(best.AsDouble(), Unscramble).AsSingle().CopyTo(y.Slice(j, 8));
            Avx2.Permute4x64(k.AsDouble(), Unscramble).AsSingle().CopyTo(argmax.Slice(j, 8));
        }
        return j;
    }

    /// <summary>
    /// The 2×2 backward above on eight frames at a time; returns how many it did. Each of the four cells gets dy where
    /// it was the argmax, else zero; in-lane unpacks interleave the even and odd cells of a row two frames at a time,
    /// and 128-bit permutes put the halves in order.
    /// </summary>
    private static int RouteTwoByTwoEight(ReadOnlySpan<float> dy, ReadOnlySpan<float> argmax, Span<float> top, Span<float> bottom)
    {
        var (zero, one, two, three) = (Vector256<float>.Zero, Vector256.Create(1f), Vector256.Create(2f), Vector256.Create(3f));
        int j = 0;
        for (; j + 8 <= dy.Length; j += 8)
        {
            Vector256<float> d = Vector256.Create(dy.Slice(j, 8)), k = Vector256.Create(argmax.Slice(j, 8));
            Interleave(Vector256.ConditionalSelect(Vector256.Equals(k, zero), d, zero),
                       Vector256.ConditionalSelect(Vector256.Equals(k, one), d, zero), top.Slice(2 * j, 16));
            Interleave(Vector256.ConditionalSelect(Vector256.Equals(k, two), d, zero),
                       Vector256.ConditionalSelect(Vector256.Equals(k, three), d, zero), bottom.Slice(2 * j, 16));
        }
        return j;

        static void Interleave(Vector256<float> even, Vector256<float> odd, Span<float> row)
        {
            Vector256<float> low = Avx.UnpackLow(even, odd), high = Avx.UnpackHigh(even, odd); // frames 0 1 | 4 5, 2 3 | 6 7
            Avx.Permute2x128(low, high, 0x20).CopyTo(row);
            Avx.Permute2x128(low, high, 0x31).CopyTo(row[8..]);
        }
    }

    // The first cell (in ph·PW + pw order) of a frame that lies outside the inside part [ph0, ph1) × [pw0, pw1).
    private static int FirstPaddedCell(int ph0, int ph1, int pw0, int pw1, int pwCount)
    {
        if (ph0 > 0 || pw0 > 0 || ph1 <= ph0 || pw1 <= pw0) return 0; // cell (0, 0) is outside
        return pw1 < pwCount ? pw1 : ph1 * pwCount;                    // end of row 0, or the first row below the image
    }

    public static void MaxBackward(float[] dy, float[] argmax, PoolingGeometry g, float[] dx) => ForEachPlane(g, plane => MaxBackwardPlane(dy, argmax, g, dx, plane));

    // Compiled optimized at once: a notebook cell may call it only a few times.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void MaxBackwardPlane(float[] dy, float[] argmax, PoolingGeometry g, float[] dx, int plane)
    {
        int oh = g.OH, ow = g.OW, H = g.H, W = g.W;
        var dxs = new Span<float>(dx, plane * H * W, H * W);
        var dys = new ReadOnlySpan<float>(dy, plane * oh * ow, oh * ow);
        var am = new ReadOnlySpan<float>(argmax, plane * oh * ow, oh * ow);
        if (IsTwoByTwo(g))
        {
            // Frames tile the image: each writes its four cells once (dy at the argmax, zeros elsewhere), so dx
            // needs no clearing first; only an odd last row or column lies outside every frame.
            for (int i = 0; i < oh; i++)
            {
                var top = dxs.Slice(2 * i * W, W);
                var bottom = dxs.Slice((2 * i + 1) * W, W);
                int j = Avx2.IsSupported ? RouteTwoByTwoEight(dys.Slice(i * ow, ow), am.Slice(i * ow, ow), top, bottom) : 0;
                for (; j < ow; j++)
                {
                    int k = (int)am[i * ow + j];
                    float d = dys[i * ow + j];
                    top[2 * j] = k == 0 ? d : 0f;
                    top[2 * j + 1] = k == 1 ? d : 0f;
                    bottom[2 * j] = k == 2 ? d : 0f;
                    bottom[2 * j + 1] = k == 3 ? d : 0f;
                }
                if (W > 2 * ow) { top[(2 * ow)..].Clear(); bottom[(2 * ow)..].Clear(); }
            }
            if (H > 2 * oh) dxs[(2 * oh * W)..].Clear();
            return;
        }
        dxs.Clear();
        for (int i = 0; i < oh; i++)
        for (int j = 0; j < ow; j++)
        {
            int k = (int)am[i * ow + j];
            int h = i * g.Stride - g.Pad + k / g.PW, w = j * g.Stride - g.Pad + k % g.PW;
            if ((uint)h < (uint)H && (uint)w < (uint)W) dxs[h * W + w] += dys[i * ow + j];
        }
    }

    public static void AverageForward(float[] x, PoolingGeometry g, float[] y) => ForEachPlane(g, plane => AverageForwardPlane(x, g, y, plane));

    // Compiled optimized at once: a notebook cell may call it only a few times.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void AverageForwardPlane(float[] x, PoolingGeometry g, float[] y, int plane)
    {
        int oh = g.OH, ow = g.OW, H = g.H, W = g.W;
        var xs = new ReadOnlySpan<float>(x, plane * H * W, H * W);
        var ys = new Span<float>(y, plane * oh * ow, oh * ow);
        float scale = 1f / (g.PH * g.PW);
        if (IsTwoByTwo(g))
        {
            for (int i = 0; i < oh; i++)
            {
                var top = xs.Slice(2 * i * W, W);
                var bottom = xs.Slice((2 * i + 1) * W, W);
                for (int j = 0; j < ow; j++)
                    ys[i * ow + j] = (top[2 * j] + top[2 * j + 1] + bottom[2 * j] + bottom[2 * j + 1]) * scale;
            }
            return;
        }
        for (int i = 0; i < oh; i++)
        for (int j = 0; j < ow; j++)
        {
            int h0 = i * g.Stride - g.Pad, w0 = j * g.Stride - g.Pad;
            int ph0 = Math.Max(0, -h0), ph1 = Math.Min(g.PH, H - h0), pw0 = Math.Max(0, -w0), pw1 = Math.Min(g.PW, W - w0);
            float sum = 0f;
            for (int ph = ph0; ph < ph1; ph++)
            {
                var line = xs.Slice((h0 + ph) * W, W);
                for (int pw = pw0; pw < pw1; pw++) sum += line[w0 + pw];
            }
            ys[i * ow + j] = sum * scale;
        }
    }

    public static void AverageBackward(float[] dy, PoolingGeometry g, float[] dx) => ForEachPlane(g, plane => AverageBackwardPlane(dy, g, dx, plane));

    // Compiled optimized at once: a notebook cell may call it only a few times.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void AverageBackwardPlane(float[] dy, PoolingGeometry g, float[] dx, int plane)
    {
        int oh = g.OH, ow = g.OW, H = g.H, W = g.W;
        var dxs = new Span<float>(dx, plane * H * W, H * W);
        dxs.Clear();
        var dys = new ReadOnlySpan<float>(dy, plane * oh * ow, oh * ow);
        float scale = 1f / (g.PH * g.PW);
        for (int i = 0; i < oh; i++)
        for (int j = 0; j < ow; j++)
        {
            int h0 = i * g.Stride - g.Pad, w0 = j * g.Stride - g.Pad;
            int ph0 = Math.Max(0, -h0), ph1 = Math.Min(g.PH, H - h0), pw0 = Math.Max(0, -w0), pw1 = Math.Min(g.PW, W - w0);
            float d = dys[i * ow + j] * scale;
            for (int ph = ph0; ph < ph1; ph++)
            {
                var line = dxs.Slice((h0 + ph) * W, W);
                for (int pw = pw0; pw < pw1; pw++) line[w0 + pw] += d;
            }
        }
    }

    // ---- the plain loops (the oracle for the kernels above) ----

    public static void MaxForwardReference(float[] x, PoolingGeometry g, float[] y, float[] argmax)
    {
        int oh = g.OH, ow = g.OW;
        for (int plane = 0; plane < g.N * g.C; plane++)
        for (int i = 0; i < oh; i++)
        for (int j = 0; j < ow; j++)
        {
            float best = float.NegativeInfinity;
            int bestIndex = 0;
            bool first = true;
            for (int ph = 0; ph < g.PH; ph++)
            for (int pw = 0; pw < g.PW; pw++)
            {
                int h = i * g.Stride - g.Pad + ph, w = j * g.Stride - g.Pad + pw;
                // Padding counts as zeros, as in the lecture's X-tilde.
                float v = (uint)h < (uint)g.H && (uint)w < (uint)g.W ? x[(plane * g.H + h) * g.W + w] : 0f;
                if (first || v > best) { best = v; bestIndex = ph * g.PW + pw; first = false; }
            }
            int o = (plane * oh + i) * ow + j;
            y[o] = best;
            argmax[o] = bestIndex;
        }
    }

    public static void MaxBackwardReference(float[] dy, float[] argmax, PoolingGeometry g, float[] dx)
    {
        Array.Clear(dx, 0, g.N * g.C * g.H * g.W);
        int oh = g.OH, ow = g.OW;
        for (int plane = 0; plane < g.N * g.C; plane++)
        for (int i = 0; i < oh; i++)
        for (int j = 0; j < ow; j++)
        {
            int o = (plane * oh + i) * ow + j;
            int k = (int)argmax[o];
            int h = i * g.Stride - g.Pad + k / g.PW, w = j * g.Stride - g.Pad + k % g.PW;
            if ((uint)h < (uint)g.H && (uint)w < (uint)g.W) dx[(plane * g.H + h) * g.W + w] += dy[o];
        }
    }

    public static void AverageForwardReference(float[] x, PoolingGeometry g, float[] y)
    {
        int oh = g.OH, ow = g.OW;
        float scale = 1f / (g.PH * g.PW);
        for (int plane = 0; plane < g.N * g.C; plane++)
        for (int i = 0; i < oh; i++)
        for (int j = 0; j < ow; j++)
        {
            float sum = 0f;
            for (int ph = 0; ph < g.PH; ph++)
            for (int pw = 0; pw < g.PW; pw++)
            {
                int h = i * g.Stride - g.Pad + ph, w = j * g.Stride - g.Pad + pw;
                if ((uint)h < (uint)g.H && (uint)w < (uint)g.W) sum += x[(plane * g.H + h) * g.W + w];
            }
            y[(plane * oh + i) * ow + j] = sum * scale;
        }
    }

    public static void AverageBackwardReference(float[] dy, PoolingGeometry g, float[] dx)
    {
        Array.Clear(dx, 0, g.N * g.C * g.H * g.W);
        int oh = g.OH, ow = g.OW;
        float scale = 1f / (g.PH * g.PW);
        for (int plane = 0; plane < g.N * g.C; plane++)
        for (int i = 0; i < oh; i++)
        for (int j = 0; j < ow; j++)
        {
            float d = dy[(plane * oh + i) * ow + j] * scale;
            for (int ph = 0; ph < g.PH; ph++)
            for (int pw = 0; pw < g.PW; pw++)
            {
                int h = i * g.Stride - g.Pad + ph, w = j * g.Stride - g.Pad + pw;
                if ((uint)h < (uint)g.H && (uint)w < (uint)g.W) dx[(plane * g.H + h) * g.W + w] += d;
            }
        }
    }
}
