using CourseKit.Tests.OnDevice;

namespace CourseKit.Tests.OpenCl;

/// <summary>The chapter 4–5 networks' training steps on the OpenCL device.</summary>
[Collection(OpenClCollection.Name)]
public sealed class ModelTrainingOnDeviceTests(OpenClFixture fixture) : DeviceModelTrainingTests(fixture)
{
    protected override (float Relative, float Absolute) ParameterBound => (1e-3f, 1e-4f);
}
