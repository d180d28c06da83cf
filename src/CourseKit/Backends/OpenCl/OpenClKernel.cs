using CourseKit.Backends.OpenCl;

namespace CourseKit.Backends;

/// <summary>
/// A kernel you wrote in OpenCL C, compiled for one device by <see cref="OpenClDevice.CompileKernel"/>.
/// For example, ReLU with one work-item per element:
/// <code>
/// var relu = gpu.CompileKernel("""
///     __kernel void relu(__global const float* x, __global float* y, int n)
///     {
///         int i = get_global_id(0);
///         if (i &lt; n) y[i] = fmax(x[i], 0.0f);
///     }
///     """, "relu");
/// relu.Run(x.Length, x, y, x.Length);
/// </code>
/// </summary>
public sealed class OpenClKernel
{
    private readonly ClProgram program;
    private readonly ClKernel kernel;

    internal OpenClKernel(OpenClDevice device, ClProgram program, ClKernel kernel, string name)
    {
        Device = device;
        this.program = program;
        this.kernel = kernel;
        Name = name;
    }

    public OpenClDevice Device { get; }

    public string Name { get; }

    /// <summary>
    /// Runs the kernel over <paramref name="workItems"/> work-items (get_global_id(0) = 0 … workItems − 1).
    /// The arguments follow the kernel's parameters in order: a <see cref="Tensor"/> on this device for each
    /// <c>__global float*</c>, an <c>int</c> or a <c>float</c> for each number. The call returns at once;
    /// reading a tensor back (ToArray) waits for the kernel to finish.
    /// </summary>
    public void Run(int workItems, params object[] arguments)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(workItems);
        var args = new KernelArg[arguments.Length];
        for (int i = 0; i < arguments.Length; i++) args[i] = Convert(arguments[i], i);
        Device.Launch(kernel, Name, [(nuint)workItems], [], args);
        GC.KeepAlive(program);
    }

    private KernelArg Convert(object argument, int position) => argument switch
    {
        Tensor t => Buffer(t.Storage, position),
        TensorStorage s => Buffer(s, position),
        int i => i,
        float f => f,
        bool b => b,
        double d => throw new ArgumentException(
            $"{Name}: argument {position} is the double {d}; OpenCL kernels here take float, so write it as {d}f or (float){d}."),
        _ => throw new ArgumentException(
            $"{Name}: argument {position} is a {argument.GetType().Name}; pass a Tensor (for __global float*), an int or a float."),
    };

    private KernelArg Buffer(TensorStorage storage, int position) => storage is OpenClStorage cl && cl.Device == Device
        ? cl
        : throw new InvalidOperationException(
            $"{Name}: argument {position} lives on {storage.Device.Name}, but the kernel runs on {Device.Name}. Move it with .To(device) first.");
}
