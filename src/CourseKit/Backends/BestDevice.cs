namespace CourseKit.Backends;

/// <summary>A device chosen for you, and why it was chosen.</summary>
public sealed record DeviceChoice(Device Device, string Reason)
{
    public override string ToString() => $"{Device}: {Reason}";
}

/// <summary>
/// The fastest device this machine offers for training (lecture 2.6): an NVIDIA GPU through ILGPU's CUDA
/// runtime, else a GPU ILGPU reaches through OpenCL 2.0+, else a GPU the OpenCL backend reaches (OpenCL 1.2
/// suffices: macOS, older drivers), else the CPU backend (faster than ILGPU's CPU accelerator, which only
/// simulates a GPU). The reason names what was found and what was passed over.
/// </summary>
public static class BestDevice
{
    public static DeviceChoice Pick()
    {
        var ilgpu = IlgpuDevice.All;
        var cuda = ilgpu.FirstOrDefault(d => d.Kind == IlgpuDeviceKind.Cuda);
        if (cuda is not null)
            return new(cuda, $"an NVIDIA GPU through CUDA (\"{cuda.DeviceName}\", {cuda.ComputeUnits} multiprocessors): ILGPU's kernels compile to PTX for it.");
        var clGpu = ilgpu.FirstOrDefault(d => d.Kind == IlgpuDeviceKind.OpenCl && d.IsGpu);
        if (clGpu is not null)
            return new(clGpu, $"no CUDA device; \"{clGpu.DeviceName}\" is a GPU with OpenCL 2.0+ that ILGPU compiles for.");
        string refused = IlgpuDevice.Refused.Count == 0 ? "" : $" (OpenCL devices ILGPU cannot use: {string.Join("; ", IlgpuDevice.Refused)})";
        if (OpenClDevice.IsAvailable(out string noOpenCl))
        {
            var gpu = OpenClDevice.All.FirstOrDefault(d => d.Kind == OpenClDeviceKind.Gpu);
            if (gpu is not null)
                return new(gpu, $"no GPU ILGPU can use{refused}; the OpenCL backend reaches the GPU \"{gpu.DeviceName}\".");
            noOpenCl = $"OpenCL finds no GPU, only {string.Join(", ", OpenClDevice.All.Select(d => $"\"{d.DeviceName}\""))}";
        }
        return new(Device.Cpu, $"no GPU found: ILGPU has only its CPU accelerator{refused}; {noOpenCl.TrimEnd('.')}. " +
                               "The CPU backend is faster than a GPU simulated on the CPU.");
    }
}
