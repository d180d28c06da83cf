using System.Collections;
using System.Runtime.CompilerServices;

namespace CourseKit;

/// <summary>
/// The shape of a tensor, e.g. (N, C, H, W). Immutable; prints like NumPy: <c>(2, 3, 4)</c>.
/// </summary>
[CollectionBuilder(typeof(Shape), nameof(Create))]
public readonly struct Shape : IEquatable<Shape>, IReadOnlyList<int>
{
    private readonly int[]? dims;

    public Shape(params int[] dims)
    {
        foreach (int d in dims)
            if (d < 0) throw new ArgumentException($"A shape cannot have a negative dimension: {Format(dims)}.");
        this.dims = (int[])dims.Clone();
    }

    private Shape(int[] dims, bool _) => this.dims = dims;

    /// <summary>Lets a collection expression be a shape: <c>Tensor.Zeros([2, 3])</c>.</summary>
    public static Shape Create(ReadOnlySpan<int> dims) => new(dims.ToArray());

    internal static Shape Wrap(int[] dims) => new(dims, true);

    /// <summary>Number of axes (NumPy's ndim).</summary>
    public int Rank => dims?.Length ?? 0;

    /// <summary>Number of elements: the product of the dimensions (NumPy's size; 1 for a scalar shape). Not named Length: C# reads Length as the number of items in a collection, i.e. the axes.
    public int Size
    {
        get
        {
            long n = 1;
            foreach (int d in Dims) n *= d;
            if (n > int.MaxValue) throw new InvalidOperationException($"Shape {this} has {n} elements, more than a single tensor can hold.");
            return (int)n;
        }
    }

    public int this[int axis] => Dims[axis < 0 ? axis + Rank : axis];

    /// <summary>Axis from the end with ^: <c>shape[^1]</c> is the last dimension (not the element count).</summary>
    public int this[Index axis] => Dims[axis.GetOffset(Rank)];

    public int Count => Rank;

    internal ReadOnlySpan<int> Dims => dims ?? [];

    public int[] ToArray() => Dims.ToArray();

    /// <summary>Row-major (C order) strides in elements.</summary>
    public int[] Strides()
    {
        var s = new int[Rank];
        int acc = 1;
        for (int i = Rank - 1; i >= 0; i--) { s[i] = acc; acc *= Dims[i]; }
        return s;
    }

    /// <summary>Turns a possibly negative axis into 0..Rank-1, or throws naming the shape.</summary>
    public int NormalizeAxis(int axis, string operation)
    {
        int a = axis < 0 ? axis + Rank : axis;
        if (a < 0 || a >= Rank)
            throw new ArgumentOutOfRangeException(nameof(axis), $"{operation}: axis {axis} is out of range for a tensor of shape {this} (rank {Rank}).");
        return a;
    }

    public bool Equals(Shape other) => Dims.SequenceEqual(other.Dims);
    public override bool Equals(object? obj) => obj is Shape s && Equals(s);
    public override int GetHashCode()
    {
        var h = new HashCode();
        foreach (int d in Dims) h.Add(d);
        return h.ToHashCode();
    }
    public static bool operator ==(Shape a, Shape b) => a.Equals(b);
    public static bool operator !=(Shape a, Shape b) => !a.Equals(b);

    public static implicit operator Shape(int[] dims) => new(dims);

    public IEnumerator<int> GetEnumerator() => ((IEnumerable<int>)(dims ?? [])).GetEnumerator();
    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public void Deconstruct(out int d0, out int d1) { Expect(2); d0 = Dims[0]; d1 = Dims[1]; }
    public void Deconstruct(out int d0, out int d1, out int d2) { Expect(3); d0 = Dims[0]; d1 = Dims[1]; d2 = Dims[2]; }
    public void Deconstruct(out int d0, out int d1, out int d2, out int d3) { Expect(4); d0 = Dims[0]; d1 = Dims[1]; d2 = Dims[2]; d3 = Dims[3]; }

    private void Expect(int rank)
    {
        if (Rank != rank) throw new InvalidOperationException($"Cannot unpack shape {this} into {rank} values: it has {Rank} axes.");
    }

    /// <summary>Prints like a Python tuple: (2, 3), (5,), ().</summary>
    public override string ToString() => Format(Dims);

    internal static string Format(ReadOnlySpan<int> dims) => dims.Length switch
    {
        0 => "()",
        1 => $"({dims[0]},)",
        _ => "(" + string.Join(", ", dims.ToArray()) + ")",
    };
}
