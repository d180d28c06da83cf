using System.Buffers;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace CourseKit.Backends;

/// <summary>
/// 3×3 stride-1 convolution by Winograd's minimal filtering F(2×2, 3×3) (Lavin and Gray 2016): each 2×2 block of the output
/// comes from a 4×4 tile d of the padded input as Y = Aᵀ[(G g Gᵀ) ⊙ (Bᵀ d B)]A, with 16 multiplications instead of 36.
/// Summed over channels, the 16 products ⊙ become 16 matrix products, one per entry ξ of the 4×4 tile:
/// <code>
/// U[ξ] (OC, C) = (G g Gᵀ)[ξ]       the filters, transformed once per call (stored transposed: cheap to pack)
/// V[ξ] (C, T)  = (Bᵀ d B)[ξ]       every tile t of the image (input transform)
/// M[ξ] (OC, T) = U[ξ] · V[ξ]        16 GEMMs: 2.25 times fewer multiply-adds than im2col + GEMM
/// Y            = Aᵀ M A             every tile back to its 2×2 outputs (output transform)
/// </code>
/// The gradients follow from the same transforms: dX is this convolution of dY with the filters turned by 180°
/// (<see cref="CpuImplicitConvolution.BackwardInput"/> calls <see cref="Forward"/> for it), and since Y is linear in U,
/// dU[ξ] = Σ_t (A dY_t Aᵀ)[ξ] · V[ξ]ᵀ and dg = Gᵀ dU G (<see cref="BackwardFilter"/>).
/// Same results as im2col + GEMM up to float rounding (the transforms only add, subtract and halve).
/// The transforms work on 16 neighbouring tiles at once in AVX-512 vectors; without AVX-512, or where the tiles would
/// not fill the vectors, <see cref="CpuImplicitConvolution"/> uses the GEMM paths instead.
/// </summary>
internal static unsafe class CpuWinograd
{
    private const int Lanes = 16; // tiles per vector

    /// <summary>
    /// Whether F(2×2, 3×3) applies and pays: a 3×3 filter, stride 1 and the same padding P ≤ 2 along both axes (so that
    /// dX is one too), enough channels for the 16 GEMMs, and tile rows that fill the vectors (at most an eighth of the
    /// tiles wasted). Other strides and paddings take the GEMM paths of <see cref="CpuImplicitConvolution"/>.
    /// </summary>
    public static bool Applies(ConvolutionGeometry g, int outChannels) =>
        Avx512F.IsSupported && g.FH == 3 && g.FW == 3 && g is { StrideH: 1, StrideW: 1 } && g.PadH == g.PadW && g.PadH <= 2 &&
        g.C >= 8 && outChannels >= 8 && Waste(Tiles(g.OW)) <= 0.125 &&
        Waste(Tiles(g.W)) <= 0.125; // dX's geometry: output width W

    private static int Tiles(int outputs) => (outputs + 1) / 2;

    private static double Waste(int tiles) => 1.0 - (double)tiles / RoundUp(tiles, Lanes);

    private static int RoundUp(int n, int multiple) => (n + multiple - 1) / multiple * multiple;

    /// <summary>Y (N, OC, OH, OW) = X ⊗ F + b.</summary>
    public static void Forward(float[] x, ConvolutionGeometry g, float[] f, int oc, float[]? bias, float[] y)
    {
        var u = TransformFilters(f, oc, g.C);
        int p = g.OH * g.OW;
        ImageParallelism.EachImage(g.N, (n, _) =>
        {
            var tiles = TileBuffers.ForThisThread(g, oc);
            tiles.LoadImage(x, n);
            tiles.InputTransform();
            for (int xi = 0; xi < 16; xi++)
                CpuGemm.Run(true, false, oc, tiles.T, g.C, 1f, u.AsSpan(xi * g.C * oc, g.C * oc), oc,
                            tiles.V(xi), tiles.Stride, 0f, tiles.M(xi), tiles.Stride, GemmKernelKind.Auto, parallel: false);
            tiles.OutputTransform(bias, y.AsSpan(n * oc * p, oc * p));
        });
    }

    /// <summary>dF (OC, C, 3, 3) = Gᵀ [Σ_n Σ_t (A dY_t Aᵀ) ⊙ (Bᵀ d_t B)] G, the sums as 16 GEMMs per image.</summary>
    public static void BackwardFilter(float[] dy, float[] x, ConvolutionGeometry g, int oc, float[] df)
    {
        int size = 16 * oc * g.C;
        float[] du = ArrayPool<float>.Shared.Rent(size); // dU[ξ] (OC, C), summed over the images
        ImageParallelism.SumOverImages(g.N, du, size, (first, end, into, _) =>
        {
            var tiles = TileBuffers.ForThisThread(g, oc);
            for (int n = first; n < end; n++)
            {
                tiles.LoadImage(x, n);
                tiles.InputTransform();
                tiles.GradientTransform(dy.AsSpan(n * oc * g.OH * g.OW, oc * g.OH * g.OW));
                for (int xi = 0; xi < 16; xi++)
                    CpuGemm.Run(false, true, oc, g.C, tiles.T, 1f, tiles.M(xi), tiles.Stride, tiles.V(xi), tiles.Stride,
                                n == first ? 0f : 1f, into.Slice(xi * oc * g.C, oc * g.C), g.C,
                                GemmKernelKind.Auto, parallel: false);
            }
        });
        UntransformFilterGradient(du, oc, g.C, df);
        ArrayPool<float>.Shared.Return(du);
    }

    /// <summary>U[ξ] transposed, U[ξ][c, o] = (G g Gᵀ)[ξ] for every filter g = F[o, c].</summary>
    private static float[] TransformFilters(float[] f, int oc, int channels)
    {
        var u = new float[16 * oc * channels];
        Span<float> gg = stackalloc float[12], full = stackalloc float[16];
        for (int o = 0; o < oc; o++)
            for (int c = 0; c < channels; c++)
            {
                var g = f.AsSpan((o * channels + c) * 9, 9);
                for (int j = 0; j < 3; j++) TimesG(g[j], g[3 + j], g[6 + j], gg, j, 3);        // G g: columns of g
                for (int i = 0; i < 4; i++) TimesG(gg[3 * i], gg[3 * i + 1], gg[3 * i + 2], full, 4 * i, 1); // (G g) Gᵀ: rows
                for (int xi = 0; xi < 16; xi++) u[(xi * channels + c) * oc + o] = full[xi];
            }
        return u;
    }

    // G = [[1, 0, 0], [½, ½, ½], [½, −½, ½], [0, 0, 1]] times (a, b, c), written at at, at + step, ...
    private static void TimesG(float a, float b, float c, Span<float> to, int at, int step)
    {
        to[at] = a;
        to[at + step] = 0.5f * (a + b + c);
        to[at + 2 * step] = 0.5f * (a - b + c);
        to[at + 3 * step] = c;
    }

    /// <summary>dF[o, c] = Gᵀ dU[o, c] G, where dU[ξ][o, c] is laid out as the GEMMs wrote it.</summary>
    private static void UntransformFilterGradient(float[] du, int oc, int channels, float[] df)
    {
        Span<float> d = stackalloc float[16], half = stackalloc float[12];
        for (int o = 0; o < oc; o++)
            for (int c = 0; c < channels; c++)
            {
                for (int xi = 0; xi < 16; xi++) d[xi] = du[(xi * oc + o) * channels + c];
                for (int j = 0; j < 4; j++) TimesGt(d[j], d[4 + j], d[8 + j], d[12 + j], half, j, 4);       // Gᵀ dU: columns
                var g = df.AsSpan((o * channels + c) * 9, 9);
                for (int i = 0; i < 3; i++) TimesGt(half[4 * i], half[4 * i + 1], half[4 * i + 2], half[4 * i + 3], g, 3 * i, 1); // rows · G
            }
    }

    // Gᵀ = [[1, ½, ½, 0], [0, ½, −½, 0], [0, ½, ½, 1]] times (a, b, c, d)
    private static void TimesGt(float a, float b, float c, float d, Span<float> to, int at, int step)
    {
        to[at] = a + 0.5f * (b + c);
        to[at + step] = 0.5f * (b - c);
        to[at + 2 * step] = 0.5f * (b + c) + d;
    }

    /// <summary>
    /// One thread's buffers for one geometry: the padded image, V, and M (the GEMMs' output, or A dY Aᵀ for the filter
    /// gradient). Tiles are numbered t = ti·TW + tj with TW a multiple of 16; the padding and the tiles past the image
    /// are zeros that are never written, so the transforms need no border cases. V and M keep a channel's 16 entries
    /// ξ together (V[c][ξ][t], M[o][ξ][t]): a transform reads or writes 16 vectors within a few KB, and V[ξ] is the
    /// matrix (C, T) with leading dimension 16·T.
    /// </summary>
    private sealed class TileBuffers
    {
        private readonly ConvolutionGeometry g;
        private readonly int outChannels, th, tw, hp, wp, gradientWidth;
        private readonly float[] image, v, m, gradient;

        /// <summary>Tiles per image, TH·TW.</summary>
        public int T { get; }

        private TileBuffers(ConvolutionGeometry g, int outChannels)
        {
            this.g = g;
            this.outChannels = outChannels;
            th = Tiles(g.OH);
            tw = RoundUp(Tiles(g.OW), Lanes);
            T = th * tw;
            hp = 2 * th + 2; // tile ti reads rows 2ti .. 2ti + 3
            wp = 2 * tw + 2;
            gradientWidth = 2 * tw;
            image = new float[g.C * hp * wp];
            v = new float[16 * g.C * T];
            m = new float[16 * outChannels * T];
            gradient = new float[outChannels * 2 * th * gradientWidth];
        }

        /// <summary>This thread's buffers for geometry <paramref name="g"/> (the batch size does not matter).</summary>
        public static TileBuffers ForThisThread(ConvolutionGeometry g, int outChannels) =>
            RecentPerThread<(ConvolutionGeometry, int), TileBuffers>.Get((g with { N = 1 }, outChannels), key => new TileBuffers(key.Item1, key.Item2));

        /// <summary>Leading dimension of the matrices V[ξ] and M[ξ]: 16·T.</summary>
        public int Stride => 16 * T;

        public Span<float> V(int xi) => v.AsSpan(xi * T, (g.C - 1) * Stride + T);

        public Span<float> M(int xi) => m.AsSpan(xi * T, (outChannels - 1) * Stride + T);

        /// <summary>Image n of X into the interior of the zero-padded image (lecture 1.2).</summary>
        public void LoadImage(float[] x, int n)
        {
            int h = g.H, w = g.W, plane = hp * wp;
            fixed (float* from = &x[n * g.C * h * w], to = image)
                for (int c = 0; c < g.C; c++)
                    for (int i = 0; i < h; i++) CopyRow(from + (c * h + i) * w, to + c * plane + (i + g.PadH) * wp + g.PadW, w);
        }

        // 16 tiles' columns 2tj (even) and 2tj + 1 (odd) from 32 neighbouring floats
        private static readonly Vector512<int> Even = Vector512.Create(0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30);
        private static readonly Vector512<int> Odd = Even + Vector512<int>.One;
        // and back: the first and second 16 floats of the interleaving of two vectors
        private static readonly Vector512<int> Low = Vector512.Create(0, 16, 1, 17, 2, 18, 3, 19, 4, 20, 5, 21, 6, 22, 7, 23);
        private static readonly Vector512<int> High = Low + Vector512.Create(8);

        /// <summary>V[ξ][c, t] = (Bᵀ d B)[ξ] for the 4×4 tile d of every tile t, Bᵀ = [[1,0,−1,0],[0,1,1,0],[0,−1,1,0],[0,1,0,−1]].</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void InputTransform()
        {
            int plane = hp * wp;
            fixed (float* pImage = image, pv = v)
                for (int c = 0; c < g.C; c++)
                    for (int ti = 0; ti < th; ti++)
                        for (int tj = 0; tj < tw; tj += Lanes)
                        {
                            float* row = pImage + c * plane + 2 * ti * wp + 2 * tj;
                            // d B for each of the tile's 4 rows, then Bᵀ (d B) across them
                            Columns(row, out var e00, out var e01, out var e02, out var e03);
                            Columns(row + wp, out var e10, out var e11, out var e12, out var e13);
                            Columns(row + 2 * wp, out var e20, out var e21, out var e22, out var e23);
                            Columns(row + 3 * wp, out var e30, out var e31, out var e32, out var e33);
                            float* to = pv + c * Stride + ti * tw + tj; // V[c][ξ][t]: ξ steps of T
                            Vector512.Store(e00 - e20, to);
                            Vector512.Store(e01 - e21, to + T);
                            Vector512.Store(e02 - e22, to + 2 * T);
                            Vector512.Store(e03 - e23, to + 3 * T);
                            Vector512.Store(e10 + e20, to + 4 * T);
                            Vector512.Store(e11 + e21, to + 5 * T);
                            Vector512.Store(e12 + e22, to + 6 * T);
                            Vector512.Store(e13 + e23, to + 7 * T);
                            Vector512.Store(e20 - e10, to + 8 * T);
                            Vector512.Store(e21 - e11, to + 9 * T);
                            Vector512.Store(e22 - e12, to + 10 * T);
                            Vector512.Store(e23 - e13, to + 11 * T);
                            Vector512.Store(e10 - e30, to + 12 * T);
                            Vector512.Store(e11 - e31, to + 13 * T);
                            Vector512.Store(e12 - e32, to + 14 * T);
                            Vector512.Store(e13 - e33, to + 15 * T);
                        }
        }

        // one row of 16 tiles, d0..d3 its 4 columns: d B = (d0 − d2, d1 + d2, d2 − d1, d1 − d3)
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static void Columns(float* row, out Vector512<float> e0, out Vector512<float> e1, out Vector512<float> e2, out Vector512<float> e3)
        {
            Vector512<float> a = Vector512.Load(row), b = Vector512.Load(row + 16), c = Vector512.Load(row + 2), d = Vector512.Load(row + 18);
            Vector512<float> d0 = Avx512F.PermuteVar16x32x2(a, Even, b), d1 = Avx512F.PermuteVar16x32x2(a, Odd, b),
                             d2 = Avx512F.PermuteVar16x32x2(c, Even, d), d3 = Avx512F.PermuteVar16x32x2(c, Odd, d);
            e0 = d0 - d2;
            e1 = d1 + d2;
            e2 = d2 - d1;
            e3 = d1 - d3;
        }

        /// <summary>Y[o] = Aᵀ M A + b[o] for every tile, Aᵀ = [[1,1,1,0],[0,1,−1,−1]]; only outputs inside OH×OW are written.</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void OutputTransform(float[]? bias, Span<float> y)
        {
            int oh = g.OH, ow = g.OW;
            float* spill = stackalloc float[64];
            fixed (float* pm = m, py = y)
                for (int o = 0; o < outChannels; o++)
                {
                    var b = Vector512.Create(bias?[o] ?? 0f);
                    for (int ti = 0; ti < th; ti++)
                        for (int tj = 0; tj < tw; tj += Lanes)
                        {
                            float* from = pm + o * Stride + ti * tw + tj;
                            // Aᵀ M: rows s0 = m0 + m1 + m2, s1 = m1 − m2 − m3 (m_i the tile's row i); then (Aᵀ M) A the same on columns
                            Vector512<float> m4 = Vector512.Load(from + 4 * T), m5 = Vector512.Load(from + 5 * T),
                                             m6 = Vector512.Load(from + 6 * T), m7 = Vector512.Load(from + 7 * T),
                                             m8 = Vector512.Load(from + 8 * T), m9 = Vector512.Load(from + 9 * T),
                                             m10 = Vector512.Load(from + 10 * T), m11 = Vector512.Load(from + 11 * T);
                            var s00 = Vector512.Load(from) + m4 + m8;
                            var s01 = Vector512.Load(from + T) + m5 + m9;
                            var s02 = Vector512.Load(from + 2 * T) + m6 + m10;
                            var s03 = Vector512.Load(from + 3 * T) + m7 + m11;
                            var s10 = m4 - m8 - Vector512.Load(from + 12 * T);
                            var s11 = m5 - m9 - Vector512.Load(from + 13 * T);
                            var s12 = m6 - m10 - Vector512.Load(from + 14 * T);
                            var s13 = m7 - m11 - Vector512.Load(from + 15 * T);
                            var y00 = s00 + s01 + s02 + b;
                            var y01 = s01 - s02 - s03 + b;
                            var y10 = s10 + s11 + s12 + b;
                            var y11 = s11 - s12 - s13 + b;
                            // interleave each row's even and odd columns: 32 neighbouring outputs of rows 2ti and 2ti + 1
                            int column = 2 * tj, count = Math.Min(32, ow - column);
                            float* top = py + (o * oh + 2 * ti) * ow + column;
                            bool whole = count == 32 && 2 * ti + 1 < oh;
                            float* at = whole ? top : spill, below = whole ? top + ow : spill + 32;
                            Vector512.Store(Avx512F.PermuteVar16x32x2(y00, Low, y01), at);
                            Vector512.Store(Avx512F.PermuteVar16x32x2(y00, High, y01), at + 16);
                            Vector512.Store(Avx512F.PermuteVar16x32x2(y10, Low, y11), below);
                            Vector512.Store(Avx512F.PermuteVar16x32x2(y10, High, y11), below + 16);
                            if (whole || count <= 0) continue;
                            // the right or bottom edge of the output
                            for (int r = 0; r < 2 && 2 * ti + r < oh; r++)
                                new ReadOnlySpan<float>(spill + 32 * r, count).CopyTo(new Span<float>(top + r * ow, count));
                        }
                }
        }

        /// <summary>
        /// M[ξ][o, t] = (A dY_t Aᵀ)[ξ] for the 2×2 block dY_t of every tile (zeros past the output), A = [[1,0],[1,1],[1,−1],[0,−1]].
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void GradientTransform(ReadOnlySpan<float> dy)
        {
            int oh = g.OH, ow = g.OW, plane = 2 * th * gradientWidth;
            fixed (float* from = dy, pg = gradient, pm = m)
            {
                for (int o = 0; o < outChannels; o++)
                    for (int i = 0; i < oh; i++) CopyRow(from + (o * oh + i) * ow, pg + o * plane + i * gradientWidth, ow);
                for (int o = 0; o < outChannels; o++)
                    for (int ti = 0; ti < th; ti++)
                        for (int tj = 0; tj < tw; tj += Lanes)
                        {
                            float* row = pg + o * plane + 2 * ti * gradientWidth + 2 * tj;
                            Vector512<float> a = Vector512.Load(row), b = Vector512.Load(row + 16);
                            Vector512<float> c = Vector512.Load(row + gradientWidth), d = Vector512.Load(row + gradientWidth + 16);
                            Vector512<float> g00 = Avx512F.PermuteVar16x32x2(a, Even, b), g01 = Avx512F.PermuteVar16x32x2(a, Odd, b),
                                             g10 = Avx512F.PermuteVar16x32x2(c, Even, d), g11 = Avx512F.PermuteVar16x32x2(c, Odd, d);
                            // A dY: rows (g0, g0 + g1, g0 − g1, −g1); then (A dY) Aᵀ the same on columns
                            Vector512<float> w00 = g00, w01 = g01, w10 = g00 + g10, w11 = g01 + g11,
                                             w20 = g00 - g10, w21 = g01 - g11, w30 = -g10, w31 = -g11;
                            float* to = pm + o * Stride + ti * tw + tj;
                            Store4(to, T, w00, w01);
                            Store4(to + 4 * T, T, w10, w11);
                            Store4(to + 8 * T, T, w20, w21);
                            Store4(to + 12 * T, T, w30, w31);
                        }
            }
        }

        // rows are short (32 floats): vectors in line rather than a call per row
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static void CopyRow(float* from, float* to, int count)
        {
            int j = 0;
            for (; j + 16 <= count; j += 16) Vector512.Store(Vector512.Load(from + j), to + j);
            for (; j < count; j++) to[j] = from[j];
        }

        // one row (w0, w1) of A dY, times Aᵀ: (w0, w0 + w1, w0 − w1, −w1)
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static void Store4(float* to, int stride, Vector512<float> w0, Vector512<float> w1)
        {
            Vector512.Store(w0, to);
            Vector512.Store(w0 + w1, to + stride);
            Vector512.Store(w0 - w1, to + 2 * stride);
            Vector512.Store(-w1, to + 3 * stride);
        }
    }
}
