namespace CourseKit.Backends;

/// <summary>Pooling kernels on the host, one (n, c) plane at a time (pooling is per channel, lecture 1.5).</summary>
internal static class CpuPooling
{
    public static void MaxForward(float[] x, PoolingGeometry g, float[] y, float[] argmax)
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

    public static void MaxBackward(float[] dy, float[] argmax, PoolingGeometry g, float[] dx)
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

    public static void AverageForward(float[] x, PoolingGeometry g, float[] y)
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

    public static void AverageBackward(float[] dy, PoolingGeometry g, float[] dx)
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
