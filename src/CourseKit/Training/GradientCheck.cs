using CourseKit.Layers;
using CourseKit.Losses;

namespace CourseKit.Training;

/// <summary>
/// The largest disagreement between backprop and numerical differentiation, per input and per parameter.
/// Each error is max|analytic − numeric| divided by the largest gradient entry (relative to the gradient's scale,
/// which stays meaningful for float32 where single tiny entries carry no information).
/// </summary>
public sealed record GradientCheckResult(double InputError, IReadOnlyDictionary<string, double> ParameterErrors)
{
    /// <summary>The worst error of all.</summary>
    public double MaxError => ParameterErrors.Values.Append(InputError).Max();

    public override string ToString() =>
        string.Join(", ", ParameterErrors.Select(p => $"{p.Key}: {p.Value:E1}").Prepend($"input: {InputError:E1}"));
}

/// <summary>
/// Numerical gradient checking (the lecture's exercises compare each layer's backward with it).
/// A layer is reduced to the scalar E = Σ r ⊙ layer(x) with a fixed random r, so Backward(r) must equal ∂E/∂x.
/// The numerical side uses central differences (E(x + h) − E(x − h)) / (2h), with E summed in double
/// on the host and h scaled to each entry (h·max(1, |x|)): in float32 this balances rounding (∝ 1/h) against
/// truncation (∝ h²). Layers must be deterministic: no dropout in training mode.
/// </summary>
public static class GradientCheck
{
    /// <summary>Checks ∂E/∂x and every parameter gradient of <paramref name="layer"/> at <paramref name="x"/>.</summary>
    public static GradientCheckResult Layer(Layer layer, Tensor x, int seed = 0, bool training = true, float h = 1e-2f)
    {
        x = x.Clone();                                  // we perturb it in place
        var y = layer.Forward(x, training);
        var r = RandomNormal(y.Shape, seed).To(y.Device);
        var rHost = r.ToArray();
        var dx = layer.Backward(r).ToArray();
        var analytic = layer.Parameters.Select(p => (p.Name, Grad: p.Grad.ToArray())).ToList();

        double E() => Dot(rHost, layer.Forward(x, training).ToArray());

        double inputError = Compare(dx, Numerical(x, E, h));
        var errors = new Dictionary<string, double>();
        var parameters = layer.Parameters;
        for (int i = 0; i < parameters.Count; i++)
            errors[UniqueName(errors, parameters[i].Name)] = Compare(analytic[i].Grad, Numerical(parameters[i].Value, E, h));
        return new GradientCheckResult(inputError, errors);
    }

    /// <summary>Checks ∂E/∂y of <paramref name="loss"/> at output y and target t; returns the relative error.</summary>
    public static double Loss(Loss loss, Tensor y, Tensor t, float h = 1e-2f)
    {
        y = y.Clone();
        loss.Forward(y, t);
        var analytic = loss.Backward().ToArray();
        return Compare(analytic, Numerical(y, () => loss.Forward(y, t), h));
    }

    /// <summary>Central differences of <paramref name="e"/> with respect to every entry of <paramref name="x"/> (restored afterwards).</summary>
    public static double[] Numerical(Tensor x, Func<double> e, float h = 1e-2f)
    {
        var grad = new double[x.Length];
        Span<float> one = stackalloc float[1];
        for (int i = 0; i < x.Length; i++)
        {
            x.Storage.CopyTo(one, i);
            float original = one[0];
            float step = h * MathF.Max(1f, MathF.Abs(original));
            float plus = original + step, minus = original - step;   // the values actually stored in float32
            one[0] = plus; x.Storage.CopyFrom(one, i);
            double ePlus = e();
            one[0] = minus; x.Storage.CopyFrom(one, i);
            double eMinus = e();
            one[0] = original; x.Storage.CopyFrom(one, i);
            grad[i] = (ePlus - eMinus) / ((double)plus - minus);
        }
        return grad;
    }

    /// <summary>max|a − n| / max(max|a|, max|n|): the error relative to the gradient's largest entry (0 when both are 0).</summary>
    public static double Compare(float[] analytic, double[] numeric)
    {
        if (analytic.Length != numeric.Length)
            throw new ArgumentException($"GradientCheck: {analytic.Length} analytic and {numeric.Length} numerical entries.");
        double maxDiff = 0, scale = 0;
        for (int i = 0; i < analytic.Length; i++)
        {
            maxDiff = Math.Max(maxDiff, Math.Abs(analytic[i] - numeric[i]));
            scale = Math.Max(scale, Math.Max(Math.Abs(analytic[i]), Math.Abs(numeric[i])));
        }
        return scale == 0 ? 0 : maxDiff / scale;
    }

    private static double Dot(float[] a, float[] b)
    {
        double s = 0;
        for (int i = 0; i < a.Length; i++) s += (double)a[i] * b[i];
        return s;
    }

    private static Tensor RandomNormal(Shape shape, int seed) => WeightInitializer.Create(shape, WeightInit.SmallNormal, 1, 1, seed) * 100f;

    private static string UniqueName(Dictionary<string, double> seen, string name)
    {
        string unique = name;
        for (int k = 2; seen.ContainsKey(unique); k++) unique = $"{name}#{k}";
        return unique;
    }
}
