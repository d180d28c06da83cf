namespace CourseKit.Tests.Layers;

internal static class GradientBound
{
    /// <summary>
    /// The bound every gradient check asserts. GradientCheck measures max|analytic − numeric| relative to the
    /// largest gradient entry, in float32 with h = 1e-2: on these tests the errors are at most 2.5e-4 (most below
    /// 8e-5, piecewise-linear layers below 1e-7), while a gradient off by 1% already gives about 1e-2.
    /// </summary>
    public const double Float32 = 1e-3;
}
