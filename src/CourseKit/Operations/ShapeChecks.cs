namespace CourseKit.Operations;

/// <summary>
/// The checks every operation of this folder runs first, with errors that speak to a student:
/// the operation, the shapes, and what would fit, e.g.
/// "Conv2d: input has 3 channels but the filter expects 1 (input (2,3,5,5), filter (4,1,3,3))".
/// </summary>
internal static class ShapeChecks
{
    /// <summary>A shape as the error messages print it: (2,3,5,5), and (3,) for one axis as in Python.</summary>
    public static string Compact(Shape shape) =>
        shape.Rank == 1 ? $"({shape[0]},)" : "(" + string.Join(",", shape.ToArray()) + ")";

    /// <summary>Throws unless <paramref name="shape"/> has 4 axes, naming what the axes mean.</summary>
    public static void Rank4(string operation, string role, Shape shape, string axes)
    {
        if (shape.Rank != 4)
            throw new ArgumentException(
                $"{operation}: the {role} must have 4 axes {axes} but has {shape.Rank} (shape {Compact(shape)}).");
    }

    /// <summary>Throws unless <paramref name="t"/> has exactly the expected shape.</summary>
    public static void Exactly(string operation, string role, Tensor t, Shape expected, string why)
    {
        if (t.Shape != expected)
            throw new ArgumentException(
                $"{operation}: the {role} has shape {Compact(t.Shape)} but {why} needs {Compact(expected)}.");
    }

    /// <summary>Throws when a bias does not hold one value per output channel.</summary>
    public static void Bias(string operation, Tensor? b, int channels, Shape filterShape)
    {
        if (b is not null && (b.Rank != 1 || b.Length != channels))
            throw new ArgumentException(
                $"{operation}: the bias has shape {Compact(b.Shape)} but needs one value per output channel, " +
                $"shape ({channels},) (filter {Compact(filterShape)}).");
    }
}
