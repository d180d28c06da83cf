namespace CourseKit.Backends.OpenCl;

/// <summary>
/// im2col and its adjoint col2im (lecture 1.3) in the layout of <see cref="IComputeBackend.Im2Col"/>:
/// col is (C·FH·FW, N·OH·OW), rows ordered (c, fh, fw), columns (n, oh, ow).
/// Both kernels gather, one work-item per element they write, so no two work-items write the same place:
/// col2im does not scatter each column entry into dx but lets every dx element collect the entries that
/// came from it, which is race-free without atomics.
/// </summary>
internal static class Im2ColKernels
{
    public static readonly OpenClSource Program = new("im2col", """
        // One work-item per entry of col: which input pixel (or padding zero) sits there. The range is
        // (OW, N·OH, C·FH·FW), so neighbouring work-items write neighbouring entries of one col row.
        __kernel void im2col(__global const float* x, __global float* col,
                             int N, int C, int H, int W, int FH, int FW, int SH, int SW, int PH, int PW, int OH, int OW)
        {
            int ow = get_global_id(0), noh = get_global_id(1), row = get_global_id(2);
            int n = noh / OH, oh = noh % OH;
            int fw = row % FW, fh = (row / FW) % FH, c = row / (FW * FH);
            int h = oh * SH - PH + fh, w = ow * SW - PW + fw;
            col[(row * N + n) * OH * OW + oh * OW + ow] = h >= 0 && h < H && w >= 0 && w < W ? x[((n * C + c) * H + h) * W + w] : 0.0f;
        }

        // One work-item per input pixel (n, c, h, w), over the range (W, H, N·C): sum the col entries
        // that were copied from it. Filter offset fh reaches output row oh when h = oh·SH − PH + fh,
        // i.e. oh = (h + PH − fh) / SH when that divides exactly (columns alike, with SW and PW).
        __kernel void col2im(__global const float* col, __global float* dx,
                             int N, int C, int H, int W, int FH, int FW, int SH, int SW, int PH, int PW, int OH, int OW)
        {
            int w = get_global_id(0), h = get_global_id(1), plane = get_global_id(2);
            int n = plane / C, c = plane % C;
            int positions = N * OH * OW;
            float sum = 0.0f;
            for (int fh = 0; fh < FH; fh++)
            {
                int th = h + PH - fh;
                if (th < 0 || th % SH != 0 || th / SH >= OH) continue;
                int oh = th / SH;
                for (int fw = 0; fw < FW; fw++)
                {
                    int tw = w + PW - fw;
                    if (tw < 0 || tw % SW != 0 || tw / SW >= OW) continue;
                    int row = (c * FH + fh) * FW + fw;
                    sum += col[row * positions + (n * OH + oh) * OW + tw / SW];
                }
            }
            dx[(plane * H + h) * W + w] = sum;
        }
        """);
}
