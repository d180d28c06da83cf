using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace CourseKit.Backends;

/// <summary>
/// Pooling kernels on the host, a run of (n, c) planes per task (pooling is per channel, lecture 1.5): planes are
/// independent, so large inputs use both cores. The common 2×2 frame with stride 2 and no padding has its own loops
/// (SIMD over eight and four frames, no bounds checks); other frames clip each frame to the image once instead of
/// testing every cell. The <c>...Reference</c> methods are the plain loops the tests compare them with.
/// Padding counts as zeros, as in the lecture's X-tilde (so a padded cell can be the maximum; its gradient is dropped).
/// </summary>
internal static unsafe class CpuPooling
{
    // Below this many input elements one thread is faster than waking the second core.
    private const int ParallelThreshold = 1 << 15;

    // A plane is often small (24×24 in the MNIST network), so each task takes a run of planes: one task per plane
    // would spend more on scheduling than on pooling. body(first, count) pools planes first .. first + count.
    private static void ForEachPlanes(PoolingGeometry g, Action<int, int> body)
    {
        int planes = g.N * g.C;
        if ((long)planes * g.H * g.W < ParallelThreshold || planes == 1)
        {
            body(0, planes);
            return;
        }
        int tasks = Math.Min(planes, 4 * Environment.ProcessorCount), per = (planes + tasks - 1) / tasks;
        CoreTeam.ForEach((planes + per - 1) / per, t => body(t * per, Math.Min(per, planes - t * per)));
    }

    private static bool IsTwoByTwo(PoolingGeometry g) => g is { PH: 2, PW: 2, StrideH: 2, StrideW: 2, PadH: 0, PadW: 0 };

    public static void MaxForward(float[] x, PoolingGeometry g, float[] y, float[] argmax) => ForEachPlanes(g, (first, count) =>
    {
        if (IsTwoByTwo(g)) MaxTwoByTwo(x, g, y, argmax, first, count);
        else for (int plane = first; plane < first + count; plane++) MaxForwardPlane(x, g, y, argmax, plane);
    });

    /// <summary>
    /// 2×2 frames, stride 2: for each pair of input rows, the frames side by side. Per frame a tournament of compares and
    /// selects, not jumps (random data defeats branch prediction): left against right in the top row and in the bottom
    /// row, then bottom against top. Strict '&gt;' keeps the earlier cell on ties, so the first maximum wins, as in the
    /// reference. Eight frames at a time (AVX2), then four (SSE), then one by one.
    /// </summary>
    // Compiled optimized at once: a notebook cell may call it only a few times.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void MaxTwoByTwo(float[] x, PoolingGeometry g, float[] y, float[] argmax, int firstPlane, int planes)
    {
        int oh = g.OH, ow = g.OW, W = g.W;
        fixed (float* px = x, py = y, pk = argmax)
        {
            for (int row = firstPlane * oh; row < (firstPlane + planes) * oh; row++)   // output rows of all these planes
            {
                int plane = row / oh, i = row % oh;
                float* top = px + ((long)plane * g.H + 2 * i) * W, bottom = top + W;
                float* ys = py + (long)row * ow, ks = pk + (long)row * ow;
                int j = 0;
                if (Avx2.IsSupported)
                    for (; j + 8 <= ow; j += 8) MaxEight(top + 2 * j, bottom + 2 * j, ys + j, ks + j);
                if (Sse.IsSupported)
                    for (; j + 4 <= ow; j += 4) MaxFour(top + 2 * j, bottom + 2 * j, ys + j, ks + j);
                for (; j < ow; j++)
                {
                    float a = top[2 * j], b = top[2 * j + 1], c = bottom[2 * j], d = bottom[2 * j + 1];
                    bool right = b > a, lowerRight = d > c;
                    float upper = right ? b : a, lower = lowerRight ? d : c;
                    bool below = lower > upper;
                    ys[j] = below ? lower : upper;
                    ks[j] = below ? (lowerRight ? 3 : 2) : (right ? 1 : 0);
                }
            }
        }
    }

    // The tournament on eight frames: 16 floats of each row. In-lane shuffles split the even and odd columns apart
    // and leave the frames in the order 0 1 4 5 2 3 6 7; one 64-bit permute at the end puts them back.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void MaxEight(float* top, float* bottom, float* y, float* argmax)
    {
        const byte Even = 0b10_00_10_00, Odd = 0b11_01_11_01, Unscramble = 0b11_01_10_00;
        Vector256<float> t0 = Avx.LoadVector256(top), t1 = Avx.LoadVector256(top + 8);
        Vector256<float> b0 = Avx.LoadVector256(bottom), b1 = Avx.LoadVector256(bottom + 8);
        Vector256<float> a = Avx.Shuffle(t0, t1, Even), b = Avx.Shuffle(t0, t1, Odd);
        Vector256<float> c = Avx.Shuffle(b0, b1, Even), d = Avx.Shuffle(b0, b1, Odd);
        var right = Vector256.GreaterThan(b, a);
        var lowerRight = Vector256.GreaterThan(d, c);
        var upper = Vector256.ConditionalSelect(right, b, a);
        var lower = Vector256.ConditionalSelect(lowerRight, d, c);
        var below = Vector256.GreaterThan(lower, upper);
        var best = Vector256.ConditionalSelect(below, lower, upper);
        var k = Vector256.ConditionalSelect(below, Vector256.ConditionalSelect(lowerRight, Vector256.Create(3f), Vector256.Create(2f)),
                                                   Vector256.ConditionalSelect(right, Vector256.Create(1f), Vector256<float>.Zero));
        Avx.Store(y, Avx2.Permute4x64(best.AsDouble(), Unscramble).AsSingle());
        Avx.Store(argmax, Avx2.Permute4x64(k.AsDouble(), Unscramble).AsSingle());
    }

    // The same on four frames (8 floats of each row); 128-bit shuffles keep the frames in order.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void MaxFour(float* top, float* bottom, float* y, float* argmax)
    {
        const byte Even = 0b10_00_10_00, Odd = 0b11_01_11_01;
        Vector128<float> t0 = Sse.LoadVector128(top), t1 = Sse.LoadVector128(top + 4);
        Vector128<float> b0 = Sse.LoadVector128(bottom), b1 = Sse.LoadVector128(bottom + 4);
        Vector128<float> a = Sse.Shuffle(t0, t1, Even), b = Sse.Shuffle(t0, t1, Odd);
        Vector128<float> c = Sse.Shuffle(b0, b1, Even), d = Sse.Shuffle(b0, b1, Odd);
        var right = Vector128.GreaterThan(b, a);
        var lowerRight = Vector128.GreaterThan(d, c);
        var upper = Vector128.ConditionalSelect(right, b, a);
        var lower = Vector128.ConditionalSelect(lowerRight, d, c);
        var below = Vector128.GreaterThan(lower, upper);
        Sse.Store(y, Vector128.ConditionalSelect(below, lower, upper));
        Sse.Store(argmax, Vector128.ConditionalSelect(below, Vector128.ConditionalSelect(lowerRight, Vector128.Create(3f), Vector128.Create(2f)),
                                                             Vector128.ConditionalSelect(right, Vector128.Create(1f), Vector128<float>.Zero)));
    }

    // Frames of any size, stride and padding (per axis), one plane.
    // Compiled optimized at once: a notebook cell may call it only a few times.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void MaxForwardPlane(float[] x, PoolingGeometry g, float[] y, float[] argmax, int plane)
    {
        int oh = g.OH, ow = g.OW, H = g.H, W = g.W;
        var xs = new ReadOnlySpan<float>(x, plane * H * W, H * W);
        var ys = new Span<float>(y, plane * oh * ow, oh * ow);
        var am = new Span<float>(argmax, plane * oh * ow, oh * ow);
        for (int i = 0; i < oh; i++)
        for (int j = 0; j < ow; j++)
        {
            int h0 = i * g.StrideH - g.PadH, w0 = j * g.StrideW - g.PadW;
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

    // The first cell (in ph·PW + pw order) of a frame that lies outside the inside part [ph0, ph1) × [pw0, pw1).
    private static int FirstPaddedCell(int ph0, int ph1, int pw0, int pw1, int pwCount)
    {
        if (ph0 > 0 || pw0 > 0 || ph1 <= ph0 || pw1 <= pw0) return 0; // cell (0, 0) is outside
        return pw1 < pwCount ? pw1 : ph1 * pwCount;                    // end of row 0, or the first row below the image
    }

    public static void MaxBackward(float[] dy, float[] argmax, PoolingGeometry g, float[] dx) => ForEachPlanes(g, (first, count) =>
    {
        if (IsTwoByTwo(g)) RouteTwoByTwo(dy, argmax, g, dx, first, count);
        else for (int plane = first; plane < first + count; plane++) MaxBackwardPlane(dy, argmax, g, dx, plane);
    });

    /// <summary>
    /// 2×2 frames, stride 2, backward: frames tile the image, so each writes its four cells once (dy at the argmax,
    /// zeros elsewhere) and dx needs no clearing first; only an odd last row or column lies outside every frame.
    /// Eight frames at a time (AVX), then four (SSE), then one by one.
    /// </summary>
    // Compiled optimized at once: a notebook cell may call it only a few times.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void RouteTwoByTwo(float[] dy, float[] argmax, PoolingGeometry g, float[] dx, int firstPlane, int planes)
    {
        int oh = g.OH, ow = g.OW, H = g.H, W = g.W;
        fixed (float* pd = dy, pk = argmax, px = dx)
        {
            for (int row = firstPlane * oh; row < (firstPlane + planes) * oh; row++)   // output rows of all these planes
            {
                int plane = row / oh, i = row % oh;
                float* top = px + ((long)plane * H + 2 * i) * W, bottom = top + W;
                float* ds = pd + (long)row * ow, ks = pk + (long)row * ow;
                int j = 0;
                if (Avx.IsSupported)
                    for (; j + 8 <= ow; j += 8) RouteEight(ds + j, ks + j, top + 2 * j, bottom + 2 * j);
                if (Sse.IsSupported)
                    for (; j + 4 <= ow; j += 4) RouteFour(ds + j, ks + j, top + 2 * j, bottom + 2 * j);
                for (; j < ow; j++)
                {
                    int k = (int)ks[j];
                    float d = ds[j];
                    top[2 * j] = k == 0 ? d : 0f;
                    top[2 * j + 1] = k == 1 ? d : 0f;
                    bottom[2 * j] = k == 2 ? d : 0f;
                    bottom[2 * j + 1] = k == 3 ? d : 0f;
                }
                if (W > 2 * ow) { top[W - 1] = 0f; bottom[W - 1] = 0f; }
            }
            if (H > 2 * oh)
                for (int plane = firstPlane; plane < firstPlane + planes; plane++)
                    new Span<float>(px + ((long)plane * H + H - 1) * W, W).Clear();
        }
    }

    // Eight frames: each of the four cells gets dy where it was the argmax, else zero; in-lane unpacks interleave the
    // even and odd cells of a row two frames at a time, and 128-bit permutes put the halves in order.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void RouteEight(float* dy, float* argmax, float* top, float* bottom)
    {
        Vector256<float> d = Avx.LoadVector256(dy), k = Avx.LoadVector256(argmax), zero = Vector256<float>.Zero;
        Interleave(Vector256.ConditionalSelect(Vector256.Equals(k, zero), d, zero),
                   Vector256.ConditionalSelect(Vector256.Equals(k, Vector256.Create(1f)), d, zero), top);
        Interleave(Vector256.ConditionalSelect(Vector256.Equals(k, Vector256.Create(2f)), d, zero),
                   Vector256.ConditionalSelect(Vector256.Equals(k, Vector256.Create(3f)), d, zero), bottom);

        static void Interleave(Vector256<float> even, Vector256<float> odd, float* row)
        {
            Vector256<float> low = Avx.UnpackLow(even, odd), high = Avx.UnpackHigh(even, odd); // frames 0 1 | 4 5, 2 3 | 6 7
            Avx.Store(row, Avx.Permute2x128(low, high, 0x20));
            Avx.Store(row + 8, Avx.Permute2x128(low, high, 0x31));
        }
    }

    // The same on four frames; 128-bit unpacks keep the frames in order.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void RouteFour(float* dy, float* argmax, float* top, float* bottom)
    {
        Vector128<float> d = Sse.LoadVector128(dy), k = Sse.LoadVector128(argmax), zero = Vector128<float>.Zero;
        Interleave(Vector128.ConditionalSelect(Vector128.Equals(k, zero), d, zero),
                   Vector128.ConditionalSelect(Vector128.Equals(k, Vector128.Create(1f)), d, zero), top);
        Interleave(Vector128.ConditionalSelect(Vector128.Equals(k, Vector128.Create(2f)), d, zero),
                   Vector128.ConditionalSelect(Vector128.Equals(k, Vector128.Create(3f)), d, zero), bottom);

        static void Interleave(Vector128<float> even, Vector128<float> odd, float* row)
        {
            Sse.Store(row, Sse.UnpackLow(even, odd));
            Sse.Store(row + 4, Sse.UnpackHigh(even, odd));
        }
    }

    // Frames of any size, stride and padding (per axis), one plane.
    // Compiled optimized at once: a notebook cell may call it only a few times.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void MaxBackwardPlane(float[] dy, float[] argmax, PoolingGeometry g, float[] dx, int plane)
    {
        int oh = g.OH, ow = g.OW, H = g.H, W = g.W;
        var dxs = new Span<float>(dx, plane * H * W, H * W);
        var dys = new ReadOnlySpan<float>(dy, plane * oh * ow, oh * ow);
        var am = new ReadOnlySpan<float>(argmax, plane * oh * ow, oh * ow);
        dxs.Clear();
        for (int i = 0; i < oh; i++)
        for (int j = 0; j < ow; j++)
        {
            int k = (int)am[i * ow + j];
            int h = i * g.StrideH - g.PadH + k / g.PW, w = j * g.StrideW - g.PadW + k % g.PW;
            if ((uint)h < (uint)H && (uint)w < (uint)W) dxs[h * W + w] += dys[i * ow + j];
        }
    }

    public static void AverageForward(float[] x, PoolingGeometry g, float[] y) => ForEachPlanes(g, (first, count) =>
    {
        for (int plane = first; plane < first + count; plane++) AverageForwardPlane(x, g, y, plane);
    });

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
            int h0 = i * g.StrideH - g.PadH, w0 = j * g.StrideW - g.PadW;
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

    public static void AverageBackward(float[] dy, PoolingGeometry g, float[] dx) => ForEachPlanes(g, (first, count) =>
    {
        for (int plane = first; plane < first + count; plane++) AverageBackwardPlane(dy, g, dx, plane);
    });

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
            int h0 = i * g.StrideH - g.PadH, w0 = j * g.StrideW - g.PadW;
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
                int h = i * g.StrideH - g.PadH + ph, w = j * g.StrideW - g.PadW + pw;
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
            int h = i * g.StrideH - g.PadH + k / g.PW, w = j * g.StrideW - g.PadW + k % g.PW;
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
                int h = i * g.StrideH - g.PadH + ph, w = j * g.StrideW - g.PadW + pw;
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
                int h = i * g.StrideH - g.PadH + ph, w = j * g.StrideW - g.PadW + pw;
                if ((uint)h < (uint)g.H && (uint)w < (uint)g.W) dx[(plane * g.H + h) * g.W + w] += d;
            }
        }
    }
}
