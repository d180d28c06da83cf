using ILGPU;

namespace CourseKit.Backends.Ilgpu;

/// <summary>
/// Convolution as im2col + GEMM (lecture 1.3, 2.1) without the column matrix X̃ in device memory ("implicit GEMM"): where
/// the GEMM kernels would read X̃_n[q, position], these kernels compute that entry from X with im2col's formula
/// (<see cref="Column"/>). Y_n = F · X̃_n + b, dF = Σ_n dY_n · X̃_nᵀ, and dX gathers F^T · dY as col2im does. The naive
/// kernels are <see cref="GemmKernels.Naive"/> with X̃ computed, the tiled ones <see cref="GemmKernels.Tiled"/> with
/// X̃'s tile gathered from X into shared memory. Layouts: X (N, C, H, W), F (OC, C·FH·FW), Y and dY (N, OC, OH·OW).
/// </summary>
internal static class ImplicitConvolutionKernels
{
    /// <summary>X̃_n[row, position] with row = (c, fh, fw), position = (oh, ow): the input pixel under that filter tap, or a padding zero.</summary>
    public static float Column(ArrayView<float> x, ConvolutionGeometry g, int n, int row, int position)
    {
        int ow = position % g.OW, oh = position / g.OW;
        int fw = row % g.FW, fh = row / g.FW % g.FH, c = row / (g.FW * g.FH);
        int h = oh * g.StrideH - g.PadH + fh, w = ow * g.StrideW - g.PadW + fw;
        return h >= 0 && h < g.H && w >= 0 && w < g.W ? x[((n * g.C + c) * g.H + h) * g.W + w] : 0f;
    }

    /// <summary>One thread computes Y[n, o, position] = Σ_q F[o, q]·X̃_n[q, position] + b[o] (grid x = position, y = o, z = n).</summary>
    public static void ForwardNaive(Index3D e, ConvolutionGeometry g, int oc, int hasBias,
                                    ArrayView<float> x, ArrayView<float> f, ArrayView<float> bias, ArrayView<float> y)
    {
        int position = e.X, o = e.Y, n = e.Z, k = g.PatchLength, p = g.OH * g.OW;
        float sum = 0f;
        for (int q = 0; q < k; q++) sum += f[o * k + q] * Column(x, g, n, q, position);
        y[(n * oc + o) * p + position] = hasBias != 0 ? sum + bias[o] : sum;
    }

    /// <summary>
    /// One thread computes one Y[n, o, position]; its group of T×T threads shares a T×T tile of F and one of X̃_n in
    /// shared memory, each thread copying one element of each per step along C·FH·FW, the X̃ element straight from X.
    /// </summary>
    public static void ForwardTiled(ConvolutionGeometry g, int oc, int hasBias,
                                    ArrayView<float> x, ArrayView<float> f, ArrayView<float> bias, ArrayView<float> y)
    {
        int t = Group.DimX, tx = Group.IdxX, ty = Group.IdxY, n = Grid.IdxZ;
        int o = Grid.IdxY * t + ty, position = Grid.IdxX * t + tx, k = g.PatchLength, p = g.OH * g.OW;
        var shared = SharedMemory.GetDynamic<float>();
        var fTile = shared.SubView(0, t * t);        // fTile[r·T + q] = F[o0 + r, k0 + q]
        var colTile = shared.SubView(t * t, t * t);  // colTile[q·T + s] = X̃_n[k0 + q, position0 + s]
        float sum = 0f;
        for (int k0 = 0; k0 < k; k0 += t)
        {
            fTile[ty * t + tx] = o < oc && k0 + tx < k ? f[o * k + k0 + tx] : 0f;
            colTile[ty * t + tx] = k0 + ty < k && position < p ? Column(x, g, n, k0 + ty, position) : 0f;
            Group.Barrier();   // the tiles are complete before anyone reads them
            for (int q = 0; q < t; q++) sum += fTile[ty * t + q] * colTile[q * t + tx];
            Group.Barrier();   // everyone is done reading before the next tiles overwrite them
        }
        if (o < oc && position < p) y[(n * oc + o) * p + position] = hasBias != 0 ? sum + bias[o] : sum;
    }

    /// <summary>One thread computes dF[o, q] = Σ_n Σ_position dY[n, o, position]·X̃_n[q, position] (grid x = q, y = o).</summary>
    public static void BackwardFilterNaive(Index2D e, ConvolutionGeometry g, int oc, ArrayView<float> dy, ArrayView<float> x, ArrayView<float> df)
    {
        int q = e.X, o = e.Y, p = g.OH * g.OW;
        float sum = 0f;
        for (int n = 0; n < g.N; n++)
            for (int position = 0; position < p; position++)
                sum += dy[(n * oc + o) * p + position] * Column(x, g, n, q, position);
        df[o * g.PatchLength + q] = sum;
    }

    /// <summary>
    /// One thread computes one dF[o, q]; its group shares a T×T tile of dY and one of X̃ᵀ, stepping along all N·OH·OW
    /// positions l = (n, position) of the batch.
    /// </summary>
    public static void BackwardFilterTiled(ConvolutionGeometry g, int oc, ArrayView<float> dy, ArrayView<float> x, ArrayView<float> df)
    {
        int t = Group.DimX, tx = Group.IdxX, ty = Group.IdxY;
        int o = Grid.IdxY * t + ty, q = Grid.IdxX * t + tx, k = g.PatchLength, p = g.OH * g.OW, positions = g.N * p;
        var shared = SharedMemory.GetDynamic<float>();
        var dyTile = shared.SubView(0, t * t);       // dyTile[r·T + j] = dY[o0 + r, l0 + j]
        var colTile = shared.SubView(t * t, t * t);  // colTile[j·T + s] = X̃[q0 + s, l0 + j]
        float sum = 0f;
        for (int l0 = 0; l0 < positions; l0 += t)
        {
            int l = l0 + tx;
            dyTile[ty * t + tx] = o < oc && l < positions ? dy[(l / p * oc + o) * p + l % p] : 0f;
            l = l0 + ty;
            colTile[ty * t + tx] = l < positions && q < k ? Column(x, g, l / p, q, l % p) : 0f;
            Group.Barrier();
            for (int j = 0; j < t; j++) sum += dyTile[ty * t + j] * colTile[j * t + tx];
            Group.Barrier();
        }
        if (o < oc && q < k) df[o * k + q] = sum;
    }

    /// <summary>
    /// One thread computes one pixel of dX (n, c, h, w) = Σ_o Σ_(fh, fw) F[o, (c, fh, fw)]·dY[n, o, oh, ow] over the outputs
    /// whose window covers it (oh = (h + PH − fh) / SH and ow = (w + PW − fw) / SW where those divide exactly, as in <see cref="Im2ColKernels.Col2Im"/>).
    /// </summary>
    public static void BackwardInput(Index1D i, ConvolutionGeometry g, int oc, ArrayView<float> dy, ArrayView<float> f, ArrayView<float> dx)
    {
        int w = i % g.W, h = i / g.W % g.H, c = i / (g.W * g.H) % g.C, n = i / (g.W * g.H * g.C);
        int k = g.PatchLength, p = g.OH * g.OW;
        float sum = 0f;
        for (int fh = 0; fh < g.FH; fh++)
        {
            int th = h + g.PadH - fh;
            if (th < 0 || th % g.StrideH != 0 || th / g.StrideH >= g.OH) continue;
            for (int fw = 0; fw < g.FW; fw++)
            {
                int tw = w + g.PadW - fw;
                if (tw < 0 || tw % g.StrideW != 0 || tw / g.StrideW >= g.OW) continue;
                int row = (c * g.FH + fh) * g.FW + fw, position = th / g.StrideH * g.OW + tw / g.StrideW;
                for (int o = 0; o < oc; o++) sum += f[o * k + row] * dy[(n * oc + o) * p + position];
            }
        }
        dx[i] = sum;
    }
}
