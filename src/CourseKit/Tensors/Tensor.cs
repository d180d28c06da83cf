using CourseKit.Backends;

namespace CourseKit;

/// <summary>
/// A float32 n-dimensional array, contiguous in row-major (C) order, living on one <see cref="Device"/>.
/// Reads like NumPy in a notebook cell; heavy work goes through the device's <see cref="IComputeBackend"/>.
/// Operations return new tensors; slicing and transposing copy (a tensor is never a strided view).
/// <para>The class is split by topic: Creation (FromArray, Zeros, Arange, Eye, Linspace), Random (RandN, Normal,
/// Uniform), Indexing (<c>x[1, 2]</c>, <c>x[.., 0, 1..3]</c>), ShapeOps (Reshape, Transpose, Squeeze, BroadcastTo),
/// Pad, Concat (Concat, Stack), Arithmetic (broadcasting + − * /, Exp, Clip…), Reductions (Sum, Mean, Max, ArgMax),
/// MatMul, Comparison (AllClose) and Printing (NumPy's print).</para>
/// </summary>
[Display.TypeFormatterSource(typeof(Display.TensorFormatterSource), PreferredMimeTypes = [Display.Formatting.Html])]
public sealed partial class Tensor
{
    private readonly int[] dims;

    /// <summary>The memory holding the elements, on <see cref="Device"/>.</summary>
    public TensorStorage Storage { get; }

    /// <summary>A new tensor of the given shape on the device's fresh (zeroed) storage.</summary>
    public Tensor(Shape shape, Device? device = null)
    {
        dims = shape.ToArray();
        Storage = (device ?? Device.Cpu).Allocate(shape.Size);
    }

    /// <summary>Wraps existing storage (no copy). The storage must hold exactly shape.Length elements.</summary>
    public Tensor(Shape shape, TensorStorage storage)
    {
        if (storage.Length != shape.Size)
            throw new ArgumentException($"A tensor of shape {shape} needs {shape.Size} elements, but the storage holds {storage.Length}.");
        dims = shape.ToArray();
        Storage = storage;
    }

    /// <summary>A CPU tensor of the given shape over <paramref name="data"/> (no copy).</summary>
    public Tensor(Shape shape, float[] data) : this(shape, new CpuStorage(data)) { }

    public Shape Shape => Shape.Wrap(dims);

    /// <summary>Number of axes (NumPy's ndim).</summary>
    public int Rank => dims.Length;

    /// <summary>Number of elements (NumPy's size).</summary>
    public int Length => Storage.Length;

    public Device Device => Storage.Device;

    internal IComputeBackend Backend => Storage.Device.Backend;

    internal ReadOnlySpan<int> Dims => dims;

    /// <summary>The elements as a span over host memory. Only for CPU tensors; others say how to move them.</summary>
    public Span<float> AsSpan() => Storage is CpuStorage cpu
        ? cpu.Span
        : throw new InvalidOperationException($"This tensor lives on {Device.Name}; call .To(Device.Cpu) to read its values on the host.");

    /// <summary>A copy of the elements in row-major order, from any device.</summary>
    public float[] ToArray()
    {
        var result = new float[Length];
        Storage.CopyTo(result);
        return result;
    }

    /// <summary>This tensor on <paramref name="device"/>: itself when already there, otherwise a copy.</summary>
    public Tensor To(Device device)
    {
        if (device == Device) return this;
        var host = ToArray();
        var storage = device.Allocate(Length);
        storage.CopyFrom(host);
        return new Tensor(Shape, storage);
    }

    /// <summary>A deep copy on the same device.</summary>
    public Tensor Clone()
    {
        var y = new Tensor(Shape, Device);
        Backend.Unary(UnaryOp.Copy, Storage, y.Storage, Length);
        return y;
    }

    /// <summary>The single value of a one-element tensor (NumPy's item()).</summary>
    public float Item()
    {
        if (Length != 1) throw new InvalidOperationException($"Item() needs a tensor with one element, but this one has shape {Shape} ({Length} elements).");
        return ToArray()[0];
    }

    /// <summary>Flat row-major position of a full index, checked against the shape.</summary>
    internal int Offset(ReadOnlySpan<int> index)
    {
        if (index.Length != Rank)
            throw ElementIndexCountError(string.Join(", ", index.ToArray()), index.Length);
        int offset = 0;
        for (int d = 0; d < Rank; d++)
        {
            int i = index[d] < 0 ? index[d] + dims[d] : index[d];
            if ((uint)i >= (uint)dims[d])
                throw new IndexOutOfRangeException($"Index {index[d]} is out of range for axis {d} of size {dims[d]} (shape {Shape}).");
            offset = offset * dims[d] + i;
        }
        return offset;
    }

    /// <summary>An index of integers only reads one element, so it needs one integer per axis; says how to take a part instead.</summary>
    internal Exception ElementIndexCountError(string shown, int count)
    {
        string hint = count < Rank
            ? $" To take a part of the tensor as a tensor, add a range: x[{shown}, ..]."
            : "";
        return new IndexOutOfRangeException(
            $"x[{shown}] reads one element, so a tensor of shape {Shape} needs {Rank} indices, but {count} were given.{hint}");
    }

    /// <summary>Throws when two tensors of one operation live on different devices.</summary>
    internal static void SameDevice(string operation, Tensor a, Tensor b)
    {
        if (a.Device != b.Device)
            throw new InvalidOperationException($"{operation}: one tensor is on {a.Device.Name}, the other on {b.Device.Name} (shapes {a.Shape} and {b.Shape}). Move one with .To(device).");
    }
}
