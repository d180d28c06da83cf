using CourseKit.Backends;

namespace CourseKit;

public sealed partial class Tensor
{
    public static Tensor FromArray(float[] data) => new([data.Length], (float[])data.Clone());

    public static Tensor FromArray(float[,] data) => FromMultidimensional(data);

    public static Tensor FromArray(float[,,] data) => FromMultidimensional(data);

    public static Tensor FromArray(float[,,,] data) => FromMultidimensional(data);

    public static implicit operator Tensor(float[] data) => FromArray(data);
    public static implicit operator Tensor(float[,] data) => FromArray(data);
    public static implicit operator Tensor(float[,,] data) => FromArray(data);
    public static implicit operator Tensor(float[,,,] data) => FromArray(data);

    private static Tensor FromMultidimensional(Array data)
    {
        var shape = new int[data.Rank];
        for (int d = 0; d < data.Rank; d++) shape[d] = data.GetLength(d);
        var flat = new float[data.Length];
        int i = 0;
        foreach (float v in data) flat[i++] = v; // enumerates in row-major order
        return new Tensor(shape, flat);
    }

    /// <summary>A tensor of the given shape over a copy of <paramref name="data"/>; lengths must agree.</summary>
    public static Tensor FromData(Shape shape, ReadOnlySpan<float> data)
    {
        if (data.Length != shape.Size)
            throw new ArgumentException($"Shape {shape} needs {shape.Size} values, but {data.Length} were given.");
        return new Tensor(shape, data.ToArray());
    }

    public static Tensor Zeros(params int[] shape) => new(shape);

    public static Tensor Ones(params int[] shape) => Full(shape, 1f);

    public static Tensor Full(Shape shape, float value, Device? device = null)
    {
        var t = new Tensor(shape, device);
        t.Backend.Fill(t.Storage, 0, t.Length, value);
        return t;
    }

    public static Tensor ZerosLike(Tensor x) => new(x.Shape, x.Device);

    /// <summary>0, 1, …, count−1 as a 1-D tensor (NumPy's arange).</summary>
    public static Tensor Arange(int count) => Arange(0, count, 1);

    /// <summary>start, start+step, … up to but excluding stop.</summary>
    public static Tensor Arange(float start, float stop, float step = 1f)
    {
        if (step == 0f) throw new ArgumentException("Arange: step cannot be 0.");
        int count = Math.Max(0, (int)Math.Ceiling((stop - start) / step));
        var data = new float[count];
        for (int i = 0; i < count; i++) data[i] = start + i * step;
        return new Tensor([count], data);
    }

    /// <summary>The identity matrix (NumPy's eye): ones on the diagonal of an n×m matrix (m = n when omitted).</summary>
    public static Tensor Eye(int n, int? m = null)
    {
        int cols = m ?? n;
        if (n < 0 || cols < 0) throw new ArgumentException($"Eye: sizes cannot be negative, got {n}×{cols}.");
        var y = new Tensor([n, cols]);
        var data = y.AsSpan();
        for (int i = 0; i < Math.Min(n, cols); i++) data[i * cols + i] = 1f;
        return y;
    }

    /// <summary><paramref name="count"/> evenly spaced values from start to stop, both included (NumPy's linspace).</summary>
    public static Tensor Linspace(float start, float stop, int count = 50)
    {
        if (count < 0) throw new ArgumentException($"Linspace: count cannot be negative, got {count}.");
        var data = new float[count];
        // In double, as NumPy does, then rounded once; the last value is exactly stop.
        double step = count > 1 ? ((double)stop - start) / (count - 1) : 0;
        for (int i = 0; i < count; i++) data[i] = (float)(start + i * step);
        if (count > 1) data[^1] = stop;
        return new Tensor([count], data);
    }
}
