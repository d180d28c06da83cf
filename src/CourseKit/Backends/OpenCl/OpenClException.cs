using System.Collections.Frozen;

namespace CourseKit.Backends;

/// <summary>
/// An OpenCL call failed. The message names the call and the error (CL_OUT_OF_RESOURCES, ...);
/// a failed program build carries the compiler's log in <see cref="BuildLog"/> and in the message.
/// </summary>
public sealed class OpenClException : Exception
{
    public OpenClException(string call, int errorCode, string? detail = null, string? buildLog = null)
        : base(Describe(call, errorCode, detail, buildLog))
    {
        Call = call;
        ErrorCode = errorCode;
        BuildLog = buildLog;
    }

    /// <summary>The host API function that failed, such as <c>clBuildProgram</c>.</summary>
    public string Call { get; }

    /// <summary>The raw cl_int error code (negative).</summary>
    public int ErrorCode { get; }

    /// <summary>The symbolic name of <see cref="ErrorCode"/>, such as <c>CL_BUILD_PROGRAM_FAILURE</c>.</summary>
    public string ErrorName => NameOf(ErrorCode);

    /// <summary>The OpenCL C compiler's output when a program failed to build; otherwise null.</summary>
    public string? BuildLog { get; }

    /// <summary>Throws when <paramref name="errorCode"/> is not CL_SUCCESS.</summary>
    internal static void Check(int errorCode, string call)
    {
        if (errorCode != 0) throw new OpenClException(call, errorCode);
    }

    /// <summary>Returns the handle of a create call, or throws when it reported an error.</summary>
    internal static nint Check(nint handle, int errorCode, string call)
    {
        if (errorCode != 0 || handle == 0) throw new OpenClException(call, errorCode == 0 ? -30 : errorCode);
        return handle;
    }

    public static string NameOf(int errorCode) => Names.TryGetValue(errorCode, out var name) ? name : $"unknown OpenCL error {errorCode}";

    private static string Describe(string call, int errorCode, string? detail, string? buildLog)
    {
        var text = $"{call} failed with {NameOf(errorCode)} ({errorCode})";
        if (detail is not null) text += $": {detail}";
        if (Hints.TryGetValue(errorCode, out var hint)) text += $". {hint}";
        if (!string.IsNullOrWhiteSpace(buildLog)) text += $"{Environment.NewLine}Build log:{Environment.NewLine}{buildLog.Trim()}";
        return text;
    }

    private static readonly FrozenDictionary<int, string> Hints = new Dictionary<int, string>
    {
        [-4] = "The device ran out of memory; use a smaller mini-batch or free tensors you no longer need",
        [-5] = "The device ran out of resources (memory, registers, or a kernel read out of bounds)",
        [-11] = "The OpenCL C source did not compile; see the build log below",
        [-61] = "The buffer is empty or larger than the device's largest single allocation (OpenClDevice.MaxAllocationBytes)",
        [-1001] = "An OpenCL loader is installed but no driver (ICD) registered a platform; " + OpenClDevice.InstallAdvice,
    }.ToFrozenDictionary();

    // The error codes of the OpenCL 1.2 headers (cl.h) plus the ICD loader's "no platform".
    private static readonly FrozenDictionary<int, string> Names = new Dictionary<int, string>
    {
        [0] = "CL_SUCCESS",
        [-1] = "CL_DEVICE_NOT_FOUND",
        [-2] = "CL_DEVICE_NOT_AVAILABLE",
        [-3] = "CL_COMPILER_NOT_AVAILABLE",
        [-4] = "CL_MEM_OBJECT_ALLOCATION_FAILURE",
        [-5] = "CL_OUT_OF_RESOURCES",
        [-6] = "CL_OUT_OF_HOST_MEMORY",
        [-7] = "CL_PROFILING_INFO_NOT_AVAILABLE",
        [-8] = "CL_MEM_COPY_OVERLAP",
        [-9] = "CL_IMAGE_FORMAT_MISMATCH",
        [-10] = "CL_IMAGE_FORMAT_NOT_SUPPORTED",
        [-11] = "CL_BUILD_PROGRAM_FAILURE",
        [-12] = "CL_MAP_FAILURE",
        [-13] = "CL_MISALIGNED_SUB_BUFFER_OFFSET",
        [-14] = "CL_EXEC_STATUS_ERROR_FOR_EVENTS_IN_WAIT_LIST",
        [-15] = "CL_COMPILE_PROGRAM_FAILURE",
        [-16] = "CL_LINKER_NOT_AVAILABLE",
        [-17] = "CL_LINK_PROGRAM_FAILURE",
        [-18] = "CL_DEVICE_PARTITION_FAILED",
        [-19] = "CL_KERNEL_ARG_INFO_NOT_AVAILABLE",
        [-30] = "CL_INVALID_VALUE",
        [-31] = "CL_INVALID_DEVICE_TYPE",
        [-32] = "CL_INVALID_PLATFORM",
        [-33] = "CL_INVALID_DEVICE",
        [-34] = "CL_INVALID_CONTEXT",
        [-35] = "CL_INVALID_QUEUE_PROPERTIES",
        [-36] = "CL_INVALID_COMMAND_QUEUE",
        [-37] = "CL_INVALID_HOST_PTR",
        [-38] = "CL_INVALID_MEM_OBJECT",
        [-39] = "CL_INVALID_IMAGE_FORMAT_DESCRIPTOR",
        [-40] = "CL_INVALID_IMAGE_SIZE",
        [-41] = "CL_INVALID_SAMPLER",
        [-42] = "CL_INVALID_BINARY",
        [-43] = "CL_INVALID_BUILD_OPTIONS",
        [-44] = "CL_INVALID_PROGRAM",
        [-45] = "CL_INVALID_PROGRAM_EXECUTABLE",
        [-46] = "CL_INVALID_KERNEL_NAME",
        [-47] = "CL_INVALID_KERNEL_DEFINITION",
        [-48] = "CL_INVALID_KERNEL",
        [-49] = "CL_INVALID_ARG_INDEX",
        [-50] = "CL_INVALID_ARG_VALUE",
        [-51] = "CL_INVALID_ARG_SIZE",
        [-52] = "CL_INVALID_KERNEL_ARGS",
        [-53] = "CL_INVALID_WORK_DIMENSION",
        [-54] = "CL_INVALID_WORK_GROUP_SIZE",
        [-55] = "CL_INVALID_WORK_ITEM_SIZE",
        [-56] = "CL_INVALID_GLOBAL_OFFSET",
        [-57] = "CL_INVALID_EVENT_WAIT_LIST",
        [-58] = "CL_INVALID_EVENT",
        [-59] = "CL_INVALID_OPERATION",
        [-60] = "CL_INVALID_GL_OBJECT",
        [-61] = "CL_INVALID_BUFFER_SIZE",
        [-62] = "CL_INVALID_MIP_LEVEL",
        [-63] = "CL_INVALID_GLOBAL_WORK_SIZE",
        [-64] = "CL_INVALID_PROPERTY",
        [-65] = "CL_INVALID_IMAGE_DESCRIPTOR",
        [-66] = "CL_INVALID_COMPILER_OPTIONS",
        [-67] = "CL_INVALID_LINKER_OPTIONS",
        [-68] = "CL_INVALID_DEVICE_PARTITION_COUNT",
        [-1001] = "CL_PLATFORM_NOT_FOUND_KHR",
    }.ToFrozenDictionary();
}

/// <summary>No OpenCL runtime could be loaded or no device was found; the message says what to install.</summary>
public sealed class OpenClUnavailableException(string message, Exception? inner = null) : Exception(message, inner);
