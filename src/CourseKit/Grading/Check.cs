using System.Globalization;
using CourseKit.Display;
using CourseKit.Layers;
using CourseKit.Training;

namespace CourseKit.Grading;

/// <summary>
/// Checks used in the notebooks' test cells. Each shows a pass/fail card and, on failure, throws
/// <see cref="CheckFailedException"/> so that the cell fails. Messages are written for students.
/// </summary>
public static class Check
{
    /// <summary>Passes when <paramref name="actual"/> has the expected shape and every value is within tolerance.</summary>
    public static CheckResult Close(string name, Tensor expected, Tensor actual, double tolerance = 1e-5)
    {
        if (expected.Shape != actual.Shape)
            return Fail(name, $"Your result has shape {actual.Shape}, but the expected shape is {expected.Shape}. " + ShapeHint(expected.Shape, actual.Shape));
        float[] e = expected.ToArray(), a = actual.ToArray();
        int mismatches = 0, first = -1;
        double worst = 0;
        for (int i = 0; i < e.Length; i++)
        {
            double diff = Math.Abs((double)e[i] - a[i]);
            bool ok = diff <= tolerance + tolerance * Math.Abs(e[i]) || (float.IsNaN(e[i]) && float.IsNaN(a[i]));
            if (!ok)
            {
                mismatches++;
                if (first < 0) first = i;
                if (!(diff <= worst)) worst = diff;
            }
        }
        if (mismatches == 0)
            return Pass(name, $"all {e.Length} values match (shape {actual.Shape}, tolerance {Format(tolerance)}).");
        string where = FormatIndex(expected.Shape, first);
        return Fail(name,
            $"{mismatches} of {e.Length} values differ (tolerance {Format(tolerance)}). " +
            $"The first is at index {where}: expected {Format(e[first])}, but yours is {Format(a[first])}. " +
            $"Largest difference: {Format(worst)}.");
    }

    /// <summary>Passes when two numbers agree within tolerance (absolute and relative).</summary>
    public static CheckResult Close(string name, double expected, double actual, double tolerance = 1e-6)
    {
        double diff = Math.Abs(expected - actual);
        return diff <= tolerance + tolerance * Math.Abs(expected)
            ? Pass(name, $"{Format(actual)} matches the expected {Format(expected)}.")
            : Fail(name, $"expected {Format(expected)}, but yours is {Format(actual)} (difference {Format(diff)}, tolerance {Format(tolerance)}).");
    }

    /// <summary>Passes when <paramref name="actual"/> has exactly the expected shape.</summary>
    /// <summary>
    /// Two float32 numbers (e.g. a tensor element <c>y[0, 1]</c>): without this overload a float would fit both the
    /// Tensor and the double overloads and the call would not compile.
    /// </summary>
    public static CheckResult Close(string name, float expected, float actual, double tolerance = 1e-6) =>
        Close(name, (double)expected, (double)actual, tolerance);

    public static CheckResult Shape(string name, Shape expected, Tensor actual) =>
        expected == actual.Shape
            ? Pass(name, $"shape {actual.Shape} is right.")
            : Fail(name, $"your result has shape {actual.Shape}, but it should be {expected}. " + ShapeHint(expected, actual.Shape));

    /// <summary>Passes when the two values are equal.</summary>
    public static CheckResult Equal<T>(string name, T expected, T actual) =>
        EqualityComparer<T>.Default.Equals(expected, actual)
            ? Pass(name, $"{actual} is right.")
            : Fail(name, $"expected {expected}, but yours is {actual}.");

    /// <summary>Passes when <paramref name="condition"/> holds; <paramref name="explanation"/> says what was expected.</summary>
    public static CheckResult True(string name, bool condition, string explanation) =>
        condition ? Pass(name, explanation) : Fail(name, explanation);

    /// <summary>
    /// Passes when <paramref name="layer"/>'s Backward agrees with numerical differentiation at <paramref name="x"/>,
    /// for ∂E/∂x and for every parameter (see <see cref="GradientCheck.Layer"/>); errors are relative to each
    /// gradient's largest entry, and float32 central differences reach about 1e-4.
    /// </summary>
    public static CheckResult Gradient(string name, Layer layer, Tensor x, double tolerance = 1e-3, int seed = 0)
    {
        var result = GradientCheck.Layer(layer, x, seed);
        var errors = result.ParameterErrors.Select(p => (Name: "d" + p.Key, Error: p.Value)).Prepend((Name: "dx", Error: result.InputError)).ToList();
        string all = string.Join(", ", errors.Select(e => $"{e.Name} {Format(e.Error)}"));
        var wrong = errors.Where(e => !(e.Error <= tolerance)).Select(e => e.Name).ToList();
        if (wrong.Count == 0)
            return Pass(name, $"{layer.Name}.Backward agrees with numerical differentiation (relative errors: {all}; tolerance {Format(tolerance)}).");
        string which = string.Join(" and ", wrong);
        return Fail(name,
            $"{layer.Name}.Backward disagrees with numerical differentiation for {which} (relative errors: {all}; tolerance {Format(tolerance)}). " +
            $"Check the formula{(wrong.Count > 1 ? "s" : "")} for {which} in Backward (lecture 2), and that Forward saves what Backward needs.");
    }

    private static CheckResult Pass(string name, string message)
    {
        var result = new CheckResult(name, true, message);
        Output.Show(result);
        return result;
    }

    private static CheckResult Fail(string name, string message)
    {
        var result = new CheckResult(name, false, message);
        Output.Show(result);
        throw new CheckFailedException(result);
    }

    private static string ShapeHint(Shape expected, Shape actual)
    {
        if (expected.Rank != actual.Rank)
            return $"It has {actual.Rank} axes where {expected.Rank} are expected.";
        var axes = Enumerable.Range(0, expected.Rank).Where(i => expected[i] != actual[i]).ToList();
        if (expected.Size == actual.Size && expected.Order().SequenceEqual(actual.Order()))
            return "The sizes are the same but in another order: is a transpose missing?";
        return $"Axis {string.Join(" and ", axes)} differ{(axes.Count == 1 ? "s" : "")}.";
    }

    private static string FormatIndex(Shape shape, int flat)
    {
        var index = new int[shape.Rank];
        for (int d = shape.Rank - 1; d >= 0; d--) { index[d] = flat % shape[d]; flat /= shape[d]; }
        return "[" + string.Join(", ", index) + "]";
    }

    private static string Format(double v) => v.ToString("G6", CultureInfo.InvariantCulture);
}
