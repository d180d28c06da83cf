namespace CourseKit.Backends.OpenCl;

/// <summary>
/// Reductions of x viewed as (outer, axis, inner) over the middle axis into y (outer, inner).
/// <c>reduce_axis</c>: one work-item per output walks its axis (many outputs, such as a softmax row max).
/// <c>reduce_axis_group</c>: one work-group per output, each work-item takes every REDUCE_GROUP-th
/// element and the group combines the partial results in local memory (few outputs over a long axis,
/// such as the loss of a whole mini-batch). Sums use Kahan compensation to stay close to the CPU's
/// double accumulation. Max/Min keep the first index of ties, and the first NaN wins (as in NumPy and on the CPU).
/// </summary>
internal static class ReductionKernels
{
    public static readonly OpenClSource Program = new("reduction", """
        // The running state of one reduction: a value and the index along the axis where it was found
        // (index < 0: nothing seen yet). For sums, `value` is the sum and `carry` its Kahan compensation.
        typedef struct { float value; float carry; int index; } partial;

        bool takes(int op, partial best, float v, int index)
        {
            if (best.index < 0) return true;
            // NumPy and the CPU: the first NaN wins and stays; among equal values the first index wins.
            if (isnan(v) || isnan(best.value)) return isnan(v) && (!isnan(best.value) || index < best.index);
            bool larger = op == REDUCE_Max || op == REDUCE_ArgMax;
            if (v == best.value) return index < best.index;
            return larger ? v > best.value : v < best.value;
        }

        partial add(int op, partial p, float v, int index)
        {
            if (op == REDUCE_Sum)
            {
                float y = v - p.carry, t = p.value + y;
                p.carry = (t - p.value) - y;
                p.value = t;
                p.index = 0;
            }
            else if (takes(op, p, v, index)) { p.value = v; p.index = index; }
            return p;
        }

        float result(int op, partial p)
        {
            if (op == REDUCE_ArgMax || op == REDUCE_ArgMin) return (float)max(p.index, 0);   // an empty axis gives 0, as on the CPU
            return op == REDUCE_Sum ? p.value - p.carry : p.value;
        }

        __kernel void reduce_axis(int op, __global const float* x, int outer, int axis, int inner, __global float* y)
        {
            int o = get_global_id(0);
            if (o >= outer * inner) return;
            __global const float* start = x + (o / inner) * axis * inner + o % inner;
            partial p = { 0.0f, 0.0f, -1 };
            for (int a = 0; a < axis; a++) p = add(op, p, start[a * inner], a);
            y[o] = result(op, p);
        }

        __kernel __attribute__((reqd_work_group_size(REDUCE_GROUP, 1, 1)))
        void reduce_axis_group(int op, __global const float* x, int outer, int axis, int inner, __global float* y)
        {
            __local float values[REDUCE_GROUP];
            __local int indices[REDUCE_GROUP];
            int o = get_group_id(0), t = get_local_id(0);
            __global const float* start = x + (o / inner) * axis * inner + o % inner;
            partial p = { 0.0f, 0.0f, -1 };
            for (int a = t; a < axis; a += REDUCE_GROUP) p = add(op, p, start[a * inner], a);
            values[t] = op == REDUCE_Sum ? p.value - p.carry : p.value;
            indices[t] = p.index;
            // Tree: halve the active work-items each step; each keeps the better of two partial results.
            for (int width = REDUCE_GROUP / 2; width > 0; width /= 2)
            {
                barrier(CLK_LOCAL_MEM_FENCE);
                if (t < width)
                {
                    if (op == REDUCE_Sum) values[t] += values[t + width];
                    else
                    {
                        partial mine = { values[t], 0.0f, indices[t] };
                        if (indices[t + width] >= 0 && takes(op, mine, values[t + width], indices[t + width]))
                        {
                            values[t] = values[t + width];
                            indices[t] = indices[t + width];
                        }
                    }
                }
            }
            if (t == 0) y[o] = op == REDUCE_ArgMax || op == REDUCE_ArgMin ? (float)max(indices[0], 0) : values[0];
        }
        """);
}
