using System.Diagnostics;
using CourseKit.Backends.Ilgpu;
using ILGPU;
using ILGPU.Algorithms;
using ILGPU.Runtime;
using ILGPU.Runtime.CPU;
using ILGPU.Runtime.Cuda;
using ILGPU.Runtime.OpenCL;

namespace CourseKit.Backends;

/// <summary>Which ILGPU runtime drives a device.</summary>
public enum IlgpuDeviceKind { Cuda, OpenCl, Cpu }

/// <summary>
/// One ILGPU accelerator: an NVIDIA GPU through CUDA, a GPU with OpenCL 2.0+ (or 3.0 with the generic address
/// space), or ILGPU's CPU accelerator, which runs the same kernels on the host's threads and simulates groups,
/// shared memory and barriers (slow, but it shows the GPU programming model anywhere). Tensors moved here with
/// <c>x.To(device)</c> live in device buffers and are computed on by <see cref="IlgpuBackend"/>, whose kernels
/// are C# methods (Kernels/) that ILGPU compiles for the device once, on first use (lecture 2.6).
/// </summary>
public sealed class IlgpuDevice : Device
{
    /// <summary>What each kind of device needs, per operating system.</summary>
    public const string InstallAdvice =
        "ILGPU reaches NVIDIA GPUs through CUDA: install NVIDIA's driver (Linux: the distribution's nvidia-driver package, " +
        "Windows: GeForce/Studio driver; the CUDA toolkit is not needed). AMD and Intel GPUs through OpenCL 2.0+ with the " +
        "generic address space: Linux `intel-opencl-icd` (Intel compute runtime) or AMD's ROCm OpenCL, Windows the vendor's " +
        "driver; on Linux ILGPU loads the unversioned libOpenCL.so, so also `sudo apt install ocl-icd-opencl-dev` (or link " +
        "libOpenCL.so to libOpenCL.so.1). macOS has no CUDA and only OpenCL 1.2, which ILGPU cannot use: take \"ilgpu:cpu\" " +
        "(ILGPU's CPU accelerator) or the OpenCL backend (\"opencl\").";

    private static readonly Lazy<Discovery> discovery = new(Discover);

    private readonly ILGPU.Runtime.Device ilgpuDevice;
    private readonly Lazy<Accelerator> accelerator;
    private readonly Lazy<IlgpuBufferPool> pool;
    private readonly Dictionary<string, object> kernels = [];
    private readonly Dictionary<string, TimeSpan> compileTimes = [];

    private IlgpuDevice(int index, IlgpuDeviceKind kind, int indexOfKind, ILGPU.Runtime.Device ilgpuDevice)
    {
        Index = index;
        Kind = kind;
        this.ilgpuDevice = ilgpuDevice;
        Name = kind == IlgpuDeviceKind.Cpu ? "ilgpu:cpu" : $"ilgpu:{(kind == IlgpuDeviceKind.Cuda ? "cuda" : "opencl")}:{indexOfKind}";
        DeviceName = ilgpuDevice.Name;
        IsGpu = kind == IlgpuDeviceKind.Cuda || ilgpuDevice is CLDevice { DeviceType: CLDeviceType.CL_DEVICE_TYPE_GPU };
        accelerator = new(() => ilgpuDevice.CreateAccelerator(discovery.Value.Context));
        pool = new(() => new IlgpuBufferPool(Accelerator));
        Backend = new IlgpuBackend(this);
    }

    /// <summary>Every device ILGPU can use, CUDA first, then OpenCL, then the CPU accelerator (always present).</summary>
    public static IReadOnlyList<IlgpuDevice> All => discovery.Value.Devices;

    /// <summary>OpenCL devices ILGPU found but cannot use, each with the reason (PoCL 3.1, Apple, older drivers).</summary>
    public static IReadOnlyList<string> Refused => discovery.Value.Refused;

    /// <summary>ILGPU's CPU accelerator.</summary>
    public static IlgpuDevice CpuAccelerator => All.First(d => d.Kind == IlgpuDeviceKind.Cpu);

    /// <summary>The first ILGPU device that is a GPU, or null.</summary>
    public static IlgpuDevice? FirstGpu => All.FirstOrDefault(d => d.IsGpu);

    /// <summary>The device at <paramref name="index"/> of <see cref="All"/>.</summary>
    public static IlgpuDevice Get(int index) => (uint)index < (uint)All.Count ? All[index]
        : throw new ArgumentOutOfRangeException(nameof(index), $"There is no ILGPU device {index}; the devices are:{Environment.NewLine}{Describe()}");

    /// <summary>
    /// A device by its name: "cuda", "opencl", "cpu" (the first of that kind), "cuda:1" (by index among that kind),
    /// "opencl:intel" (by part of the device's name), "2" (by index in <see cref="All"/>) or part of a device's name.
    /// </summary>
    public static IlgpuDevice Get(string spec)
    {
        var text = spec.Trim();
        if (int.TryParse(text, out int index)) return Get(index);
        var parts = text.Split(':', 2);
        IlgpuDeviceKind? kind = parts[0].ToLowerInvariant() switch
        {
            "cuda" => IlgpuDeviceKind.Cuda,
            "opencl" or "cl" => IlgpuDeviceKind.OpenCl,
            "cpu" => IlgpuDeviceKind.Cpu,
            _ => null,
        };
        if (kind is null)
            return All.FirstOrDefault(d => d.DeviceName.Contains(text, StringComparison.OrdinalIgnoreCase))
                ?? throw Absent($"No ILGPU device is named like \"{text}\".");
        var ofKind = All.Where(d => d.Kind == kind).ToArray();
        if (ofKind.Length == 0)
            throw Absent($"ILGPU found no {(kind == IlgpuDeviceKind.Cuda ? "CUDA" : "OpenCL")} device on this machine.");
        if (parts.Length == 1) return ofKind[0];
        if (int.TryParse(parts[1], out int i))
            return (uint)i < (uint)ofKind.Length ? ofKind[i] : throw Absent($"There is no ILGPU {parts[0]} device {i}.");
        return ofKind.FirstOrDefault(d => d.DeviceName.Contains(parts[1], StringComparison.OrdinalIgnoreCase))
            ?? throw Absent($"No ILGPU {parts[0]} device is named like \"{parts[1]}\".");
    }

    /// <summary>One line per device (index, name, kind, memory, compute units), then the refused OpenCL devices.</summary>
    public static string Describe() => string.Join(Environment.NewLine,
        All.Select(d => d.Summary).Concat(Refused.Select(r => "    not usable by ILGPU: " + r)));

    /// <summary>Position in <see cref="All"/>.</summary>
    public int Index { get; }

    public IlgpuDeviceKind Kind { get; }

    /// <summary>"ilgpu:cuda:0", "ilgpu:opencl:1" or "ilgpu:cpu".</summary>
    public override string Name { get; }

    public override IComputeBackend Backend { get; }

    /// <summary>The name the driver gives (for the CPU accelerator: ILGPU's "CPUAccelerator").</summary>
    public string DeviceName { get; }

    public bool IsGpu { get; }

    /// <summary>Device memory in bytes (the CPU accelerator uses host memory and reports no limit).</summary>
    public long MemoryBytes => ilgpuDevice.MemorySize;

    /// <summary>Streaming multiprocessors (CUDA), compute units (OpenCL) or simulated multiprocessors (CPU).</summary>
    public int ComputeUnits => ilgpuDevice.NumMultiprocessors;

    public int MaxGroupSize => ilgpuDevice.MaxNumThreadsPerGroup;

    public int WarpSize => ilgpuDevice.WarpSize;

    public string Summary => $"[{Index}] {Name} \"{DeviceName}\" {KindText}, " +
        (Kind == IlgpuDeviceKind.Cpu ? "host memory" : $"{MemoryBytes / (1024 * 1024)} MiB") +
        $", {ComputeUnits} compute units, groups of up to {MaxGroupSize} threads";

    private string KindText => Kind switch
    {
        IlgpuDeviceKind.Cuda => "(CUDA GPU)",
        IlgpuDeviceKind.OpenCl => IsGpu ? "(OpenCL GPU)" : "(OpenCL, not a GPU)",
        _ => $"(ILGPU's CPU accelerator: the GPU kernels simulated on {Environment.ProcessorCount} host threads, not a GPU)",
    };

    public override string ToString() => $"{Name} ({DeviceName})";

    /// <summary>A zero-filled buffer of <paramref name="length"/> floats, like a fresh CPU array (reused from the pool when one fits).</summary>
    public override TensorStorage Allocate(int length)
    {
        var storage = new IlgpuStorage(this, length);
        if (length > 0) Backend.Fill(storage, 0, length, 0f);
        return storage;
    }

    /// <summary>Waits until every queued kernel and copy has finished (for timing; reads already wait).</summary>
    public void Synchronize()
    {
        lock (Gate)
        {
            Bind();
            Stream.Synchronize();
        }
    }

    /// <summary>Device allocations made, and requests served from buffers given back (see IlgpuBufferPool).</summary>
    public (int Created, int Reused) BufferCounts => (Pool.Created, Pool.Reused);

    /// <summary>Frees the pooled buffers no tensor uses.</summary>
    public void TrimBuffers() => Pool.Trim();

    /// <summary>How long ILGPU took to compile each kernel for this device (the first call of each; later calls reuse it).</summary>
    public IReadOnlyDictionary<string, TimeSpan> CompileTimes { get { lock (kernels) return new Dictionary<string, TimeSpan>(compileTimes); } }

    /// <summary>The sum of <see cref="CompileTimes"/>.</summary>
    public TimeSpan TotalCompileTime => CompileTimes.Values.Aggregate(TimeSpan.Zero, (a, b) => a + b);

    /// <summary>The ILGPU accelerator (created on first use), for kernels of your own.</summary>
    public Accelerator Accelerator => accelerator.Value;

    /// <summary>Side length T of a GEMM tile: T×T threads per group (16×16 = 256 on GPUs; smaller where groups are smaller).</summary>
    internal int GemmTile => MaxGroupSize >= 256 ? 16 : MaxGroupSize >= 64 ? 8 : 4;

    /// <summary>
    /// The GEMM kernel <see cref="IlgpuBackend.Gemm"/> runs: the register-blocked one on a GPU; the one-thread-per-element
    /// one on the CPU accelerator, where every barrier of the tiled kernels is a switch between host threads
    /// (measured here: 64³ takes 0.1 s naive and 20 s tiled).
    /// </summary>
    internal IlgpuBackend.GemmKernel GemmKernel => Kind == IlgpuDeviceKind.Cpu ? IlgpuBackend.GemmKernel.Naive : IlgpuBackend.GemmKernel.Blocked;

    internal IlgpuBufferPool Pool => pool.Value;

    internal AcceleratorStream Stream => Accelerator.DefaultStream;

    /// <summary>Held while launching or copying: ILGPU's streams and kernel arguments are not thread-safe.</summary>
    internal Lock Gate { get; } = new();

    /// <summary>Makes this accelerator current on the calling thread (CUDA contexts are per thread).</summary>
    internal void Bind()
    {
        if (Kind != IlgpuDeviceKind.Cpu) Accelerator.Bind();
    }

    /// <summary>
    /// The kernel <paramref name="name"/>, compiled by <paramref name="load"/> on first use and cached for the
    /// device's lifetime; the compile time is recorded in <see cref="CompileTimes"/>.
    /// </summary>
    public TKernel Kernel<TKernel>(string name, Func<Accelerator, TKernel> load) where TKernel : Delegate
    {
        lock (kernels)
        {
            if (kernels.TryGetValue(name, out var cached)) return (TKernel)cached;
            var clock = Stopwatch.StartNew();
            TKernel kernel;
            lock (Gate)
            {
                Bind();
                kernel = load(Accelerator);
            }
            compileTimes[name] = clock.Elapsed;
            kernels[name] = kernel;
            return kernel;
        }
    }

    private static InvalidOperationException Absent(string what) =>
        new($"{what} The ILGPU devices here are:{Environment.NewLine}{Describe()}{Environment.NewLine}{InstallAdvice}");

    private sealed record Discovery(Context Context, IReadOnlyList<IlgpuDevice> Devices, IReadOnlyList<string> Refused);

    // The CPU accelerator simulates each group's threads with host threads: 4 warps of 4 threads per group (so a GEMM
    // tile is 4×4) on one simulated multiprocessor per core.
    private static CPUDevice SimulatedCpu => new(numThreadsPerWarp: 4, numWarpsPerMultiprocessor: 4, numMultiprocessors: Environment.ProcessorCount);

    /// <summary>
    /// How every kernel is compiled: optimised, with ILGPU.Algorithms' math (PTX has no exp, log, tanh or pow instruction;
    /// without it the elementwise kernels do not compile for CUDA). CodeGenerationTests compiles with this on machines without a GPU.
    /// </summary>
    internal static Context.Builder Compiler(Context.Builder builder) => builder.Optimize(OptimizationLevel.O1).EnableAlgorithms();

    private static Discovery Discover()
    {
        // OpenCL devices are all listed so that the refused ones can be named; only those with the generic address space are used.
        var context = Context.Create(b => Compiler(b.Cuda().OpenCL(_ => true).CPU(SimulatedCpu)));
        var devices = new List<IlgpuDevice>();
        var refused = new List<string>();
        int cuda = 0, opencl = 0;
        foreach (var d in context.Devices.OfType<CudaDevice>()) devices.Add(new IlgpuDevice(devices.Count, IlgpuDeviceKind.Cuda, cuda++, d));
        foreach (var d in context.Devices.OfType<CLDevice>().OrderBy(d => d.DeviceType == CLDeviceType.CL_DEVICE_TYPE_GPU ? 0 : 1))
        {
            if (d.Capabilities.GenericAddressSpace) devices.Add(new IlgpuDevice(devices.Count, IlgpuDeviceKind.OpenCl, opencl++, d));
            else refused.Add($"\"{d.Name}\" ({d.PlatformName}, {d.DeviceVersion}): no generic address space (ILGPU needs OpenCL 2.0+ or 3.0 with __opencl_c_generic_address_space)");
        }
        foreach (var d in context.Devices.OfType<CPUDevice>()) devices.Add(new IlgpuDevice(devices.Count, IlgpuDeviceKind.Cpu, 0, d));
        return new Discovery(context, devices, refused);
    }
}
