using CourseKit.Tests.OnDevice;

namespace CourseKit.Tests.OpenCl;

/// <summary>The shared training tests on the OpenCL device.</summary>
[Collection(OpenClCollection.Name)]
public sealed class TrainingOnDeviceTests(OpenClFixture fixture) : DeviceTrainingTests(fixture)
{
    // Sums in another order only: parameters after a few steps to 1e-3 relative + 1e-4 absolute.
    protected override (float Relative, float Absolute) ParameterBound => (1e-3f, 1e-4f);

    // 600 digits, batches of 50, 3 epochs of Adam (36 steps) on each device.
    protected override MnistRun ShortMnistRun => new(Images: 600, BatchSize: 50, TestImages: 500, TestBatchSize: 250, LearningRate: 0.001f,
                                                     LossRatio: 0.5, AccuracyGap: 0.01, MinimumAccuracy: 0.6);
}
