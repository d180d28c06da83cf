namespace CourseKit.Backends;

/// <summary>im2col / col2im on the host in the layout of <see cref="IComputeBackend.Im2Col"/>.</summary>
internal static class CpuIm2Col
{
    public static void Im2Col(float[] x, ConvolutionGeometry g, float[] col)
    {
        int oh = g.OH, ow = g.OW, positions = g.Positions;
        for (int c = 0; c < g.C; c++)
        for (int fh = 0; fh < g.FH; fh++)
        for (int fw = 0; fw < g.FW; fw++)
        {
            int row = (c * g.FH + fh) * g.FW + fw;
            for (int n = 0; n < g.N; n++)
            for (int i = 0; i < oh; i++)
            {
                int h = i * g.Stride - g.Pad + fh;
                int dst = row * positions + (n * oh + i) * ow;
                for (int j = 0; j < ow; j++)
                {
                    int w = j * g.Stride - g.Pad + fw;
                    col[dst + j] = (uint)h < (uint)g.H && (uint)w < (uint)g.W ? x[((n * g.C + c) * g.H + h) * g.W + w] : 0f;
                }
            }
        }
    }

    public static void Col2Im(float[] col, ConvolutionGeometry g, float[] dx)
    {
        Array.Clear(dx, 0, g.N * g.C * g.H * g.W);
        int oh = g.OH, ow = g.OW, positions = g.Positions;
        for (int c = 0; c < g.C; c++)
        for (int fh = 0; fh < g.FH; fh++)
        for (int fw = 0; fw < g.FW; fw++)
        {
            int row = (c * g.FH + fh) * g.FW + fw;
            for (int n = 0; n < g.N; n++)
            for (int i = 0; i < oh; i++)
            {
                int h = i * g.Stride - g.Pad + fh;
                if ((uint)h >= (uint)g.H) continue;
                int src = row * positions + (n * oh + i) * ow;
                for (int j = 0; j < ow; j++)
                {
                    int w = j * g.Stride - g.Pad + fw;
                    if ((uint)w < (uint)g.W) dx[((n * g.C + c) * g.H + h) * g.W + w] += col[src + j];
                }
            }
        }
    }
}
