using CourseKit.Backends;

namespace CourseKit.Tests.OpenCl;

[Collection(OpenClCollection.Name)]
public sealed class OpenClErrorTests(OpenClFixture fixture)
{
    [Fact]
    public void KernelWithASyntaxErrorReportsTheCallTheErrorAndTheBuildLog()
    {
        const string broken = "__kernel void broken(__global float* y) { y[0] = undefined_name + ; }";
        var error = Assert.Throws<OpenClException>(() => fixture.Device.BuildProgram(broken));
        Assert.Equal("clBuildProgram", error.Call);
        Assert.Equal("CL_BUILD_PROGRAM_FAILURE", error.ErrorName);
        Assert.False(string.IsNullOrWhiteSpace(error.BuildLog));
        Assert.Contains("undefined_name", error.BuildLog);
        Assert.Contains("clBuildProgram failed with CL_BUILD_PROGRAM_FAILURE", error.Message);
        Assert.Contains("Build log", error.Message);
    }

    [Fact]
    public void ValidSourceBuilds()
    {
        using var program = fixture.Device.BuildProgram("__kernel void scale(__global float* y) { y[get_global_id(0)] *= 2.0f; }");
        Assert.False(program.IsInvalid);
    }

    [Theory]
    [InlineData(-5, "CL_OUT_OF_RESOURCES")]
    [InlineData(-54, "CL_INVALID_WORK_GROUP_SIZE")]
    [InlineData(-1001, "CL_PLATFORM_NOT_FOUND_KHR")]
    public void ErrorCodesAreNamedInTheMessage(int code, string name)
    {
        var error = new OpenClException("clEnqueueNDRangeKernel", code);
        Assert.Equal(name, error.ErrorName);
        Assert.StartsWith($"clEnqueueNDRangeKernel failed with {name} ({code})", error.Message);
    }

    [Fact]
    public void UnknownErrorCodesStillShowTheNumber() =>
        Assert.Contains("-12345", new OpenClException("clFinish", -12345).Message);

    [Fact]
    public void TheBackendRefusesDataThatLivesOnTheCpu()
    {
        var cpu = Device.Cpu.Allocate(4);
        var error = Assert.Throws<InvalidOperationException>(() => fixture.Backend.Unary(UnaryOp.Exp, cpu, cpu, 4));
        Assert.Contains("cpu", error.Message);
        Assert.Contains(".To(", error.Message);
    }

    [Fact]
    public void GemmOnABufferTooSmallForItsShapeNamesTheOperandInsteadOfReadingPastTheEnd()
    {
        var a = fixture.Device.Allocate(6);   // 2×3
        var b = fixture.Device.Allocate(6);   // should be 3×4 = 12
        var c = fixture.Device.Allocate(8);
        var error = Assert.Throws<ArgumentException>(() => fixture.Backend.Gemm(false, false, 2, 4, 3, 1f, a, 0, 3, b, 0, 4, 0f, c, 0, 4));
        Assert.Contains("Gemm", error.Message);
        Assert.Contains("B (3x4", error.Message);
        Assert.Contains("holds 6", error.Message);
    }

    [Fact]
    public void PoolingOnAnInputOfTheWrongSizeNamesTheExpectedShape()
    {
        var g = new PoolingGeometry(2, 3, 8, 8, 2, 2, 2, 0);
        var x = fixture.Device.Allocate(100);
        var y = fixture.Device.Allocate(2 * 3 * 4 * 4);
        var error = Assert.Throws<ArgumentException>(() => fixture.Backend.AveragePoolForward(x, g, y));
        Assert.Contains("AveragePoolForward", error.Message);
        Assert.Contains("(2, 3, 8, 8)", error.Message);
    }
}
