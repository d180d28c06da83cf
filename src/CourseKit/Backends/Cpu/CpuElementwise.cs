using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using TP = System.Numerics.Tensors.TensorPrimitives;

namespace CourseKit.Backends;

/// <summary>
/// Elementwise maps, broadcasting binaries, strided copies and axis reductions on host arrays.
/// Each public kernel has a fast path (SIMD through <see cref="TP">TensorPrimitives</see> on contiguous runs,
/// every core through <see cref="CoreTeam"/> on large arrays) and keeps its plain loop as <c>…Reference</c>:
/// the reference is what the tests trust, the fast path must agree with it.
/// </summary>
internal static class CpuElementwise
{
    /// <summary>
    /// Below this much work (in simple element operations, about 0.2 ms on one core) one core does it all:
    /// one core's SIMD already nearly saturates memory, so a second core pays only on large arrays, and on a
    /// busy machine waiting for a second thread can cost more than the whole operation.
    /// </summary>
    internal const int ParallelThreshold = 1 << 20;

    /// <summary>Each parallel task gets at least this much work.</summary>
    private const int MinChunk = 1 << 18;

    /// <summary>Work per element, in simple operations: transcendental functions cost several.</summary>
    private static int Cost(UnaryOp op) => op is UnaryOp.Exp or UnaryOp.Log or UnaryOp.Sigmoid or UnaryOp.Tanh or UnaryOp.Elu ? 8 : 1;

    private static int Cost(BinaryOp op) => op == BinaryOp.Power ? 8 : 1;

    /// <summary>How many cores the kernels may use (the benchmark sets 1 to measure SIMD alone).</summary>
    internal static int Cores { get; set; } = Environment.ProcessorCount;

    /// <summary>Runs body(start, count) over [0, total), split into parallel chunks when the work is large.</summary>
    internal static void ForRanges(int total, long workPerItem, Action<int, int> body)
    {
        long work = total * Math.Max(1, workPerItem);
        if (work < ParallelThreshold || Cores <= 1 || total < 2)
        {
            body(0, total);
            return;
        }
        int chunks = (int)Math.Min(Math.Min(total, work / MinChunk), Cores * 4L);
        CoreTeam.ForEach(chunks, c =>
        {
            int start = (int)((long)total * c / chunks), end = (int)((long)total * (c + 1) / chunks);
            body(start, end - start);
        });
    }

    // ---------------------------------------------------------------- unary: y = f(x)

    public static unsafe void Unary(UnaryOp op, ReadOnlySpan<float> x, Span<float> y, float alpha)
    {
        if ((long)x.Length * Cost(op) < ParallelThreshold)
        {
            UnaryChunk(op, x, y, alpha);
            return;
        }
        fixed (float* px = x, py = y)
        {
            nint xs = (nint)px, ys = (nint)py;
            ForRanges(x.Length, Cost(op), (start, count) =>
                UnaryChunk(op, new ReadOnlySpan<float>((float*)xs + start, count), new Span<float>((float*)ys + start, count), alpha));
        }
    }

    private static void UnaryChunk(UnaryOp op, ReadOnlySpan<float> x, Span<float> y, float alpha)
    {
        if (x.IsEmpty) return; // some TensorPrimitives functions reject empty spans
        switch (op)
        {
            case UnaryOp.Copy: x.CopyTo(y); break;
            case UnaryOp.Negate: TP.Negate(x, y); break;
            case UnaryOp.Abs: TP.Abs(x, y); break;
            case UnaryOp.Square: TP.Multiply(x, x, y); break;
            case UnaryOp.Sqrt: TP.Sqrt(x, y); break;
            case UnaryOp.Exp: TP.Exp(x, y); break;
            case UnaryOp.Log: TP.Log(x, y); break;
            case UnaryOp.Reciprocal: TP.Reciprocal(x, y); break;
            case UnaryOp.Relu: Relu(x, y); break;
            case UnaryOp.Sigmoid: TP.Sigmoid(x, y); break;
            case UnaryOp.Tanh: TP.Tanh(x, y); break;
            case UnaryOp.LeakyRelu: LeakyRelu(x, y, alpha); break;
            case UnaryOp.Elu: Elu(x, y, alpha); break;
            case UnaryOp.Softsign: Softsign(x, y); break;
            default: UnaryReference(op, x, y, alpha); break;
        }
    }

    // The reference's v > 0 ? v : 0 as a SIMD select (NaN and −0 give +0). Compiled optimized at once: it runs on every
    // mini-batch of a CNN, so the tiered JIT would run it unoptimized for much of a first epoch.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Relu(ReadOnlySpan<float> x, Span<float> y)
    {
        ref float xs = ref MemoryMarshal.GetReference(x);
        ref float ys = ref MemoryMarshal.GetReference(y);
        int width = Vector<float>.Count, i = 0;
        for (; i <= x.Length - width; i += width)
        {
            var v = Vector.LoadUnsafe(ref xs, (nuint)i);
            Vector.ConditionalSelect(Vector.GreaterThan(v, Vector<float>.Zero), v, Vector<float>.Zero).StoreUnsafe(ref ys, (nuint)i);
        }
        for (; i < x.Length; i++) y[i] = x[i] > 0f ? x[i] : 0f;
    }

    private static void LeakyRelu(ReadOnlySpan<float> x, Span<float> y, float alpha)
    {
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var a = new Vector<float>(alpha);
            for (; i <= x.Length - Vector<float>.Count; i += Vector<float>.Count)
            {
                var v = new Vector<float>(x[i..]);
                Vector.ConditionalSelect(Vector.GreaterThan(v, Vector<float>.Zero), v, v * a).CopyTo(y[i..]);
            }
        }
        for (; i < x.Length; i++) y[i] = Apply(UnaryOp.LeakyRelu, x[i], alpha);
    }

    private static void Elu(ReadOnlySpan<float> x, Span<float> y, float alpha)
    {
        // exp into a small buffer (y may be x itself), then choose per element: v > 0 ? v : alpha·(e^v − 1).
        Span<float> e = stackalloc float[256];
        for (int start = 0; start < x.Length; start += e.Length)
        {
            int n = Math.Min(e.Length, x.Length - start);
            var xs = x.Slice(start, n);
            var ys = y.Slice(start, n);
            TP.Exp(xs, e[..n]);
            for (int i = 0; i < n; i++) ys[i] = xs[i] > 0f ? xs[i] : alpha * (e[i] - 1f);
        }
    }

    private static void Softsign(ReadOnlySpan<float> x, Span<float> y)
    {
        int i = 0;
        if (Vector.IsHardwareAccelerated)
            for (; i <= x.Length - Vector<float>.Count; i += Vector<float>.Count)
            {
                var v = new Vector<float>(x[i..]);
                (v / (Vector<float>.One + Vector.Abs(v))).CopyTo(y[i..]);
            }
        for (; i < x.Length; i++) y[i] = Apply(UnaryOp.Softsign, x[i], 0f);
    }

    public static void UnaryReference(UnaryOp op, ReadOnlySpan<float> x, Span<float> y, float alpha)
    {
        for (int i = 0; i < x.Length; i++) y[i] = Apply(op, x[i], alpha);
    }

    public static float Apply(UnaryOp op, float v, float alpha) => op switch
    {
        UnaryOp.Copy => v,
        UnaryOp.Negate => -v,
        UnaryOp.Abs => MathF.Abs(v),
        UnaryOp.Square => v * v,
        UnaryOp.Sqrt => MathF.Sqrt(v),
        UnaryOp.Exp => MathF.Exp(v),
        UnaryOp.Log => MathF.Log(v),
        UnaryOp.Reciprocal => 1f / v,
        UnaryOp.Relu => v > 0f ? v : 0f,
        UnaryOp.LeakyRelu => v > 0f ? v : alpha * v,
        UnaryOp.Elu => v > 0f ? v : alpha * (MathF.Exp(v) - 1f),
        UnaryOp.Sigmoid => 1f / (1f + MathF.Exp(-v)),
        UnaryOp.Tanh => MathF.Tanh(v),
        UnaryOp.Softsign => v / (1f + MathF.Abs(v)),
        _ => throw new ArgumentOutOfRangeException(nameof(op), op, null),
    };

    public static float Apply(BinaryOp op, float a, float b) => op switch
    {
        BinaryOp.Add => a + b,
        BinaryOp.Subtract => a - b,
        BinaryOp.Multiply => a * b,
        BinaryOp.Divide => a / b,
        BinaryOp.Maximum => MathF.Max(a, b),
        BinaryOp.Minimum => MathF.Min(a, b),
        BinaryOp.Power => MathF.Pow(a, b),
        _ => throw new ArgumentOutOfRangeException(nameof(op), op, null),
    };

    // ---------------------------------------------------------------- binary with a scalar: y = a ∘ s or s ∘ a

    public static unsafe void BinaryScalar(BinaryOp op, ReadOnlySpan<float> a, float s, bool scalarFirst, Span<float> y)
    {
        if ((long)a.Length * Cost(op) < ParallelThreshold)
        {
            ScalarRun(op, a, s, scalarFirst, y);
            return;
        }
        fixed (float* pa = a, py = y)
        {
            nint aStart = (nint)pa, yStart = (nint)py;
            ForRanges(a.Length, Cost(op), (start, count) =>
                ScalarRun(op, new ReadOnlySpan<float>((float*)aStart + start, count), s, scalarFirst, new Span<float>((float*)yStart + start, count)));
        }
    }

    public static void BinaryScalarReference(BinaryOp op, ReadOnlySpan<float> a, float s, bool scalarFirst, Span<float> y)
    {
        if (scalarFirst) for (int i = 0; i < a.Length; i++) y[i] = Apply(op, s, a[i]);
        else for (int i = 0; i < a.Length; i++) y[i] = Apply(op, a[i], s);
    }

    /// <summary>One contiguous run of a ∘ s (or s ∘ a), vectorized.</summary>
    private static void ScalarRun(BinaryOp op, ReadOnlySpan<float> a, float s, bool scalarFirst, Span<float> y)
    {
        if (a.IsEmpty) return;
        switch (op)
        {
            case BinaryOp.Add: TP.Add(a, s, y); break;
            case BinaryOp.Multiply: TP.Multiply(a, s, y); break;
            case BinaryOp.Maximum: TP.Max(a, s, y); break;
            case BinaryOp.Minimum: TP.Min(a, s, y); break;
            case BinaryOp.Subtract: if (scalarFirst) TP.Subtract(s, a, y); else TP.Subtract(a, s, y); break;
            case BinaryOp.Divide: if (scalarFirst) TP.Divide(s, a, y); else TP.Divide(a, s, y); break;
            case BinaryOp.Power when !scalarFirst && s == 2f: TP.Multiply(a, a, y); break;
            default: BinaryScalarReference(op, a, s, scalarFirst, y); break;
        }
    }

    /// <summary>One contiguous run of a ∘ b, vectorized.</summary>
    private static void PairRun(BinaryOp op, ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> y)
    {
        switch (op)
        {
            case BinaryOp.Add: TP.Add(a, b, y); break;
            case BinaryOp.Subtract: TP.Subtract(a, b, y); break;
            case BinaryOp.Multiply: TP.Multiply(a, b, y); break;
            case BinaryOp.Divide: TP.Divide(a, b, y); break;
            case BinaryOp.Maximum: TP.Max(a, b, y); break;
            case BinaryOp.Minimum: TP.Min(a, b, y); break;
            default: for (int i = 0; i < y.Length; i++) y[i] = Apply(op, a[i], b[i]); break;
        }
    }

    // ---------------------------------------------------------------- broadcasting binary

    /// <summary>
    /// y = a ∘ b over <paramref name="shape"/>. The axes are first merged where both operands are laid out
    /// contiguously across them, so that the innermost run is as long as possible; each run is then one of
    /// four vectorized cases: both contiguous (same shape), a row of a with one value of b (the channel bias
    /// (N, C, H, W) + (1, C, 1, 1)), one value of a with a row of b, or one value for both.
    /// </summary>
    public static void Binary(BinaryOp op, float[] a, ReadOnlySpan<int> aStrides, float[] b, ReadOnlySpan<int> bStrides,
                              float[] y, ReadOnlySpan<int> shape)
    {
        var (dims, sa, sb) = Coalesce(shape, aStrides, bStrides);
        int ra = dims.Length == 0 ? 0 : sa[^1], rb = dims.Length == 0 ? 0 : sb[^1];
        ForEachRun(dims, sa, sb, 0, 0, Cost(op), (start, length, ai, bi) =>
        {
            var yRun = y.AsSpan(start, length);
            if (ra == 1 && rb == 1) PairRun(op, a.AsSpan(ai, length), b.AsSpan(bi, length), yRun);
            else if (ra == 1 && rb == 0) ScalarRun(op, a.AsSpan(ai, length), b[bi], false, yRun);
            else if (ra == 0 && rb == 1) ScalarRun(op, b.AsSpan(bi, length), a[ai], true, yRun);
            else if (ra == 0 && rb == 0) yRun.Fill(Apply(op, a[ai], b[bi]));
            else for (int j = 0; j < length; j++) yRun[j] = Apply(op, a[ai + j * ra], b[bi + j * rb]);
        });
    }

    /// <summary>What to do with one run: its position in the row-major output, its length, and where it starts in p and q.</summary>
    private delegate void RunBody(int start, int length, int p, int q);

    /// <summary>
    /// Walks a coalesced iteration as runs along its last axis (an odometer over the other axes), in parallel
    /// chunks when large. A few very long runs (a fully contiguous array is one run) are cut into pieces so that
    /// they still split across cores.
    /// </summary>
    private static void ForEachRun(int[] dims, int[] sp, int[] sq, int pOffset, int qOffset, int cost, RunBody body)
    {
        int total = 1;
        foreach (int d in dims) total *= d;
        if (total == 0) return;
        int r = dims.Length;
        if (r == 0) { body(0, 1, pOffset, qOffset); return; }
        int run = dims[r - 1], rp = sp[r - 1], rq = sq[r - 1];
        int rows = total / run;
        int pieces = rows >= 2 * Cores ? 1 : (int)Math.Clamp((long)run * cost / MinChunk, 1, 2 * Cores);
        int piece = (run + pieces - 1) / pieces;
        ForRanges(rows * pieces, (long)piece * cost, (first, count) =>
        {
            // Read positions of the first row of this chunk, by unravelling its index over the outer axes.
            Span<int> index = stackalloc int[r];
            int row = first / pieces, p = pOffset, q = qOffset, rest = row;
            for (int d = r - 2; d >= 0; d--)
            {
                index[d] = rest % dims[d];
                rest /= dims[d];
                p += index[d] * sp[d];
                q += index[d] * sq[d];
            }
            for (int u = first; u < first + count; u++)
            {
                if (u / pieces != row)
                {
                    row++;
                    // Odometer over the outer axes.
                    for (int d = r - 2; d >= 0; d--)
                    {
                        index[d]++;
                        p += sp[d];
                        q += sq[d];
                        if (index[d] < dims[d]) break;
                        p -= sp[d] * dims[d];
                        q -= sq[d] * dims[d];
                        index[d] = 0;
                    }
                }
                int j0 = u % pieces * piece, length = Math.Min(piece, run - j0);
                if (length > 0) body(row * run + j0, length, p + j0 * rp, q + j0 * rq);
            }
        });
    }

    public static void BinaryReference(BinaryOp op, float[] a, ReadOnlySpan<int> aStrides, float[] b, ReadOnlySpan<int> bStrides,
                                       float[] y, ReadOnlySpan<int> shape)
    {
        int rank = shape.Length;
        int total = 1;
        foreach (int d in shape) total *= d;
        if (total == 0) return;
        Span<int> index = stackalloc int[Math.Max(rank, 1)];
        index.Clear();
        int ai = 0, bi = 0;
        for (int i = 0; i < total; i++)
        {
            y[i] = Apply(op, a[ai], b[bi]);
            // Odometer increment over the shape, moving both read positions by their strides.
            for (int d = rank - 1; d >= 0; d--)
            {
                index[d]++;
                ai += aStrides[d];
                bi += bStrides[d];
                if (index[d] < shape[d]) break;
                ai -= aStrides[d] * shape[d];
                bi -= bStrides[d] * shape[d];
                index[d] = 0;
            }
        }
    }

    /// <summary>
    /// Drops axes of size 1 and merges each axis into the next inner one when both stride lists step across
    /// the pair as across one longer axis (stride[d] = stride[d+1]·size[d+1]). Visits the same elements in the same order.
    /// </summary>
    internal static (int[] Dims, int[] A, int[] B) Coalesce(ReadOnlySpan<int> shape, ReadOnlySpan<int> aStrides, ReadOnlySpan<int> bStrides)
    {
        var dims = new List<int>(shape.Length);
        var sa = new List<int>(shape.Length);
        var sb = new List<int>(shape.Length);
        for (int d = 0; d < shape.Length; d++)
        {
            if (shape[d] == 1) continue;
            if (shape[d] == 0) return ([0], [0], [0]);
            int last = dims.Count - 1;
            if (last >= 0 && sa[last] == aStrides[d] * shape[d] && sb[last] == bStrides[d] * shape[d])
            {
                dims[last] *= shape[d];
                sa[last] = aStrides[d];
                sb[last] = bStrides[d];
            }
            else
            {
                dims.Add(shape[d]);
                sa.Add(aStrides[d]);
                sb.Add(bStrides[d]);
            }
        }
        return (dims.ToArray(), sa.ToArray(), sb.ToArray());
    }

    // ---------------------------------------------------------------- strided copy

    /// <summary>
    /// Copies through strides. Runs that are contiguous on both sides become block copies, runs that repeat one
    /// value (stride 0: broadcasting, e.g. a bias into every row) fills; a transpose (the output's last axis is read
    /// with a stride, and the axis before it is contiguous in the source) is copied in bands so that both the reads
    /// and the writes stay in cache.
    /// </summary>
    public static void StridedCopy(float[] x, int xOffset, ReadOnlySpan<int> xStrides,
                                   float[] y, int yOffset, ReadOnlySpan<int> yStrides, ReadOnlySpan<int> shape)
    {
        var (dims, sx, sy) = Coalesce(shape, xStrides, yStrides);
        int r = dims.Length;
        if (r >= 2 && sy[r - 1] == 1 && sx[r - 2] == 1 && sx[r - 1] > 1 && dims[r - 1] >= 8 && dims[r - 2] >= 8)
        {
            TiledTranspose(x, xOffset, sx, y, yOffset, sy, dims);
            return;
        }
        int rx = r == 0 ? 0 : sx[^1], ry = r == 0 ? 0 : sy[^1];
        ForEachRun(dims, sx, sy, xOffset, yOffset, 1, (_, length, xi, yi) =>
        {
            if (rx == 1 && ry == 1) x.AsSpan(xi, length).CopyTo(y.AsSpan(yi, length));
            else if (rx == 0 && ry == 1) y.AsSpan(yi, length).Fill(x[xi]);
            else for (int j = 0; j < length; j++) y[yi + j * ry] = x[xi + j * rx];
        });
    }

    /// <summary>
    /// y[.., i, j] = x[.., i, j] where x steps 1 along i and sx[^1] along j, y steps sy[^2] along i and 1 along j:
    /// a stack of matrix transposes. Each task takes a band of Band rows i and walks j, so that it reads a short
    /// contiguous piece of x per j and keeps only Band output lines in cache (few enough that power-of-two
    /// strides, which map all of them to one cache set, still fit).
    /// </summary>
    private static void TiledTranspose(float[] x, int xOffset, int[] sx, float[] y, int yOffset, int[] sy, int[] dims)
    {
        const int Band = 8;
        int r = dims.Length, m = dims[r - 2], n = dims[r - 1];
        int xj = sx[r - 1], yi = sy[r - 2];
        int stack = 1;
        for (int d = 0; d < r - 2; d++) stack *= dims[d];
        int bands = (m + Band - 1) / Band;
        ForRanges(stack * bands, (long)Band * n, (first, count) =>
        {
            for (int u = first; u < first + count; u++)
            {
                // Where this matrix of the stack starts, by unravelling its index over the leading axes.
                int s = u / bands, i0 = u % bands * Band, rest = s, xb = xOffset, yb = yOffset;
                for (int d = r - 3; d >= 0; d--)
                {
                    int k = rest % dims[d];
                    rest /= dims[d];
                    xb += k * sx[d];
                    yb += k * sy[d];
                }
                int rows = Math.Min(Band, m - i0);
                for (int j = 0; j < n; j++)
                {
                    var source = x.AsSpan(xb + j * xj + i0, rows);
                    int target = yb + i0 * yi + j;
                    for (int i = 0; i < rows; i++) y[target + i * yi] = source[i];
                }
            }
        });
    }

    public static void StridedCopyReference(float[] x, int xOffset, ReadOnlySpan<int> xStrides,
                                            float[] y, int yOffset, ReadOnlySpan<int> yStrides, ReadOnlySpan<int> shape)
    {
        int rank = shape.Length;
        int total = 1;
        foreach (int d in shape) total *= d;
        if (total == 0) return;
        Span<int> index = stackalloc int[Math.Max(rank, 1)];
        index.Clear();
        int xi = xOffset, yi = yOffset;
        for (int i = 0; i < total; i++)
        {
            y[yi] = x[xi];
            for (int d = rank - 1; d >= 0; d--)
            {
                index[d]++;
                xi += xStrides[d];
                yi += yStrides[d];
                if (index[d] < shape[d]) break;
                xi -= xStrides[d] * shape[d];
                yi -= yStrides[d] * shape[d];
                index[d] = 0;
            }
        }
    }

    // ---------------------------------------------------------------- reductions over the middle axis of (outer, axis, inner)

    /// <summary>
    /// Two layouts: inner = 1 (the reduced axis is last, e.g. softmax over classes) reduces each contiguous row
    /// with one vectorized call; inner &gt; 1 (axis 0 or a middle axis, e.g. the bias gradient) accumulates whole
    /// rows of length inner into the output row, which is also vectorized. Sums accumulate blocks in float and the
    /// blocks in double, to stay close to the double-precision reference.
    /// </summary>
    public static void Reduce(ReduceOp op, float[] x, int outer, int axis, int inner, float[] y)
    {
        if (outer * inner == 0 || axis == 0) { ReduceReference(op, x, outer, axis, inner, y); return; }
        if (inner == 1)
        {
            ForRanges(outer, axis, (start, count) => ReduceRows(op, x, start, count, axis, y));
            return;
        }
        // Tiles of (one outer slice) × (a block of inner columns), so that a reduction over axis 0
        // (outer = 1) still splits across cores.
        const int Block = 1024;
        int blocks = (inner + Block - 1) / Block;
        ForRanges(outer * blocks, (long)axis * Math.Min(inner, Block), (start, count) =>
        {
            for (int t = start; t < start + count; t++)
            {
                int o = t / blocks, i0 = t % blocks * Block, n = Math.Min(Block, inner - i0);
                ReduceColumns(op, x, o * axis * inner + i0, axis, inner, y.AsSpan(o * inner + i0, n));
            }
        });
    }

    // Compiled optimized at once, as are the sums below: the bias gradient of a convolution sums thousands of short rows
    // per call, and a mini-batch calls it once, so the tiered JIT would run it unoptimized for much of a first epoch.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ReduceRows(ReduceOp op, float[] x, int first, int count, int axis, float[] y)
    {
        for (int o = first; o < first + count; o++) y[o] = ReduceRow(op, x.AsSpan(o * axis, axis));
    }

    private static float ReduceRow(ReduceOp op, ReadOnlySpan<float> row)
    {
        switch (op)
        {
            case ReduceOp.Sum:
                return (float)BlockedSum(row);
            case ReduceOp.Max: return TP.Max(row);
            case ReduceOp.Min: return TP.Min(row);
            default:
                // The first position holding the extreme value (or the first NaN), as NumPy and the reference do.
                float extreme = op == ReduceOp.ArgMax ? TP.Max(row) : TP.Min(row);
                bool nan = float.IsNaN(extreme);
                for (int i = 0; i < row.Length; i++)
                    if (nan ? float.IsNaN(row[i]) : row[i] == extreme) return i;
                return 0;
        }
    }

    /// <summary>
    /// SIMD float sums of blocks of 4096, the blocks added in double: as fast as a float sum, and its error
    /// does not grow with the row's length. (Converting every element to double would be 3× slower.)
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static double BlockedSum(ReadOnlySpan<float> row)
    {
        double sum = 0;
        for (int s = 0; s < row.Length; s += 4096) sum += FloatSum(row.Slice(s, Math.Min(4096, row.Length - s)));
        return sum;
    }

    /// <summary>A float sum in four SIMD accumulators (independent additions overlap), then the tail one by one.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static float FloatSum(ReadOnlySpan<float> x)
    {
        ref float start = ref MemoryMarshal.GetReference(x);
        int width = Vector<float>.Count, i = 0;
        Vector<float> a0 = default, a1 = default, a2 = default, a3 = default;
        for (; i <= x.Length - 4 * width; i += 4 * width)
        {
            a0 += Vector.LoadUnsafe(ref start, (nuint)i);
            a1 += Vector.LoadUnsafe(ref start, (nuint)(i + width));
            a2 += Vector.LoadUnsafe(ref start, (nuint)(i + 2 * width));
            a3 += Vector.LoadUnsafe(ref start, (nuint)(i + 3 * width));
        }
        for (; i <= x.Length - width; i += width) a0 += Vector.LoadUnsafe(ref start, (nuint)i);
        float sum = Vector.Sum((a0 + a1) + (a2 + a3));
        for (; i < x.Length; i++) sum += x[i];
        return sum;
    }

    /// <summary>y += x elementwise (SIMD, then the tail).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void AddInto(Span<float> y, ReadOnlySpan<float> x)
    {
        ref float ys = ref MemoryMarshal.GetReference(y);
        ref float xs = ref MemoryMarshal.GetReference(x);
        int width = Vector<float>.Count, i = 0;
        for (; i <= y.Length - width; i += width)
            (Vector.LoadUnsafe(ref ys, (nuint)i) + Vector.LoadUnsafe(ref xs, (nuint)i)).StoreUnsafe(ref ys, (nuint)i);
        for (; i < y.Length; i++) y[i] += x[i];
    }

    /// <summary>Reduces x[start + a·inner + j] over a for j &lt; y.Length, one whole row of columns at a time.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ReduceColumns(ReduceOp op, float[] x, int start, int axis, int inner, Span<float> y)
    {
        int n = y.Length;
        x.AsSpan(start, n).CopyTo(y);
        switch (op)
        {
            case ReduceOp.Sum:
                // Rows are added in float in groups of 64, and the groups in double.
                var total = new double[n];
                for (int a0 = 0; a0 < axis; a0 += 64)
                {
                    int a1 = Math.Min(axis, a0 + 64);
                    x.AsSpan(start + a0 * inner, n).CopyTo(y);
                    for (int a = a0 + 1; a < a1; a++) AddInto(y, x.AsSpan(start + a * inner, n));
                    for (int j = 0; j < n; j++) total[j] += y[j];
                }
                for (int j = 0; j < n; j++) y[j] = (float)total[j];
                break;
            case ReduceOp.Max:
                for (int a = 1; a < axis; a++) TP.Max(y, x.AsSpan(start + a * inner, n), y);
                break;
            case ReduceOp.Min:
                for (int a = 1; a < axis; a++) TP.Min(y, x.AsSpan(start + a * inner, n), y);
                break;
            default:
                // Positions: keep the best value per column and the row where it was first seen.
                bool max = op == ReduceOp.ArgMax;
                var best = new int[n];
                for (int a = 1; a < axis; a++)
                {
                    var row = x.AsSpan(start + a * inner, n);
                    for (int j = 0; j < n; j++)
                    {
                        float v = row[j], acc = y[j];
                        if (!float.IsNaN(acc) && ((max ? v > acc : v < acc) || float.IsNaN(v))) { y[j] = v; best[j] = a; }
                    }
                }
                for (int j = 0; j < n; j++) y[j] = best[j];
                break;
        }
    }

    public static void ReduceReference(ReduceOp op, float[] x, int outer, int axis, int inner, float[] y)
    {
        for (int o = 0; o < outer; o++)
        {
            for (int i = 0; i < inner; i++)
            {
                int start = o * axis * inner + i;
                float acc = axis > 0 ? x[start] : 0f;
                int best = 0;
                double sum = 0;
                for (int a = 0; a < axis; a++)
                {
                    float v = x[start + a * inner];
                    switch (op)
                    {
                        case ReduceOp.Sum: sum += v; break;
                        // NumPy: the first NaN wins and stays; among equal values the first wins.
                        case ReduceOp.Max or ReduceOp.ArgMax: if (!float.IsNaN(acc) && (v > acc || float.IsNaN(v))) { acc = v; best = a; } break;
                        case ReduceOp.Min or ReduceOp.ArgMin: if (!float.IsNaN(acc) && (v < acc || float.IsNaN(v))) { acc = v; best = a; } break;
                    }
                }
                y[o * inner + i] = op switch
                {
                    ReduceOp.Sum => (float)sum,
                    ReduceOp.Max or ReduceOp.Min => acc,
                    _ => best,
                };
            }
        }
    }
}
