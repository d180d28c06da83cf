using System.Runtime.InteropServices;
using static CourseKit.Backends.OpenCl.OpenClNative;

namespace CourseKit.Backends.OpenCl;

/// <summary>
/// Owns one OpenCL object and releases it exactly once (also from the finalizer). OpenCL defers the
/// actual deletion until queued commands that use the object have finished, so releasing a buffer
/// right after enqueueing a kernel on it is safe.
/// </summary>
internal abstract class ClHandle : SafeHandle
{
    protected ClHandle(nint handle) : base(0, ownsHandle: true) => SetHandle(handle);

    public override bool IsInvalid => handle == 0;

    /// <summary>The raw handle; callers keep this object alive while the handle is in use.</summary>
    public nint Value => handle;
}

internal sealed class ClContext(nint handle) : ClHandle(handle)
{
    protected override bool ReleaseHandle() => clReleaseContext(handle) == 0;
}

internal sealed class ClQueue(nint handle) : ClHandle(handle)
{
    protected override bool ReleaseHandle() => clReleaseCommandQueue(handle) == 0;
}

internal sealed class ClProgram(nint handle) : ClHandle(handle)
{
    protected override bool ReleaseHandle() => clReleaseProgram(handle) == 0;
}

internal sealed class ClKernel(nint handle) : ClHandle(handle)
{
    protected override bool ReleaseHandle() => clReleaseKernel(handle) == 0;
}

/// <summary>A device buffer. Tells the garbage collector how much device memory it holds so that unreferenced tensors are collected in time.</summary>
internal sealed class ClBuffer : ClHandle
{
    private readonly long bytes;

    public ClBuffer(nint handle, long bytes) : base(handle)
    {
        this.bytes = bytes;
        GC.AddMemoryPressure(bytes);
    }

    protected override bool ReleaseHandle()
    {
        GC.RemoveMemoryPressure(bytes);
        return clReleaseMemObject(handle) == 0;
    }
}
