using System.Runtime.CompilerServices;
using static CourseKit.Backends.OpenCl.OpenClNative;

namespace CourseKit.Backends.OpenCl;

/// <summary>Up to eight sizes or strides passed by value as one OpenCL <c>int8</c> vector.</summary>
[InlineArray(MaxRank)]
internal struct Int8Vector
{
    public const int MaxRank = 8;
    private int element;

    public static Int8Vector From(ReadOnlySpan<int> values)
    {
        var vector = new Int8Vector();
        values.CopyTo(vector);
        return vector;
    }
}

/// <summary>One kernel argument: an int, a float, a device buffer or an <c>int8</c>.</summary>
internal readonly struct KernelArg
{
    private enum Kind { Int, Float, Buffer, Int8 }

    private readonly Kind kind;
    private readonly int intValue;
    private readonly float floatValue;
    private readonly ClBuffer? buffer;
    private readonly Int8Vector vector;

    private KernelArg(Kind kind, int i = 0, float f = 0, ClBuffer? buffer = null, Int8Vector vector = default)
    {
        this.kind = kind;
        intValue = i;
        floatValue = f;
        this.buffer = buffer;
        this.vector = vector;
    }

    public static implicit operator KernelArg(int value) => new(Kind.Int, i: value);
    public static implicit operator KernelArg(bool value) => new(Kind.Int, i: value ? 1 : 0);
    public static implicit operator KernelArg(float value) => new(Kind.Float, f: value);
    public static implicit operator KernelArg(OpenClStorage storage) => new(Kind.Buffer, buffer: storage.Buffer);
    public static implicit operator KernelArg(Int8Vector vector) => new(Kind.Int8, vector: vector);

    public unsafe void Set(ClKernel kernel, uint index, string kernelName)
    {
        int error;
        switch (kind)
        {
            case Kind.Int: { int v = intValue; error = clSetKernelArg(kernel.Value, index, sizeof(int), &v); break; }
            case Kind.Float: { float v = floatValue; error = clSetKernelArg(kernel.Value, index, sizeof(float), &v); break; }
            case Kind.Buffer: { nint v = buffer!.Value; error = clSetKernelArg(kernel.Value, index, (nuint)sizeof(nint), &v); break; }
            default: { Int8Vector v = vector; error = clSetKernelArg(kernel.Value, index, (nuint)sizeof(Int8Vector), &v); break; }
        }
        if (error != 0) throw new OpenClException("clSetKernelArg", error, $"argument {index} ({kind}) of kernel {kernelName}");
    }
}

/// <summary>One family of kernels in OpenCL C, compiled once per device and cached there.</summary>
internal sealed class OpenClSource(string name, string source)
{
    public string Name { get; } = name;

    /// <summary>The operation codes (the C# enums' values) followed by the family's kernels.</summary>
    public string Source { get; } = Prelude + source;

    // The kernels switch on the same numbers as the C# enums; generating the defines keeps them in step.
    private static readonly string Prelude = string.Concat(
        Enum.GetValues<UnaryOp>().Select(op => $"#define UNARY_{op} {(int)op}\n")
            .Concat(Enum.GetValues<BinaryOp>().Select(op => $"#define BINARY_{op} {(int)op}\n"))
            .Concat(Enum.GetValues<ReduceOp>().Select(op => $"#define REDUCE_{op} {(int)op}\n")));
}
