namespace CourseKit;

/// <summary>
/// One entry of a tensor index, as in NumPy: an integer picks one position and drops the axis
/// (<c>x[1]</c>), a range keeps the axis (<c>x[1..3]</c>, <c>x[..]</c>, <c>x[^2..]</c>).
/// Converts implicitly from <see cref="int"/> (negative counts from the end, like NumPy's −1),
/// <see cref="System.Index"/> and <see cref="System.Range"/>, so every mix compiles: <c>x[.., 0, 1..^1]</c>.
/// </summary>
public readonly struct Slice
{
    private readonly int position;      // for a single position: the index (negative = from the end)
    private readonly bool fromEnd;      // for a single position given as ^k
    private readonly Range range;
    private readonly int step;          // 0 marks a single position

    private Slice(int position, bool fromEnd)
    {
        this.position = position;
        this.fromEnd = fromEnd;
        range = default;
        step = 0;
    }

    private Slice(Range range, int step)
    {
        if (step <= 0) throw new ArgumentOutOfRangeException(nameof(step), $"A slice step must be at least 1, got {step}.");
        position = 0;
        fromEnd = false;
        this.range = range;
        this.step = step;
    }

    /// <summary>The whole axis (NumPy's <c>:</c>); the same as <c>..</c>.</summary>
    public static Slice All => new(System.Range.All, 1);

    /// <summary>Every <paramref name="step"/>-th position of <paramref name="range"/> (NumPy's <c>start:stop:step</c>).</summary>
    public static Slice Range(Range range, int step = 1) => new(range, step);

    /// <summary>One position as a slice, when every index is a position but a 0-d tensor is wanted rather than a float.</summary>
    public static Slice At(Index index) => index;

    public static implicit operator Slice(int index) => new(index, false);

    public static implicit operator Slice(Index index) => index.IsFromEnd ? new(index.Value, true) : new(index.Value, false);

    public static implicit operator Slice(Range range) => new(range, 1);

    /// <summary>True when this entry picks one position and so removes the axis from the result.</summary>
    public bool DropsAxis => step == 0;

    /// <summary>
    /// The positions this entry selects on an axis of <paramref name="size"/>: start, count and step.
    /// A single position must exist (IndexOutOfRange otherwise); ranges are clipped to the axis as in NumPy.
    /// </summary>
    internal (int Start, int Count, int Step) Resolve(int size, int axis, Shape shape)
    {
        if (DropsAxis)
        {
            int i = fromEnd ? size - position : position < 0 ? position + size : position;
            if ((uint)i >= (uint)size)
            {
                string shown = fromEnd ? $"^{position}" : position.ToString();
                throw new IndexOutOfRangeException($"Index {shown} is out of range for axis {axis} of size {size} (shape {shape}).");
            }
            return (i, 1, 1);
        }
        int start = Math.Clamp(Offset(range.Start, size), 0, size);
        int stop = Math.Clamp(Offset(range.End, size), 0, size);
        int count = stop <= start ? 0 : (stop - start + step - 1) / step;
        return (start, count, step);
    }

    private static int Offset(Index index, int size) => index.IsFromEnd ? size - index.Value : index.Value;

    public override string ToString()
    {
        if (DropsAxis) return fromEnd ? $"^{position}" : position.ToString();
        string text = range.Equals(System.Range.All) ? ":" : range.ToString();
        return step == 1 ? text : $"{text} step {step}";
    }
}
