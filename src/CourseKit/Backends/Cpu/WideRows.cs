using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace CourseKit.Backends;

/// <summary>
/// A stride-1 convolution read in "wide rows". Pad the image once (lecture 1.2), Hp = H + 2·PH by Wp = W + 2·PW, and compute
/// every output row over all Wp columns of the padded image: output position q = i·Wp + j, of which only j &lt; OW are kept.
/// Then the column-matrix entry of tap r = (c, fh, fw) at q is Xp[c][q + fh·Wp + fw] (lecture 1.3), so a row of the column
/// matrix is one contiguous stretch of the padded image, starting at <see cref="Offsets"/>[r]: packing a GEMM panel is a
/// plain copy, with no border cases. The Wp − OW extra columns per row cost extra work (6 % for 32×32 images and 3×3
/// filters) and are dropped.
/// Buffers belong to the thread and keep their zero borders from call to call: only the interior is ever written.
/// </summary>
internal sealed unsafe class WideRows
{
    public ConvolutionGeometry G { get; }
    public int Wp { get; }
    /// <summary>Wide output positions per image: OH·Wp.</summary>
    public int Length { get; }
    /// <summary>Where row r = (c, fh, fw) of the column matrix starts in <see cref="Image"/>: c·Hp·Wp + fh·Wp + fw.</summary>
    public int[] Offsets { get; }
    /// <summary>The padded image, C planes of Hp·Wp floats, then zeros that reads past the last wide row may touch.</summary>
    public float* Image { get; }

    private readonly int hp, plane;
    private readonly float[] storage;

    private WideRows(ConvolutionGeometry g)
    {
        G = g;
        hp = g.H + 2 * g.PadH;
        Wp = g.W + 2 * g.PadW;
        plane = hp * Wp;
        Length = g.OH * Wp;
        Offsets = new int[g.PatchLength];
        for (int c = 0, r = 0; c < g.C; c++)
            for (int fh = 0; fh < g.FH; fh++)
                for (int fw = 0; fw < g.FW; fw++) Offsets[r++] = c * plane + fh * Wp + fw;
        // a panel or an 8-wide block may read up to 64 floats past the last position
        storage = GC.AllocateArray<float>(g.C * plane + Wp + 64 + 16, pinned: true);
        Image = GemmBuffers.Aligned(storage);
    }

    /// <summary>This thread's wide-row buffer for geometry <paramref name="g"/> (the batch size does not matter).</summary>
    public static WideRows ForThisThread(ConvolutionGeometry g) =>
        RecentPerThread<ConvolutionGeometry, WideRows>.Get(g with { N = 1 }, key => new WideRows(key));

    /// <summary>
    /// Whether the wide-row form applies: stride 1 along both axes (with a stride S the taps of a wide row are S apart;
    /// the two paddings may differ).
    /// </summary>
    public static bool Apply(ConvolutionGeometry g) => g.StrideH == 1 && g.StrideW == 1;

    /// <summary>Copies image n of X (N, C, H, W) into the interior of the padded image.</summary>
    public void Load(float[] x, int n)
    {
        int h = G.H, w = G.W;
        fixed (float* source = &x[n * G.C * h * w])
            for (int c = 0; c < G.C; c++)
                for (int i = 0; i < h; i++)
                    Buffer.MemoryCopy(source + (c * h + i) * w, Image + c * plane + (i + G.PadH) * Wp + G.PadW, w * sizeof(float), w * sizeof(float));
    }

    /// <summary>Y_n (rows, OH, OW) from its wide form (rows, OH·Wp), dropping the extra columns and adding bias[row].</summary>
    public void Narrow(float* wide, int rows, float[]? bias, Span<float> y)
    {
        int oh = G.OH, ow = G.OW;
        for (int o = 0; o < rows; o++)
        {
            float b = bias?[o] ?? 0f;
            for (int i = 0; i < oh; i++)
            {
                var from = new ReadOnlySpan<float>(wide + o * Length + i * Wp, ow);
                var to = y.Slice((o * oh + i) * ow, ow);
                if (b == 0f) from.CopyTo(to);
                else System.Numerics.Tensors.TensorPrimitives.Add(from, b, to);
            }
        }
    }

    /// <summary>
    /// dY_n (rows, OH, OW) in wide form (rows, OH·Wp) with zeros in the extra columns, into <paramref name="wide"/>
    /// whose extra columns are zero already (<see cref="GradientRows"/>).
    /// </summary>
    public void Widen(ReadOnlySpan<float> dy, int rows, float* wide)
    {
        int oh = G.OH, ow = G.OW;
        for (int o = 0; o < rows; o++)
            for (int i = 0; i < oh; i++)
                dy.Slice((o * oh + i) * ow, ow).CopyTo(new Span<float>(wide + o * Length + i * Wp, ow));
    }

    private float[]? output, gradient;
    private int outputRows, gradientRows;

    /// <summary>Room for <paramref name="rows"/> wide rows of output (Y_n or dX_n before <see cref="Narrow"/>).</summary>
    public float* OutputRows(int rows) => Rows(ref output, ref outputRows, rows);

    /// <summary>
    /// Room for <paramref name="rows"/> wide rows of output gradient, zero in the extra columns, where <see cref="Widen"/>
    /// never writes (nothing else writes this buffer).
    /// </summary>
    public float* GradientRows(int rows) => Rows(ref gradient, ref gradientRows, rows);

    private float* Rows(ref float[]? buffer, ref int count, int rows)
    {
        if (buffer is null || count != rows)
        {
            buffer = GC.AllocateArray<float>(rows * Length + 16, pinned: true);
            count = rows;
        }
        return GemmBuffers.Aligned(buffer);
    }


    /// <summary>
    /// B = the image's column matrix (C·FH·FW × OH·Wp) for Y = F · B: step p of a panel is nr neighbouring wide positions of
    /// column-matrix row p, a plain copy from the padded image.
    /// </summary>
    public sealed class Columns(WideRows wide) : IPanelSource
    {
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void PackB(int p0, int kc, int j0, int nc, int nr, float* dst)
        {
            // the last panel is copied whole: the columns past nc are finite and the GEMM drops them
            for (int p = 0; p < kc; p++)
            {
                float* src = wide.Image + wide.Offsets[p0 + p] + j0, d = dst + p * nr;
                for (int jr = 0; jr < nc; jr += nr, src += nr, d += nr * kc)
                    for (int v = 0; v < nr; v += Vector256<float>.Count) Vector256.Store(Vector256.Load(src + v), d + v);
            }
        }
    }

    /// <summary>
    /// B = the column matrix transposed (OH·Wp × C·FH·FW) for dF = dY · B: a panel holds nr column-matrix rows over kc wide
    /// positions, made by 8×8 transposes of stretches of the padded image.
    /// </summary>
    public sealed class TransposedColumns(WideRows wide) : IPanelSource
    {
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void PackB(int p0, int kc, int j0, int nc, int nr, float* dst)
        {
            int[] offsets = wide.Offsets;
            int last = offsets.Length - 1;
            // rows past the last tap read the last tap again: finite, and the GEMM drops their columns
            float* Row(int r) => wide.Image + offsets[Math.Min(r, last)] + p0;
            for (int jr = 0; jr < nc; jr += nr)
            {
                float* panel = dst + jr * kc;
                for (int r8 = 0; r8 < nr; r8 += 8)
                {
                    float* s0 = Row(j0 + jr + r8), s1 = Row(j0 + jr + r8 + 1), s2 = Row(j0 + jr + r8 + 2), s3 = Row(j0 + jr + r8 + 3),
                           s4 = Row(j0 + jr + r8 + 4), s5 = Row(j0 + jr + r8 + 5), s6 = Row(j0 + jr + r8 + 6), s7 = Row(j0 + jr + r8 + 7);
                    int p = 0;
                    if (Avx.IsSupported)
                        for (; p + 8 <= kc; p += 8)
                            GemmPacking.Transpose8x8(Avx.LoadVector256(s0 + p), Avx.LoadVector256(s1 + p), Avx.LoadVector256(s2 + p),
                                                     Avx.LoadVector256(s3 + p), Avx.LoadVector256(s4 + p), Avx.LoadVector256(s5 + p),
                                                     Avx.LoadVector256(s6 + p), Avx.LoadVector256(s7 + p), panel + p * nr + r8, nr);
                    for (; p < kc; p++)
                    {
                        float* d = panel + p * nr + r8;
                        d[0] = s0[p]; d[1] = s1[p]; d[2] = s2[p]; d[3] = s3[p];
                        d[4] = s4[p]; d[5] = s5[p]; d[6] = s6[p]; d[7] = s7[p];
                    }
                }
            }
        }
    }
}
