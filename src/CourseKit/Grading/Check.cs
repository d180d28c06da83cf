using System.Globalization;
using CourseKit.Display;

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
