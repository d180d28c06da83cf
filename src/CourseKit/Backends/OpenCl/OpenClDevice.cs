using System.Text;
using CourseKit.Backends.OpenCl;
using static CourseKit.Backends.OpenCl.OpenClNative;

namespace CourseKit.Backends;

/// <summary>What kind of processor an OpenCL device is.</summary>
public enum OpenClDeviceKind { Gpu, Accelerator, Cpu, Other }

/// <summary>
/// One OpenCL device (a GPU, or the CPU through a runtime such as PoCL) with its own context and
/// in-order command queue. Tensors moved here with <c>x.To(device)</c> live in device buffers and are
/// computed on by <see cref="OpenClBackend"/> (lecture 2.6: the same array code on another device).
/// Devices are found once per process; the same physical device is always the same object.
/// </summary>
public sealed unsafe class OpenClDevice : Device
{
    /// <summary>What to install when no OpenCL runtime is found, per operating system.</summary>
    public const string InstallAdvice =
        "install an OpenCL runtime. Debian/Ubuntu: `sudo apt install ocl-icd-libopencl1` plus a driver: " +
        "`pocl-opencl-icd` (runs on the CPU), `mesa-opencl-icd` (AMD), `intel-opencl-icd` (Intel GPUs) or NVIDIA's driver " +
        "(`nvidia-opencl-icd`); check with `clinfo -l`. Windows: the GPU vendor's driver ships OpenCL.dll. " +
        "macOS: OpenCL is part of the system (/System/Library/Frameworks/OpenCL.framework).";

    private static readonly Lazy<IReadOnlyList<OpenClDevice>> devices = new(Discover);

    private readonly nint id;
    private readonly Lazy<(ClContext Context, ClQueue Queue)> session;
    private readonly Dictionary<string, ClProgram> programs = [];
    private readonly Dictionary<string, ClKernel> kernels = [];
    // clSetKernelArg on a shared kernel object is not thread-safe: set-and-enqueue happens under this lock.
    private readonly Lock launchLock = new();

    private OpenClDevice(int index, nint id, string platform)
    {
        this.id = id;
        Index = index;
        Platform = platform;
        DeviceName = InfoString(id, OpenClNative.DeviceName);
        Vendor = InfoString(id, OpenClNative.DeviceVendor);
        Version = InfoString(id, OpenClNative.DeviceVersion);
        ComputeUnits = (int)Info<uint>(id, DeviceMaxComputeUnits);
        GlobalMemoryBytes = (long)Info<ulong>(id, DeviceGlobalMemSize);
        LocalMemoryBytes = (long)Info<ulong>(id, DeviceLocalMemSize);
        MaxAllocationBytes = (long)Info<ulong>(id, DeviceMaxMemAllocSize);
        MaxWorkGroupSize = (int)Math.Min(Info<nuint>(id, DeviceMaxWorkGroupSize), 1 << 20);
        ulong type = Info<ulong>(id, DeviceType);
        Kind = (type & DeviceTypeGpu) != 0 ? OpenClDeviceKind.Gpu
            : (type & DeviceTypeAccelerator) != 0 ? OpenClDeviceKind.Accelerator
            : (type & DeviceTypeCpu) != 0 ? OpenClDeviceKind.Cpu : OpenClDeviceKind.Other;
        session = new(CreateSession);
        Backend = new OpenClBackend(this);
    }

    /// <summary>Every OpenCL device on every platform, GPUs first. Throws <see cref="OpenClUnavailableException"/> when there is no runtime.</summary>
    public static IReadOnlyList<OpenClDevice> All => devices.Value;

    /// <summary>The preferred device: the first GPU, otherwise the first accelerator or CPU device.</summary>
    public static OpenClDevice Default => All[0];

    /// <summary>True when at least one OpenCL device can be used; <paramref name="reason"/> says why not otherwise.</summary>
    public static bool IsAvailable(out string reason)
    {
        try
        {
            _ = All;
            reason = "";
            return true;
        }
        catch (OpenClUnavailableException e)
        {
            reason = e.Message;
            return false;
        }
    }

    /// <summary>The device at <paramref name="index"/> of <see cref="All"/>.</summary>
    public static OpenClDevice Get(int index) => (uint)index < (uint)All.Count ? All[index]
        : throw new ArgumentOutOfRangeException(nameof(index), $"There is no OpenCL device {index}; the devices are:{Environment.NewLine}{Describe()}");

    /// <summary>The first device whose name, vendor or platform contains <paramref name="name"/> (case-insensitive), such as "nvidia" or "pthread".</summary>
    public static OpenClDevice Get(string name) =>
        All.FirstOrDefault(d => d.DeviceName.Contains(name, StringComparison.OrdinalIgnoreCase)
                             || d.Vendor.Contains(name, StringComparison.OrdinalIgnoreCase)
                             || d.Platform.Contains(name, StringComparison.OrdinalIgnoreCase))
        ?? throw new ArgumentException($"No OpenCL device matches \"{name}\"; the devices are:{Environment.NewLine}{Describe()}", nameof(name));

    /// <summary>One line per device: index, kind, name, vendor, memory and compute units.</summary>
    public static string Describe() => string.Join(Environment.NewLine, All.Select(d => d.Summary));

    /// <summary>Position in <see cref="All"/>.</summary>
    public int Index { get; }

    public override string Name => $"opencl:{Index}";

    public override IComputeBackend Backend { get; }

    public string DeviceName { get; }
    public string Vendor { get; }
    public string Platform { get; }
    public string Version { get; }
    public OpenClDeviceKind Kind { get; }
    public int ComputeUnits { get; }
    public long GlobalMemoryBytes { get; }
    public long LocalMemoryBytes { get; }
    public long MaxAllocationBytes { get; }
    public int MaxWorkGroupSize { get; }

    public string Summary =>
        $"[{Index}] {Kind} \"{DeviceName}\" by {Vendor} ({Platform}), {GlobalMemoryBytes / (1024 * 1024)} MiB, {ComputeUnits} compute units";

    public override string ToString() => $"{Name} ({DeviceName})";

    /// <summary>A zero-filled buffer of <paramref name="length"/> floats, like a fresh CPU array.</summary>
    public override TensorStorage Allocate(int length)
    {
        var storage = new OpenClStorage(this, length);
        if (length > 0) Backend.Fill(storage, 0, length, 0f);
        return storage;
    }

    /// <summary>Waits until every queued command has finished (for timing; reads already wait).</summary>
    public void Synchronize() => OpenClException.Check(clFinish(Queue.Value), "clFinish");

    internal ClContext Context => session.Value.Context;
    internal ClQueue Queue => session.Value.Queue;

    // Compile-time constants of every CourseKit program on this device: tile sizes that fit its work-groups.
    internal int GemmTile => MaxWorkGroupSize >= 256 ? 16 : MaxWorkGroupSize >= 64 ? 8 : 4;
    internal int GemmWorkPerItem => 4;
    internal int GemmBlock => GemmTile * GemmWorkPerItem;
    // The tree reduction halves its work-group each step, so the group is a power of two (at most 256).
    internal int ReduceGroup => 1 << System.Numerics.BitOperations.Log2((uint)Math.Min(256, MaxWorkGroupSize));

    internal ClBuffer CreateBuffer(long bytes)
    {
        var handle = clCreateBuffer(Context.Value, MemReadWrite, (nuint)Math.Max(bytes, sizeof(float)), null, out int error);
        if (error != 0) throw new OpenClException("clCreateBuffer", error, $"{bytes} bytes on {this}");
        return new ClBuffer(handle, bytes);
    }

    /// <summary>Compiles OpenCL C source for this device; a compile error throws with the compiler's log.</summary>
    internal ClProgram BuildProgram(string source, string options = "")
    {
        var utf8 = Encoding.UTF8.GetBytes(source);
        nint handle;
        fixed (byte* text = utf8)
        {
            byte* strings = text;
            nuint length = (nuint)utf8.Length;
            handle = OpenClException.Check(clCreateProgramWithSource(Context.Value, 1, &strings, &length, out int error), error, "clCreateProgramWithSource");
        }
        var program = new ClProgram(handle);
        nint device = id;
        int status = clBuildProgram(handle, 1, &device, options, 0, 0);
        if (status != 0)
        {
            string log = BuildLog(handle);
            program.Dispose();
            throw new OpenClException("clBuildProgram", status, $"on {this}", log);
        }
        return program;
    }

    /// <summary>
    /// Compiles your own OpenCL C kernel for this device, such as an elementwise ReLU; a compile error throws
    /// <see cref="OpenClException"/> with the compiler's log. Run it with <see cref="OpenClKernel.Run"/>.
    /// </summary>
    public OpenClKernel CompileKernel(string source, string kernelName)
    {
        var program = BuildProgram(source);
        var handle = clCreateKernel(program.Value, kernelName, out int error);
        if (error != 0)
        {
            program.Dispose();
            throw new OpenClException("clCreateKernel", error, $"the source has no __kernel named \"{kernelName}\"");
        }
        return new OpenClKernel(this, program, new ClKernel(handle), kernelName);
    }

    /// <summary>The kernel <paramref name="kernelName"/> of a CourseKit program, building the program once per device.</summary>
    internal ClKernel Kernel(OpenClSource program, string kernelName)
    {
        lock (kernels)
        {
            string key = program.Name + "/" + kernelName;
            if (kernels.TryGetValue(key, out var kernel)) return kernel;
            if (!programs.TryGetValue(program.Name, out var built))
                programs[program.Name] = built = BuildProgram(program.Source, $"-D TILE={GemmTile} -D WPT={GemmWorkPerItem} -D REDUCE_GROUP={ReduceGroup}");
            var handle = OpenClException.Check(clCreateKernel(built.Value, kernelName, out int error), error, $"clCreateKernel({kernelName})");
            return kernels[key] = new ClKernel(handle);
        }
    }

    /// <summary>Sets the arguments and enqueues the kernel over <paramref name="global"/> work-items (rounded up to <paramref name="local"/> when given).</summary>
    internal void Launch(OpenClSource program, string kernelName, ReadOnlySpan<nuint> global, ReadOnlySpan<nuint> local, params ReadOnlySpan<KernelArg> args)
    {
        foreach (var size in global) if (size == 0) return;
        Launch(Kernel(program, kernelName), kernelName, global, local, args);
    }

    /// <inheritdoc cref="Launch(OpenClSource, string, ReadOnlySpan{nuint}, ReadOnlySpan{nuint}, ReadOnlySpan{KernelArg})"/>
    internal void Launch(ClKernel kernel, string kernelName, ReadOnlySpan<nuint> global, ReadOnlySpan<nuint> local, params ReadOnlySpan<KernelArg> args)
    {
        foreach (var size in global) if (size == 0) return;
        Span<nuint> rounded = stackalloc nuint[global.Length];
        for (int d = 0; d < global.Length; d++)
            rounded[d] = local.IsEmpty ? global[d] : (global[d] + local[d] - 1) / local[d] * local[d];
        lock (launchLock)
        {
            for (int i = 0; i < args.Length; i++) args[i].Set(kernel, (uint)i, kernelName);
            fixed (nuint* g = rounded)
            fixed (nuint* l = local)
            {
                int error = clEnqueueNDRangeKernel(Queue.Value, kernel.Value, (uint)global.Length, null, g, local.IsEmpty ? null : l, 0, null, null);
                if (error != 0) throw new OpenClException("clEnqueueNDRangeKernel", error, $"kernel {kernelName} on {this}");
            }
        }
    }

    private (ClContext, ClQueue) CreateSession()
    {
        nint device = id;
        var context = new ClContext(OpenClException.Check(clCreateContext(null, 1, &device, 0, 0, out int error), error, "clCreateContext"));
        var queue = new ClQueue(OpenClException.Check(clCreateCommandQueue(context.Value, id, 0, out error), error, "clCreateCommandQueue"));
        return (context, queue);
    }

    private string BuildLog(nint program)
    {
        if (clGetProgramBuildInfo(program, id, ProgramBuildLog, 0, null, out nuint size) != 0 || size == 0) return "";
        var bytes = new byte[(int)size];
        fixed (byte* p = bytes)
            if (clGetProgramBuildInfo(program, id, ProgramBuildLog, size, p, out _) != 0) return "";
        return Encoding.UTF8.GetString(bytes).TrimEnd('\0');
    }

    private static IReadOnlyList<OpenClDevice> Discover()
    {
        var found = new List<(nint Id, string Platform, ulong Type)>();
        try
        {
            int status = clGetPlatformIDs(0, null, out uint platformCount);
            if (status == -1001 || platformCount == 0)
                throw new OpenClUnavailableException($"An OpenCL loader is installed but it found no platform (no driver is registered in /etc/OpenCL/vendors); {InstallAdvice}");
            OpenClException.Check(status, "clGetPlatformIDs");
            var platforms = new nint[platformCount];
            fixed (nint* p = platforms) OpenClException.Check(clGetPlatformIDs(platformCount, p, out _), "clGetPlatformIDs");
            foreach (var platform in platforms)
            {
                string platformName = PlatformString(platform, PlatformName);
                if (clGetDeviceIDs(platform, DeviceTypeAll, 0, null, out uint count) != 0 || count == 0) continue;
                var ids = new nint[count];
                fixed (nint* d = ids) OpenClException.Check(clGetDeviceIDs(platform, DeviceTypeAll, count, d, out _), "clGetDeviceIDs");
                foreach (var device in ids) found.Add((device, platformName, Info<ulong>(device, DeviceType)));
            }
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            throw new OpenClUnavailableException($"No OpenCL runtime could be loaded ({e.GetType().Name}); {InstallAdvice}", e);
        }
        if (found.Count == 0)
            throw new OpenClUnavailableException($"OpenCL platforms exist but none has a device; {InstallAdvice}");
        // GPU first, then accelerators, then CPU devices; the platform order is kept within each kind.
        static int Rank(ulong type) => (type & DeviceTypeGpu) != 0 ? 0 : (type & DeviceTypeAccelerator) != 0 ? 1 : 2;
        return found.OrderBy(f => Rank(f.Type)).Select((f, i) => new OpenClDevice(i, f.Id, f.Platform)).ToArray();
    }

    private static T Info<T>(nint device, uint name) where T : unmanaged
    {
        T value = default;
        OpenClException.Check(clGetDeviceInfo(device, name, (nuint)sizeof(T), &value, out _), "clGetDeviceInfo");
        return value;
    }

    private static string InfoString(nint device, uint name)
    {
        OpenClException.Check(clGetDeviceInfo(device, name, 0, null, out nuint size), "clGetDeviceInfo");
        var bytes = new byte[(int)size];
        fixed (byte* p = bytes) OpenClException.Check(clGetDeviceInfo(device, name, size, p, out _), "clGetDeviceInfo");
        return Encoding.UTF8.GetString(bytes).TrimEnd('\0').Trim();
    }

    private static string PlatformString(nint platform, uint name)
    {
        OpenClException.Check(clGetPlatformInfo(platform, name, 0, null, out nuint size), "clGetPlatformInfo");
        var bytes = new byte[(int)size];
        fixed (byte* p = bytes) OpenClException.Check(clGetPlatformInfo(platform, name, size, p, out _), "clGetPlatformInfo");
        return Encoding.UTF8.GetString(bytes).TrimEnd('\0').Trim();
    }
}
