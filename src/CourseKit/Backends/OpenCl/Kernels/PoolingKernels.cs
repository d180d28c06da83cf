namespace CourseKit.Backends.OpenCl;

/// <summary>
/// Max and average pooling (lecture 1.5, backward in 2.3), one (n, c) plane at a time like the CPU kernels.
/// Forward: one work-item per output, over the range (OW, OH, N·C). Backward: one work-item per input
/// pixel, over (W, H, N·C), gathering dy from every
/// frame that covers it (frames overlap when the stride is smaller than the frame), so there are no races.
/// Padding counts as zeros; max pooling's argmax is the flat index ph·PW + pw inside the frame.
/// </summary>
internal static class PoolingKernels
{
    public static readonly OpenClSource Program = new("pooling", """
        __kernel void max_pool_forward(__global const float* x, __global float* y, __global float* argmax,
                                       int planes, int H, int W, int PH, int PW, int SH, int SW, int PadH, int PadW, int OH, int OW)
        {
            int ow = get_global_id(0), oh = get_global_id(1), plane = get_global_id(2);
            int o = (plane * OH + oh) * OW + ow;
            float best = 0.0f;
            int bestIndex = -1;
            for (int ph = 0; ph < PH; ph++)
            for (int pw = 0; pw < PW; pw++)
            {
                int h = oh * SH - PadH + ph, w = ow * SW - PadW + pw;
                float v = h >= 0 && h < H && w >= 0 && w < W ? x[(plane * H + h) * W + w] : 0.0f;
                if (bestIndex < 0 || v > best) { best = v; bestIndex = ph * PW + pw; }
            }
            y[o] = best;
            argmax[o] = (float)bestIndex;
        }

        // Output rows whose frame contains input row h: oh·S − P ≤ h < oh·S − P + PH (S and P of that axis).
        #define FRAMES_COVERING(h, P, PH, S, OH, first, last) \
            int first = max(0, (h + P - PH + S) / S); \
            int last = min(OH - 1, (h + P) / S);

        __kernel void max_pool_backward(__global const float* dy, __global const float* argmax, __global float* dx,
                                        int planes, int H, int W, int PH, int PW, int SH, int SW, int PadH, int PadW, int OH, int OW)
        {
            int w = get_global_id(0), h = get_global_id(1), plane = get_global_id(2);
            int index = (plane * H + h) * W + w;
            FRAMES_COVERING(h, PadH, PH, SH, OH, ohFirst, ohLast)
            FRAMES_COVERING(w, PadW, PW, SW, OW, owFirst, owLast)
            float sum = 0.0f;
            for (int oh = ohFirst; oh <= ohLast; oh++)
            for (int ow = owFirst; ow <= owLast; ow++)
            {
                int o = (plane * OH + oh) * OW + ow;
                int inFrame = (h - (oh * SH - PadH)) * PW + (w - (ow * SW - PadW));
                if ((int)argmax[o] == inFrame) sum += dy[o];
            }
            dx[index] = sum;
        }

        __kernel void average_pool_forward(__global const float* x, __global float* y,
                                           int planes, int H, int W, int PH, int PW, int SH, int SW, int PadH, int PadW, int OH, int OW)
        {
            int ow = get_global_id(0), oh = get_global_id(1), plane = get_global_id(2);
            int o = (plane * OH + oh) * OW + ow;
            float sum = 0.0f;
            for (int ph = 0; ph < PH; ph++)
            for (int pw = 0; pw < PW; pw++)
            {
                int h = oh * SH - PadH + ph, w = ow * SW - PadW + pw;
                if (h >= 0 && h < H && w >= 0 && w < W) sum += x[(plane * H + h) * W + w];
            }
            y[o] = sum * (1.0f / (PH * PW));
        }

        __kernel void average_pool_backward(__global const float* dy, __global float* dx,
                                            int planes, int H, int W, int PH, int PW, int SH, int SW, int PadH, int PadW, int OH, int OW)
        {
            int w = get_global_id(0), h = get_global_id(1), plane = get_global_id(2);
            int index = (plane * H + h) * W + w;
            FRAMES_COVERING(h, PadH, PH, SH, OH, ohFirst, ohLast)
            FRAMES_COVERING(w, PadW, PW, SW, OW, owFirst, owLast)
            float sum = 0.0f;
            for (int oh = ohFirst; oh <= ohLast; oh++)
            for (int ow = owFirst; ow <= owLast; ow++)
                sum += dy[(plane * OH + oh) * OW + ow] * (1.0f / (PH * PW));
            dx[index] = sum;
        }
        """);
}
