namespace CourseKit;

/// <summary>Comparing tensors in tests and notebook checks.</summary>
public sealed partial class Tensor
{
    /// <summary>
    /// NumPy's allclose: true when |a − b| ≤ atol + rtol·|b| for every pair (after broadcasting).
    /// NaN is never close to anything; an infinity is close only to the same infinity.
    /// </summary>
    public static bool AllClose(Tensor a, Tensor b, double rtol = 1e-5, double atol = 1e-8)
    {
        var (x, y) = HostPair(a, b, "AllClose");
        for (int i = 0; i < x.Length; i++)
        {
            double u = x[i], v = y[i];
            if (double.IsInfinity(u) || double.IsInfinity(v))
            {
                if (u != v) return false;
            }
            else if (!(Math.Abs(u - v) <= atol + rtol * Math.Abs(v))) return false; // false for NaN too
        }
        return true;
    }

    /// <summary>max |a − b| over all pairs (after broadcasting); NaN when either holds a NaN, 0 for empty tensors.</summary>
    public static float MaxAbsDifference(Tensor a, Tensor b)
    {
        var (x, y) = HostPair(a, b, "MaxAbsDifference");
        double worst = 0;
        for (int i = 0; i < x.Length; i++)
        {
            double d = Math.Abs((double)x[i] - y[i]);
            if (double.IsNaN(d)) return float.NaN;
            worst = Math.Max(worst, d);
        }
        return (float)worst;
    }

    /// <summary>Both tensors broadcast to their common shape, as host arrays.</summary>
    private static (float[] A, float[] B) HostPair(Tensor a, Tensor b, string operation)
    {
        SameDevice(operation, a, b);
        Shape shape = BroadcastShape(a.Shape, b.Shape, operation);
        var x = a.Shape == shape ? a : a.BroadcastTo(shape);
        var y = b.Shape == shape ? b : b.BroadcastTo(shape);
        return (x.ToArray(), y.ToArray());
    }
}
