using CourseKit.Backends;
using CourseKit.Tests.OnDevice;

namespace CourseKit.Tests.OpenCl;

/// <summary>Your own kernel (the notebook's exercise): compiled from OpenCL C, run on tensors, checked against the CPU.</summary>
[Collection(OpenClCollection.Name)]
public sealed class OpenClKernelTests(OpenClFixture fixture)
{
    private const string Relu = """
        __kernel void relu(__global const float* x, __global float* y, int n)
        {
            int i = get_global_id(0);
            if (i < n) y[i] = x[i] > 0.0f ? x[i] : 0.0f;
        }
        """;

    [Fact]
    public void AReluKernelWrittenByHandMatchesTheCpuRelu()
    {
        var values = Numbers.Random(new Random(4), 1001, -2f, 2f);
        var x = Tensor.FromData([7, 11, 13], values);
        var expected = new float[values.Length];
        CpuBackend.Instance.Unary(UnaryOp.Relu, x.Storage, new CpuStorage(expected), values.Length);

        var relu = fixture.Device.CompileKernel(Relu, "relu");
        var gx = x.To(fixture.Device);
        var gy = Tensor.ZerosLike(gx);
        relu.Run(gx.Length, gx, gy, gx.Length);
        Assert.Equal(expected, gy.ToArray());
    }

    [Fact]
    public void ScalarArgumentsReachTheKernel()
    {
        var axpy = fixture.Device.CompileKernel("""
            __kernel void axpy(float a, __global const float* x, __global float* y)
            {
                int i = get_global_id(0);
                y[i] += a * x[i];
            }
            """, "axpy");
        var x = Tensor.FromData([3], [1f, 2f, 3f]).To(fixture.Device);
        var y = Tensor.FromData([3], [10f, 20f, 30f]).To(fixture.Device);
        axpy.Run(3, 0.5f, x, y);
        Assert.Equal([10.5f, 21f, 31.5f], y.ToArray());
    }

    [Fact]
    public void AKernelNameMissingFromTheSourceIsNamedInTheError()
    {
        var error = Assert.Throws<OpenClException>(() => fixture.Device.CompileKernel(Relu, "leaky_relu"));
        Assert.Equal("CL_INVALID_KERNEL_NAME", error.ErrorName);
        Assert.Contains("leaky_relu", error.Message);
    }

    [Fact]
    public void ArgumentsOfTheWrongKindOrDeviceAreExplained()
    {
        var relu = fixture.Device.CompileKernel(Relu, "relu");
        var onDevice = Tensor.Zeros([4]).To(fixture.Device);
        var onCpu = Tensor.Zeros([4]);

        var wrongDevice = Assert.Throws<InvalidOperationException>(() => relu.Run(4, onCpu, onDevice, 4));
        Assert.Contains("argument 0", wrongDevice.Message);
        Assert.Contains(".To(", wrongDevice.Message);

        var wrongType = Assert.Throws<ArgumentException>(() => relu.Run(4, onDevice, onDevice, 4.0));
        Assert.Contains("argument 2", wrongType.Message);
        Assert.Contains("4f", wrongType.Message);
    }
}
