using CourseKit.Backends;
using CourseKit.Models;

namespace CourseKit.Tests.Ilgpu;

/// <summary>Finding and naming ILGPU devices, the messages when one is missing, the kernel cache and the buffer pool.</summary>
[Collection(IlgpuCollection.Name)]
public sealed class IlgpuDeviceTests(IlgpuFixture fixture)
{
    [Fact]
    public void TheCpuAcceleratorIsAlwaysListedAndSaysItIsNotAGpu()
    {
        var cpu = IlgpuDevice.CpuAccelerator;
        Assert.Equal("ilgpu:cpu", cpu.Name);
        Assert.False(cpu.IsGpu);
        Assert.Contains(cpu, IlgpuDevice.All);
        Assert.Contains("not a GPU", cpu.Summary);
        Assert.Contains("compute units", IlgpuDevice.Describe());
    }

    [Fact]
    public void NamesResolveByKindIndexAndName()
    {
        var cpu = IlgpuDevice.CpuAccelerator;
        Assert.Same(cpu, DeviceSelection.Parse("ilgpu:cpu"));
        Assert.Same(cpu, DeviceSelection.Parse($"ilgpu:{cpu.Index}"));
        Assert.Same(cpu, IlgpuDevice.Get("CPUAccel"));
        Assert.Same(IlgpuDevice.FirstGpu ?? cpu, DeviceSelection.Parse("ilgpu"));
        foreach (var device in IlgpuDevice.All.Where(d => d.Kind != IlgpuDeviceKind.Cpu))
            Assert.Same(device, DeviceSelection.Parse(device.Name));
    }

    [Fact]
    public void AMissingCudaDeviceSaysWhatToInstall()
    {
        if (IlgpuDevice.All.Any(d => d.Kind == IlgpuDeviceKind.Cuda))
        {
            var error = Assert.Throws<InvalidOperationException>(() => IlgpuDevice.Get("cuda:99"));
            Assert.Contains("There is no ILGPU cuda device 99", error.Message);
            return;
        }
        var missing = Assert.Throws<InvalidOperationException>(() => DeviceSelection.Parse("ilgpu:cuda"));
        Assert.Contains("no CUDA device", missing.Message);
        Assert.Contains("NVIDIA's driver", missing.Message);
        Assert.Contains("libOpenCL.so", missing.Message);
        Assert.Contains("macOS", missing.Message);
        Assert.Contains("ilgpu:cpu", missing.Message);   // lists what is there
    }

    [Fact]
    public void TheBestDeviceSaysWhichItPickedAndWhy()
    {
        var choice = BestDevice.Pick();
        Assert.False(string.IsNullOrWhiteSpace(choice.Reason));
        // Never ILGPU's CPU accelerator: the CPU backend is faster than a simulated GPU.
        Assert.NotSame(IlgpuDevice.CpuAccelerator, choice.Device);
        if (!IlgpuDevice.All.Any(d => d.IsGpu) && !(OpenClDevice.IsAvailable(out _) && OpenClDevice.All.Any(d => d.Kind == OpenClDeviceKind.Gpu)))
        {
            Assert.Same(Device.Cpu, choice.Device);
            Assert.Contains("no GPU found", choice.Reason);
        }
        Assert.Same(choice.Device, DeviceSelection.Parse("best"));
    }

    [Fact]
    public void EachKernelCompilesOnceAndItsCompileTimeIsKept()
    {
        var device = fixture.Device;
        var x = device.Allocate(10);
        device.Backend.Unary(UnaryOp.Exp, x, x, 10);
        var first = device.CompileTimes["Unary"];
        Assert.True(first > TimeSpan.Zero);
        device.Backend.Unary(UnaryOp.Tanh, x, x, 10);
        Assert.Equal(first, device.CompileTimes["Unary"]);
        Assert.True(device.TotalCompileTime >= first);
    }

    [Fact]
    public void TrainingStepsReuseDeviceBuffersInsteadOfAllocating()
    {
        var device = fixture.Device;
        var net = SimpleConvNet.Create(seed: 2).To(device);
        var loss = new CourseKit.Losses.SoftmaxWithLoss();
        var x = Tensor.FromData([4, 1, 28, 28], new float[4 * 28 * 28]).To(device);
        int[] labels = [1, 2, 3, 4];
        void Step()
        {
            loss.Forward(net.Forward(x, training: true), labels);
            net.Backward(loss.Backward());
        }
        Step();
        Step();
        var (createdBefore, reusedBefore) = device.BufferCounts;
        for (int i = 0; i < 3; i++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();   // tensors of the last step give their buffers back
            Step();
        }
        var (createdAfter, reusedAfter) = device.BufferCounts;
        Assert.Equal(createdBefore, createdAfter);
        Assert.True(reusedAfter > reusedBefore, $"reused {reusedBefore} → {reusedAfter}");
    }
}
