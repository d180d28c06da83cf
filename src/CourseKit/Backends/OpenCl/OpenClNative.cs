using System.Reflection;
using System.Runtime.InteropServices;

namespace CourseKit.Backends.OpenCl;

/// <summary>
/// The few OpenCL 1.2 host calls CourseKit uses, bound with source-generated P/Invoke.
/// Handles are raw pointers here; <see cref="ClHandle"/> owns them. Every call returns (or reports
/// through <c>errcode</c>) a CL error code that <see cref="OpenClException.Check"/> turns into an exception.
/// </summary>
internal static unsafe partial class OpenClNative
{
    private const string Library = "OpenCL";

    // The ICD loader has a different file name on every OS; Linux distributions ship only the
    // versioned libOpenCL.so.1 unless the -dev package is installed.
    private static readonly string[] Candidates = OperatingSystem.IsWindows() ? ["OpenCL"]
        : OperatingSystem.IsMacOS() ? ["/System/Library/Frameworks/OpenCL.framework/OpenCL"]
        : ["libOpenCL.so.1", "libOpenCL.so", "OpenCL"];

    static OpenClNative()
    {
        KeepDivideByZeroExceptions();
        try { NativeLibrary.SetDllImportResolver(typeof(OpenClNative).Assembly, Resolve); }
        catch (InvalidOperationException) { /* a resolver is already set for this assembly; default probing applies */ }
    }

    /// <summary>
    /// PoCL (OpenCL on the CPU) installs a SIGFPE handler that skips a faulting integer division, so after the first
    /// OpenCL call `x / 0` in C# would quietly yield a number instead of throwing DivideByZeroException. PoCL leaves
    /// the handler out when POCL_SIGFPE_HANDLER=0 is in the native environment, which .NET's
    /// Environment.SetEnvironmentVariable does not reach on Unix; hence libc's setenv, before the library loads.
    /// </summary>
    private static void KeepDivideByZeroExceptions()
    {
        if (OperatingSystem.IsWindows()) return;
        try { _ = SetEnvironment("POCL_SIGFPE_HANDLER", "0", overwrite: 0); }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException) { /* not a libc system: nothing to do */ }
    }

    [LibraryImport("libc", EntryPoint = "setenv", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int SetEnvironment(string name, string value, int overwrite);

    private static nint Resolve(string name, Assembly assembly, DllImportSearchPath? path)
    {
        if (name != Library) return 0;
        foreach (var candidate in Candidates)
            if (NativeLibrary.TryLoad(candidate, assembly, path, out var handle)) return handle;
        return 0;
    }

    // cl_device_type
    public const ulong DeviceTypeCpu = 1 << 1, DeviceTypeGpu = 1 << 2, DeviceTypeAccelerator = 1 << 3, DeviceTypeAll = 0xFFFFFFFF;

    // cl_platform_info, cl_device_info, cl_program_build_info
    public const uint PlatformName = 0x0902, PlatformVendor = 0x0903, PlatformVersion = 0x0901;
    public const uint DeviceType = 0x1000, DeviceMaxComputeUnits = 0x1002, DeviceMaxWorkGroupSize = 0x1004,
        DeviceGlobalMemSize = 0x101F, DeviceLocalMemSize = 0x1023, DeviceName = 0x102B, DeviceVendor = 0x102C,
        DeviceVersion = 0x102F, DeviceMaxMemAllocSize = 0x1010;
    public const uint ProgramBuildLog = 0x1183;

    // cl_mem_flags
    public const ulong MemReadWrite = 1 << 0;

    [LibraryImport(Library)] public static partial int clGetPlatformIDs(uint numEntries, nint* platforms, out uint numPlatforms);
    [LibraryImport(Library)] public static partial int clGetPlatformInfo(nint platform, uint name, nuint size, void* value, out nuint sizeRet);
    [LibraryImport(Library)] public static partial int clGetDeviceIDs(nint platform, ulong type, uint numEntries, nint* devices, out uint numDevices);
    [LibraryImport(Library)] public static partial int clGetDeviceInfo(nint device, uint name, nuint size, void* value, out nuint sizeRet);

    [LibraryImport(Library)] public static partial nint clCreateContext(nint* properties, uint numDevices, nint* devices, nint notify, nint userData, out int error);
    [LibraryImport(Library)] public static partial nint clCreateCommandQueue(nint context, nint device, ulong properties, out int error);
    [LibraryImport(Library)] public static partial nint clCreateBuffer(nint context, ulong flags, nuint size, void* host, out int error);

    [LibraryImport(Library)] public static partial int clEnqueueReadBuffer(nint queue, nint buffer, uint blocking, nuint offset, nuint size, void* ptr, uint numEvents, nint* waitList, nint* evt);
    [LibraryImport(Library)] public static partial int clEnqueueWriteBuffer(nint queue, nint buffer, uint blocking, nuint offset, nuint size, void* ptr, uint numEvents, nint* waitList, nint* evt);
    [LibraryImport(Library)] public static partial int clEnqueueCopyBuffer(nint queue, nint source, nint destination, nuint sourceOffset, nuint destinationOffset, nuint size, uint numEvents, nint* waitList, nint* evt);
    [LibraryImport(Library)] public static partial int clEnqueueFillBuffer(nint queue, nint buffer, void* pattern, nuint patternSize, nuint offset, nuint size, uint numEvents, nint* waitList, nint* evt);

    [LibraryImport(Library)] public static partial nint clCreateProgramWithSource(nint context, uint count, byte** strings, nuint* lengths, out int error);
    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)] public static partial int clBuildProgram(nint program, uint numDevices, nint* devices, string options, nint notify, nint userData);
    [LibraryImport(Library)] public static partial int clGetProgramBuildInfo(nint program, nint device, uint name, nuint size, void* value, out nuint sizeRet);
    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)] public static partial nint clCreateKernel(nint program, string name, out int error);
    [LibraryImport(Library)] public static partial int clSetKernelArg(nint kernel, uint index, nuint size, void* value);
    [LibraryImport(Library)] public static partial int clEnqueueNDRangeKernel(nint queue, nint kernel, uint workDim, nuint* globalOffset, nuint* globalSize, nuint* localSize, uint numEvents, nint* waitList, nint* evt);
    [LibraryImport(Library)] public static partial int clFinish(nint queue);

    [LibraryImport(Library)] public static partial int clReleaseContext(nint context);
    [LibraryImport(Library)] public static partial int clReleaseCommandQueue(nint queue);
    [LibraryImport(Library)] public static partial int clReleaseMemObject(nint buffer);
    [LibraryImport(Library)] public static partial int clReleaseProgram(nint program);
    [LibraryImport(Library)] public static partial int clReleaseKernel(nint kernel);
}
