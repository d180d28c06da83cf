namespace CourseKit.Backends;

/// <summary>
/// Turns a device name from the command line or a notebook into a <see cref="Device"/>:
/// <c>cpu</c>, <c>opencl</c> (the preferred OpenCL device, a GPU when there is one),
/// <c>opencl:1</c> (by index in <see cref="OpenClDevice.All"/>) or <c>opencl:nvidia</c> (by part of the name);
/// <c>ilgpu</c>, <c>ilgpu:cuda</c>, <c>ilgpu:opencl:1</c>, <c>ilgpu:cpu</c> (see <see cref="IlgpuDevice.Get(string)"/>);
/// <c>best</c> (<see cref="BestDevice.Pick"/>).
/// </summary>
public static class DeviceSelection
{
    public const string Help = "cpu | opencl | opencl:INDEX | opencl:NAME | ilgpu | ilgpu:cuda | ilgpu:opencl | ilgpu:cpu | ilgpu:KIND:INDEX | ilgpu:KIND:NAME | best";

    public static Device Parse(string text)
    {
        var spec = text.Trim();
        if (spec.Equals("cpu", StringComparison.OrdinalIgnoreCase)) return Device.Cpu;
        if (spec.Equals("opencl", StringComparison.OrdinalIgnoreCase) || spec.Equals("gpu", StringComparison.OrdinalIgnoreCase))
            return OpenClDevice.Default;
        if (spec.Equals("best", StringComparison.OrdinalIgnoreCase)) return BestDevice.Pick().Device;
        // "ilgpu" alone: ILGPU's best device (a GPU when it has one, else its CPU accelerator).
        if (spec.Equals("ilgpu", StringComparison.OrdinalIgnoreCase)) return IlgpuDevice.FirstGpu ?? IlgpuDevice.CpuAccelerator;
        if (spec.StartsWith("ilgpu:", StringComparison.OrdinalIgnoreCase)) return IlgpuDevice.Get(spec["ilgpu:".Length..]);
        const string prefix = "opencl:";
        if (spec.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
        {
            var which = spec[prefix.Length..];
            return int.TryParse(which, out int index) ? OpenClDevice.Get(index) : OpenClDevice.Get(which);
        }
        throw new ArgumentException($"Unknown device \"{text}\"; use {Help}.", nameof(text));
    }
}
