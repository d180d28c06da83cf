namespace CourseKit.Backends;

/// <summary>
/// Turns a device name from the command line or a notebook into a <see cref="Device"/>:
/// <c>cpu</c>, <c>opencl</c> (the preferred OpenCL device, a GPU when there is one),
/// <c>opencl:1</c> (by index in <see cref="OpenClDevice.All"/>) or <c>opencl:nvidia</c> (by part of the name).
/// </summary>
public static class DeviceSelection
{
    public const string Help = "cpu | opencl | opencl:INDEX | opencl:NAME";

    public static Device Parse(string text)
    {
        var spec = text.Trim();
        if (spec.Equals("cpu", StringComparison.OrdinalIgnoreCase)) return Device.Cpu;
        if (spec.Equals("opencl", StringComparison.OrdinalIgnoreCase) || spec.Equals("gpu", StringComparison.OrdinalIgnoreCase))
            return OpenClDevice.Default;
        const string prefix = "opencl:";
        if (spec.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
        {
            var which = spec[prefix.Length..];
            return int.TryParse(which, out int index) ? OpenClDevice.Get(index) : OpenClDevice.Get(which);
        }
        throw new ArgumentException($"Unknown device \"{text}\"; use {Help}.", nameof(text));
    }
}
