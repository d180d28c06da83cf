namespace CourseKit.Tests.Operations;

/// <summary>
/// What the operation tests compare against: the lecture's definitions evaluated in double precision
/// (independent of the library), central finite differences, and random inputs.
/// </summary>
internal static class OperationsReference
{
    public static Tensor Random(Random rng, params int[] shape)
    {
        var data = new float[new Shape(shape).Size];
        for (int i = 0; i < data.Length; i++) data[i] = (float)(rng.NextDouble() * 2 - 1);
        return new Tensor(shape, data);
    }

    /// <summary>Distinct values ±(k + 0.5)/10 in random order: no ties and no zeros, so a maximum is unambiguous.</summary>
    public static Tensor Distinct(Random rng, params int[] shape)
    {
        int length = new Shape(shape).Size;
        var data = Enumerable.Range(0, length).Select(k => (float)((k % 2 == 0 ? 1 : -1) * (k + 0.5) / 10)).ToArray();
        rng.Shuffle(data);
        return new Tensor(shape, data);
    }

    /// <summary>lecture 1.3 in double: Y[n, o, i, j] = Σ X[n, c, i·S + fh − P, j·S + fw − P] · F[o, c, fh, fw] + b[o].</summary>
    public static double[] Conv(double[] x, int n, int c, int h, int w, double[] f, int oc, int fh, int fw, double[]? b, int s, int p,
                                out int oh, out int ow)
    {
        oh = (h + 2 * p - fh) / s + 1;
        ow = (w + 2 * p - fw) / s + 1;
        var y = new double[n * oc * oh * ow];
        for (int a = 0; a < n; a++)
        for (int o = 0; o < oc; o++)
        for (int i = 0; i < oh; i++)
        for (int j = 0; j < ow; j++)
        {
            double sum = b?[o] ?? 0;
            for (int k = 0; k < c; k++)
            for (int u = 0; u < fh; u++)
            for (int v = 0; v < fw; v++)
            {
                int hh = i * s + u - p, ww = j * s + v - p;
                if (hh >= 0 && hh < h && ww >= 0 && ww < w)
                    sum += x[((a * c + k) * h + hh) * w + ww] * f[((o * c + k) * fh + u) * fw + v];
            }
            y[((a * oc + o) * oh + i) * ow + j] = sum;
        }
        return y;
    }

    /// <summary>PyTorch's ConvTranspose2d by its definition, in double: Y[n, co, i·S − P + u, j·S − P + v] += X[n, ci, i, j] · F[ci, co, u, v].</summary>
    /// With output padding op, the output has op more rows and columns at the bottom and right (nothing is added there but what reaches them).
    public static double[] ConvTranspose(double[] x, int n, int cin, int h, int w, double[] f, int cout, int fh, int fw, int s, int p,
                                         out int oh, out int ow, int op = 0)
    {
        oh = (h - 1) * s - 2 * p + fh + op;
        ow = (w - 1) * s - 2 * p + fw + op;
        var y = new double[n * cout * oh * ow];
        for (int a = 0; a < n; a++)
        for (int ci = 0; ci < cin; ci++)
        for (int i = 0; i < h; i++)
        for (int j = 0; j < w; j++)
        for (int co = 0; co < cout; co++)
        for (int u = 0; u < fh; u++)
        for (int v = 0; v < fw; v++)
        {
            int r = i * s - p + u, q = j * s - p + v;
            if (r >= 0 && r < oh && q >= 0 && q < ow)
                y[((a * cout + co) * oh + r) * ow + q] += x[((a * cin + ci) * h + i) * w + j] * f[((ci * cout + co) * fh + u) * fw + v];
        }
        return y;
    }

    /// <summary>
    /// Central differences of L(θ) = Σ G ⊙ output(θ) with respect to every entry of θ, all in double:
    /// the gradient a backward pass must return when dY = G.
    /// </summary>
    public static double[] NumericalGradient(double[] theta, Func<double[], double[]> output, double[] g, double step = 1e-4)
    {
        var grad = new double[theta.Length];
        var t = (double[])theta.Clone();
        for (int i = 0; i < t.Length; i++)
        {
            double keep = t[i];
            t[i] = keep + step; double plus = Dot(output(t), g);
            t[i] = keep - step; double minus = Dot(output(t), g);
            t[i] = keep;
            grad[i] = (plus - minus) / (2 * step);
        }
        return grad;
    }

    public static double[] D(Tensor t) => t.ToArray().Select(v => (double)v).ToArray();

    public static double Dot(double[] a, double[] b)
    {
        double s = 0;
        for (int i = 0; i < a.Length; i++) s += a[i] * b[i];
        return s;
    }

    /// <summary>Asserts |actual − expected| ≤ tolerance · max(1, max|expected|) everywhere, naming the first bad index.</summary>
    public static void Close(double[] expected, float[] actual, double tolerance, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        double scale = Math.Max(1, expected.Select(Math.Abs).DefaultIfEmpty(0).Max());
        for (int i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(expected[i] - actual[i]) <= tolerance * scale,
                $"{what}: index {i}: expected {expected[i]}, got {actual[i]} (tolerance {tolerance * scale})");
    }

    public static void Close(Tensor expected, Tensor actual, double tolerance, string what)
    {
        Assert.Equal(expected.Shape, actual.Shape);
        Close(D(expected), actual.ToArray(), tolerance, what);
    }

    /// <summary>A 2-D array as a (1, 1, H, W) tensor: one image with one channel, as in the lecture's examples.</summary>
    public static Tensor Image(float[,] a) => Tensor.FromArray(a).Reshape(1, 1, a.GetLength(0), a.GetLength(1));

    public static float[] Flat(float[,] a) => a.Cast<float>().ToArray();
}
