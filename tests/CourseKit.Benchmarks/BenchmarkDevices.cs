using CourseKit.Backends;

namespace CourseKit.Benchmarks;

/// <summary>
/// Turns the <c>--device NAME</c> option of a benchmark into a <see cref="Device"/> through the library's
/// <see cref="DeviceSelection"/>: <c>cpu</c>, <c>opencl</c>, <c>opencl:1</c>, <c>opencl:nvidia</c>.
/// </summary>
internal static class BenchmarkDevices
{
    /// <summary>The device named by <c>--device NAME</c> in <paramref name="args"/> (the CPU when absent), or an error message.</summary>
    public static Device? FromArgs(string[] args, out string? error)
    {
        string name = BenchmarkArgs.Value(args, "--device") ?? "cpu";
        error = null;
        try { return DeviceSelection.Parse(name); }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or DllNotFoundException)
        {
            error = $"device '{name}': {e.Message}";
            return null;
        }
    }

    /// <summary>Waits until the device has finished the work queued so far (reading back one value does that on any device).</summary>
    public static void Synchronize(TensorStorage storage)
    {
        Span<float> one = stackalloc float[1];
        storage.CopyTo(one);
    }
}

/// <summary>Tiny option reader shared by the benchmarks: <c>--name value</c> pairs.</summary>
internal static class BenchmarkArgs
{
    public static string? Value(string[] args, string name)
    {
        int i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }

    public static int Int(string[] args, string name, int fallback) =>
        int.TryParse(Value(args, name), out int v) ? v : fallback;
}
