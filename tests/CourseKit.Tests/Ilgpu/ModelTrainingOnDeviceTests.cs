using CourseKit.Tests.OnDevice;

namespace CourseKit.Tests.Ilgpu;

/// <summary>The chapter 4–5 networks' training steps on the ILGPU device.</summary>
[Collection(IlgpuCollection.Name)]
public sealed class ModelTrainingOnDeviceTests(IlgpuFixture fixture) : DeviceModelTrainingTests(fixture)
{
    // as TrainingOnDeviceTests: the CPU accelerator's GEMM sums in another order than the CPU backend's blocked panels
    protected override (float Relative, float Absolute) ParameterBound => (5e-3f, 1e-3f);
}
