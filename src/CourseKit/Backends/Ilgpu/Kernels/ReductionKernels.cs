using ILGPU;

namespace CourseKit.Backends.Ilgpu;

/// <summary>
/// Reductions of x viewed as (outer, axis, inner) over the middle axis into y (outer, inner), one thread per
/// output walking its axis. Sums use Kahan compensation to stay close to the CPU's double accumulation;
/// Max/Min keep the first index of ties, and the first NaN wins (as in NumPy and on the CPU).
/// </summary>
internal static class ReductionKernels
{
    /// <summary>One thread reduces the axis of output o = (outer index)·inner + (inner index).</summary>
    public static void Reduce(Index1D o, ArrayView<float> x, ArrayView<float> y, int op, int axis, int inner)
    {
        int start = o / inner * axis * inner + o % inner;
        var reduction = (ReduceOp)op;
        if (reduction == ReduceOp.Sum)
        {
            float sum = 0f, carry = 0f;
            for (int a = 0; a < axis; a++)
            {
                float v = x[start + a * inner] - carry, t = sum + v;
                carry = t - sum - v;
                sum = t;
            }
            y[o] = sum;
            return;
        }
        bool larger = reduction is ReduceOp.Max or ReduceOp.ArgMax;
        float best = 0f;
        int bestIndex = -1;
        for (int a = 0; a < axis; a++)
        {
            float v = x[start + a * inner];
            if (Takes(larger, best, bestIndex, v)) { best = v; bestIndex = a; }
        }
        y[o] = reduction is ReduceOp.ArgMax or ReduceOp.ArgMin ? Math.Max(bestIndex, 0) : best;   // an empty axis gives 0, as on the CPU
    }

    // Whether v (found after bestIndex) replaces the best so far: the first NaN wins and stays; ties keep the first.
    private static bool Takes(bool larger, float best, int bestIndex, float v)
    {
        if (bestIndex < 0) return true;
        if (float.IsNaN(best)) return false;
        if (float.IsNaN(v)) return true;
        return larger ? v > best : v < best;
    }
}
