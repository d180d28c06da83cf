using System.Reflection;
using System.Text.RegularExpressions;
using CourseKit.Backends;
using CourseKit.Backends.Ilgpu;
using ILGPU;
using ILGPU.Backends;
using ILGPU.Backends.EntryPoints;
using ILGPU.Backends.OpenCL;
using ILGPU.Backends.PTX;
using ILGPU.Runtime;
using ILGPU.Runtime.Cuda;
using ILGPU.Runtime.OpenCL;

namespace CourseKit.Tests.Ilgpu;

/// <summary>
/// The kernels compile for NVIDIA GPUs (PTX) and OpenCL 2.0 devices (OpenCL C) on a machine with neither: ILGPU's PTX
/// and OpenCL backends are compilers that need only a context, not a device. CI has no GPU, so this is what guards
/// the students' CUDA path: a kernel ILGPU cannot translate (an unsupported call, a managed object, recursion) fails
/// here rather than on the first student's GPU. Each kernel is compiled as the backend launches it: explicitly grouped
/// (the shared-memory GEMMs) or implicitly grouped (every other kernel).
/// </summary>
[Collection(IlgpuCollection.Name)]
public sealed class CodeGenerationTests : IDisposable
{
    // A Turing GPU (sm_75) with PTX ISA 7.0 (CUDA 11.0 drivers and later load it): old enough for most students' GPUs.
    private static readonly CudaArchitecture Architecture = CudaArchitecture.SM_75;

    // Configured as IlgpuDevice configures its own (optimised, with ILGPU.Algorithms' math), with no device at all.
    private readonly Context context = Context.Create(builder => IlgpuDevice.Compiler(builder));

    public void Dispose() => context.Dispose();

    /// <summary>Every kernel method the backend launches, with its class.</summary>
    public static TheoryData<string> Kernels => new(KernelMethods().Select(m => $"{m.DeclaringType!.Name}.{m.Name}"));

    [Theory]
    [MemberData(nameof(Kernels))]
    public void EveryKernelCompilesToPtxForCuda(string kernel)
    {
        var ptx = CompileToPtx(Method(kernel));
        Assert.Contains(".target sm_75", ptx);
        Assert.Contains(".visible .entry", ptx);
        Assert.True(StoresToGlobalMemory(ptx), "no float store outside shared memory");   // every kernel writes its result to a tensor
    }

    [Theory]
    [MemberData(nameof(Kernels))]
    public void EveryKernelCompilesToPtxForTheOldestGpusCudaStillSupports(string kernel)
    {
        // Maxwell (sm_50) and Pascal (sm_61, a GTX 10xx) lack instructions Turing has (tanh.approx needs sm_75):
        // ILGPU.Algorithms must supply those functions in software, or a student's older GPU fails at the first launch.
        foreach (var architecture in new[] { CudaArchitecture.SM_50, CudaArchitecture.SM_61 })
            Assert.Contains($".target {architecture.ToString().ToLowerInvariant()}", CompileToPtx(Method(kernel), architecture, CudaInstructionSet.ISA_60));
    }

    [Theory]
    [MemberData(nameof(Kernels))]
    public void EveryKernelCompilesToOpenClCThatAnOpenClCompilerAccepts(string kernel)
    {
        var source = CompileToOpenClC(Method(kernel));
        Assert.Contains("kernel void", source);
        // ILGPU's text is only half the way to an OpenCL GPU: the driver's compiler must accept it. Clang is that
        // compiler's front end on AMD, Intel and PoCL; compiling for SPIR checks types, address spaces and built-ins.
        var (exitCode, errors) = OpenClCompiler.Compile(source);
        Assert.True(exitCode == 0, $"clang rejected ILGPU's OpenCL C for {kernel}:\n{errors}");
    }

    [Fact]
    public void TheOpenClCompilerCheckRejectsWhatADriverWouldReject()
    {
        var (exitCode, errors) = OpenClCompiler.Compile("kernel void k(global float* x) { x[0] = no_such_function(1); }");
        Assert.NotEqual(0, exitCode);
        Assert.Contains("no_such_function", errors);
    }

    [Fact]
    public void WithoutIlgpuAlgorithmsTheSoftmaxKernelCannotCompileForCuda()
    {
        // Why IlgpuDevice.Compiler enables ILGPU.Algorithms: PTX has no exp instruction (only ex2.approx).
        using var plain = Context.Create(builder => builder.Optimize(OptimizationLevel.O1));
        var error = Assert.ThrowsAny<Exception>(() => CompileToPtx(plain, Method("LayerKernels.Softmax"), Architecture, CudaInstructionSet.ISA_70));
        Assert.Contains("ExpF", error.ToString());
    }

    [Fact]
    public void TheKernelListHoldsEveryKernelClassOfTheBackend()
    {
        // A kernel class added later must be compiled here too, not silently left out of the list.
        var classes = typeof(IlgpuDevice).Assembly.GetTypes()
            .Where(t => t.Namespace == typeof(GemmKernels).Namespace && t.Name.EndsWith("Kernels", StringComparison.Ordinal))
            .Select(t => t.Name).Order();
        Assert.Equal(classes, KernelClasses.Select(t => t.Name).Order());
    }

    [Theory]
    [InlineData("GemmKernels.Tiled")]
    [InlineData("ImplicitConvolutionKernels.ForwardTiled")]
    [InlineData("ImplicitConvolutionKernels.BackwardFilterTiled")]
    public void TiledKernelsShareTheirTilesThroughSharedMemoryBetweenTwoBarriers(string kernel)
    {
        // lecture 2.6: a group copies its tiles to shared memory, waits at a barrier, multiplies, waits again.
        var ptx = CompileToPtx(Method(kernel));
        Assert.Contains(".shared", ptx);
        Assert.Contains("st.shared", ptx);
        Assert.Contains("ld.shared", ptx);
        Assert.Equal(2, Count(ptx, "bar.sync"));
        var source = CompileToOpenClC(Method(kernel));
        Assert.Contains("local", source);
        Assert.Equal(2, Count(source, "work_group_barrier"));
    }

    [Fact]
    public void TheNaiveGemmIm2ColAndElementwiseKernelsUseNoSharedMemoryOrBarrier()
    {
        foreach (var kernel in new[] { "GemmKernels.Naive", "Im2ColKernels.Im2Col", "ElementwiseKernels.Unary", "ImplicitConvolutionKernels.ForwardNaive" })
        {
            var ptx = CompileToPtx(Method(kernel));
            Assert.DoesNotContain("bar.sync", ptx);
            Assert.DoesNotContain("ld.shared", ptx);
        }
    }

    [Fact]
    public void Im2ColWritesTheColumnsToGlobalMemory()
    {
        var ptx = CompileToPtx(Method("Im2ColKernels.Im2Col"));
        Assert.True(StoresToGlobalMemory(ptx));
    }

    private string CompileToPtx(MethodInfo kernel) => CompileToPtx(kernel, Architecture, CudaInstructionSet.ISA_70);

    private string CompileToPtx(MethodInfo kernel, CudaArchitecture architecture, CudaInstructionSet instructionSet) =>
        CompileToPtx(context, kernel, architecture, instructionSet);

    private static string CompileToPtx(Context context, MethodInfo kernel, CudaArchitecture architecture, CudaInstructionSet instructionSet)
    {
        using var backend = new PTXBackend(context, new CudaCapabilityContext(architecture), architecture, instructionSet, nvvmAPI: null);
        var compiled = Assert.IsType<PTXCompiledKernel>(backend.Compile(EntryPoint(kernel), KernelSpecialization.Empty));
        Assert.Contains(compiled.Name, compiled.PTXAssembly);
        return compiled.PTXAssembly;
    }

    private string CompileToOpenClC(MethodInfo kernel)
    {
        // An OpenCL 2.0 device without optional extensions (no fp16, fp64, 64-bit atomics, subgroups).
        using var backend = new CLBackend(context, new CLCapabilityContext(false, false, false, false, false), CLDeviceVendor.Other, CLCVersion.CL20);
        var compiled = Assert.IsType<CLCompiledKernel>(backend.Compile(EntryPoint(kernel), KernelSpecialization.Empty));
        Assert.Contains(compiled.Name, compiled.Source);
        return compiled.Source;
    }

    // The shared-memory GEMMs take their group from the launch (explicitly grouped); every other kernel's first
    // parameter is its thread index (implicitly grouped), as IlgpuBackend loads them.
    private static EntryPointDescription EntryPoint(MethodInfo kernel) =>
        kernel.GetParameters()[0].ParameterType.Name.StartsWith("Index", StringComparison.Ordinal)
            ? EntryPointDescription.FromImplicitlyGroupedKernel(kernel)
            : EntryPointDescription.FromExplicitlyGroupedKernel(kernel);

    private static readonly Type[] KernelClasses =
        [typeof(GemmKernels), typeof(ElementwiseKernels), typeof(Im2ColKernels), typeof(PoolingKernels), typeof(ReductionKernels), typeof(LayerKernels),
         typeof(ImplicitConvolutionKernels)];

    private static IEnumerable<MethodInfo> KernelMethods() =>
        KernelClasses
            .SelectMany(type => type.GetMethods(BindingFlags.Public | BindingFlags.Static).Where(m => m.ReturnType == typeof(void)));

    private static MethodInfo Method(string kernel) => KernelMethods().Single(m => $"{m.DeclaringType!.Name}.{m.Name}" == kernel);

    // ILGPU addresses tensors through generic pointers: st.f32 (or st.global.f32), never st.shared.f32 or st.local.f32.
    private static bool StoresToGlobalMemory(string ptx) => Regex.IsMatch(ptx, @"\bst\.(global\.)?f32\s");

    private static int Count(string text, string what)
    {
        int count = 0;
        for (int i = text.IndexOf(what, StringComparison.Ordinal); i >= 0; i = text.IndexOf(what, i + what.Length, StringComparison.Ordinal)) count++;
        return count;
    }
}
