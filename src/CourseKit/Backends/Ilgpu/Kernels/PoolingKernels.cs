using ILGPU;

namespace CourseKit.Backends.Ilgpu;

/// <summary>
/// Max and average pooling (lecture 1.5, backward in 2.3). Forward: one thread per output. Backward: one
/// thread per input pixel, gathering dy from every frame that covers it (frames overlap when the stride is
/// smaller than the frame), so there are no races. Padding counts as zeros; max pooling's argmax is the
/// flat index ph·PW + pw inside the frame.
/// </summary>
internal static class PoolingKernels
{
    /// <summary>One thread computes one output (plane, oh, ow): the largest value of its frame and where it was.</summary>
    public static void MaxForward(Index1D o, ArrayView<float> x, ArrayView<float> y, ArrayView<float> argmax, PoolingGeometry g)
    {
        int ow = o % g.OW, oh = o / g.OW % g.OH, plane = o / (g.OW * g.OH);
        float best = 0f;
        int bestIndex = -1;
        for (int ph = 0; ph < g.PH; ph++)
            for (int pw = 0; pw < g.PW; pw++)
            {
                int h = oh * g.StrideH - g.PadH + ph, w = ow * g.StrideW - g.PadW + pw;
                float v = h >= 0 && h < g.H && w >= 0 && w < g.W ? x[(plane * g.H + h) * g.W + w] : 0f;
                if (bestIndex < 0 || v > best) { best = v; bestIndex = ph * g.PW + pw; }
            }
        y[o] = best;
        argmax[o] = bestIndex;
    }

    /// <summary>One thread computes one pixel of dx: the dy of every frame whose maximum sat on this pixel.</summary>
    public static void MaxBackward(Index1D i, ArrayView<float> dy, ArrayView<float> argmax, ArrayView<float> dx, PoolingGeometry g)
    {
        int w = i % g.W, h = i / g.W % g.H, plane = i / (g.W * g.H);
        float sum = 0f;
        for (int oh = FirstFrame(h, g.PadH, g.PH, g.StrideH); oh <= LastFrame(h, g.PadH, g.StrideH, g.OH); oh++)
            for (int ow = FirstFrame(w, g.PadW, g.PW, g.StrideW); ow <= LastFrame(w, g.PadW, g.StrideW, g.OW); ow++)
            {
                int o = (plane * g.OH + oh) * g.OW + ow;
                int inFrame = (h - (oh * g.StrideH - g.PadH)) * g.PW + (w - (ow * g.StrideW - g.PadW));
                if ((int)argmax[o] == inFrame) sum += dy[o];
            }
        dx[i] = sum;
    }

    /// <summary>One thread computes one output: the mean of its frame (padding counts as zeros).</summary>
    public static void AverageForward(Index1D o, ArrayView<float> x, ArrayView<float> y, PoolingGeometry g)
    {
        int ow = o % g.OW, oh = o / g.OW % g.OH, plane = o / (g.OW * g.OH);
        float sum = 0f;
        for (int ph = 0; ph < g.PH; ph++)
            for (int pw = 0; pw < g.PW; pw++)
            {
                int h = oh * g.StrideH - g.PadH + ph, w = ow * g.StrideW - g.PadW + pw;
                if (h >= 0 && h < g.H && w >= 0 && w < g.W) sum += x[(plane * g.H + h) * g.W + w];
            }
        y[o] = sum * (1f / (g.PH * g.PW));
    }

    /// <summary>One thread computes one pixel of dx: dy / (PH·PW) summed over every frame that covers it.</summary>
    public static void AverageBackward(Index1D i, ArrayView<float> dy, ArrayView<float> dx, PoolingGeometry g)
    {
        int w = i % g.W, h = i / g.W % g.H, plane = i / (g.W * g.H);
        float sum = 0f;
        for (int oh = FirstFrame(h, g.PadH, g.PH, g.StrideH); oh <= LastFrame(h, g.PadH, g.StrideH, g.OH); oh++)
            for (int ow = FirstFrame(w, g.PadW, g.PW, g.StrideW); ow <= LastFrame(w, g.PadW, g.StrideW, g.OW); ow++)
                sum += dy[(plane * g.OH + oh) * g.OW + ow] * (1f / (g.PH * g.PW));
        dx[i] = sum;
    }

    // The frames covering input row h are those with oh·S − P ≤ h < oh·S − P + PH (the same along columns, with that axis's S and P).
    private static int FirstFrame(int h, int pad, int frame, int stride) => Math.Max(0, (h + pad - frame + stride) / stride);

    private static int LastFrame(int h, int pad, int stride, int outputs) => Math.Min(outputs - 1, (h + pad) / stride);
}
