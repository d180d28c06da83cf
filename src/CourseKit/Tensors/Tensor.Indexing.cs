using System.Runtime.CompilerServices;

namespace CourseKit;

public sealed partial class Tensor
{
    /// <summary>
    /// One element, read or written as a float: <c>x[1, 2]</c>. Needs one index per axis;
    /// a negative index counts from the end (<c>x[-1, 0]</c>, as in NumPy).
    /// To take a whole row as a tensor, write <c>x[1, ..]</c>.
    /// </summary>
    [IndexerName("At")] // the default name, Item, is taken by Item()
    public float this[params ReadOnlySpan<int> index]
    {
        get => GetElement(Offset(index));
        set => SetElement(Offset(index), value);
    }

    /// <summary>One element with <c>^</c> indices: <c>x[^1, ^1]</c> is the last element of a matrix.</summary>
    [IndexerName("At")]
    public float this[params ReadOnlySpan<Index> index]
    {
        get => GetElement(Offset(ToInts(index)));
        set => SetElement(Offset(ToInts(index)), value);
    }

    /// <summary>
    /// NumPy slicing: <c>x[.., 0, 1..3]</c>. An integer picks one position and drops the axis, a range keeps it;
    /// axes not mentioned are taken whole. The result is a new tensor (a copy).
    /// Assigning writes into the selected positions, broadcasting the value: <c>x[.., 0] = y</c> or <c>x[0, ..] = 0f</c>.
    /// </summary>
    [IndexerName("At")]
    public Tensor this[params ReadOnlySpan<Slice> slices]
    {
        get
        {
            var view = Select(slices);
            var y = new Tensor(view.KeptShape, Device);
            Backend.StridedCopy(Storage, view.Offset, view.Strides, y.Storage, 0, Shape.Wrap(view.Shape).Strides(), view.Shape);
            return y;
        }
        set
        {
            if (value.Rank == 0 && value.Device != Device) value = value.To(Device); // a plain number goes anywhere
            SameDevice("slice assignment", this, value);
            var view = Select(slices);
            // The value must broadcast to the selection (axes dropped by integer indices are not there).
            var keptTarget = Shape.Wrap(view.KeptShape);
            if (value.Rank > keptTarget.Rank || !BroadcastsTo(value.Shape, keptTarget))
                throw new ArgumentException($"Slice assignment: a value of shape {value.Shape} cannot be broadcast into the selection of shape {keptTarget} (of a tensor of shape {Shape}).");
            // A value that shares our storage may overlap the selection: copy it first.
            var source = ReferenceEquals(value.Storage, Storage) ? value.Clone() : value;
            var sourceStrides = BroadcastStrides(source.Shape, view);
            Backend.StridedCopy(source.Storage, 0, sourceStrides, Storage, view.Offset, view.Strides, view.Shape);
        }
    }

    /// <summary>A single value as a 0-d tensor, so that <c>x[.., 0] = 0f</c> reads like NumPy.</summary>
    public static implicit operator Tensor(float value) => new([], [value]);

    /// <summary>The value of a one-element tensor: <c>(float)x.Sum()</c>.</summary>
    public static explicit operator float(Tensor x) => x.Item();

    private float GetElement(int offset)
    {
        if (Storage is Backends.CpuStorage cpu) return cpu.Array[offset];
        Span<float> one = stackalloc float[1];
        Storage.CopyTo(one, offset);
        return one[0];
    }

    private void SetElement(int offset, float value)
    {
        if (Storage is Backends.CpuStorage cpu) { cpu.Array[offset] = value; return; }
        Storage.CopyFrom([value], offset);
    }

    private int[] ToInts(ReadOnlySpan<Index> index)
    {
        if (index.Length != Rank)
            throw ElementIndexCountError(string.Join(", ", index.ToArray()), index.Length);
        var ints = new int[index.Length];
        for (int d = 0; d < index.Length; d++)
        {
            int i = index[d].IsFromEnd ? dims[d] - index[d].Value : index[d].Value;
            if ((uint)i >= (uint)dims[d])
                throw new IndexOutOfRangeException($"Index {index[d]} is out of range for axis {d} of size {dims[d]} (shape {Shape}).");
            ints[d] = i;
        }
        return ints;
    }

    /// <summary>
    /// Where a slicing reads in our storage: the first element, and per selected axis its size and stride.
    /// <c>Shape</c> has one entry per axis of the tensor (1 for dropped axes), <c>KeptShape</c> only the kept axes.
    /// </summary>
    private readonly record struct Selection(int Offset, int[] Shape, int[] Strides, int[] KeptShape, bool[] Kept);

    private Selection Select(ReadOnlySpan<Slice> slices)
    {
        if (slices.Length > Rank)
            throw new IndexOutOfRangeException($"Too many indices: {slices.Length} were given for a tensor of shape {Shape}, which has {Rank} axes.");
        var own = Shape.Strides();
        var shape = new int[Rank];
        var strides = new int[Rank];
        var kept = new bool[Rank];
        var keptShape = new List<int>(Rank);
        int offset = 0;
        for (int d = 0; d < Rank; d++)
        {
            Slice s = d < slices.Length ? slices[d] : Slice.All;
            var (start, count, step) = s.Resolve(dims[d], d, Shape);
            offset += start * own[d];
            shape[d] = count;
            strides[d] = own[d] * step;
            kept[d] = !s.DropsAxis;
            if (kept[d]) keptShape.Add(count);
        }
        return new Selection(offset, shape, strides, keptShape.ToArray(), kept);
    }

    private static bool BroadcastsTo(Shape from, Shape to)
    {
        int shift = to.Rank - from.Rank;
        for (int i = 0; i < from.Rank; i++)
            if (from[i] != 1 && from[i] != to[i + shift]) return false;
        return true;
    }

    /// <summary>Strides that read a value of the selection's kept shape over all axes of the selection (0 on dropped and broadcast axes).</summary>
    private static int[] BroadcastStrides(Shape valueShape, Selection view)
    {
        var keptStrides = BroadcastStrides(valueShape, view.KeptShape);
        var strides = new int[view.Shape.Length];
        for (int d = 0, k = 0; d < strides.Length; d++)
            strides[d] = view.Kept[d] ? keptStrides[k++] : 0;
        return strides;
    }
}
