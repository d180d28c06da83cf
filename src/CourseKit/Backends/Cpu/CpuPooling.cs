using System.Runtime.CompilerServices;

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

    private static void ForEachPlane(PoolingGeometry g, Action<int> body)
    {
        int planes = g.N * g.C;
        if ((long)planes * g.H * g.W >= ParallelThreshold && planes > 1) Parallel.For(0, planes, body);
        else for (int p = 0; p < planes; p++) body(p);
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
                for (int j = 0; j < ow; j++)
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
                for (int j = 0; j < ow; j++)
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
