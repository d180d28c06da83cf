using CourseKit.Tests.OnDevice;

namespace CourseKit.Tests.Ilgpu;

/// <summary>The shared training tests on the ILGPU device.</summary>
[Collection(IlgpuCollection.Name)]
public sealed class TrainingOnDeviceTests(IlgpuFixture fixture) : DeviceTrainingTests(fixture)
{
    // The CPU accelerator's GEMM sums dF's k = 57,600 products per entry in one float, the CPU backend in blocked
    // panels: with the cancellation in those sums, small entries of dF (and so of W after SGD steps) differ by up to
    // about 1 % of themselves, 4e-4 in absolute terms (W's entries are up to 0.8); a wrong kernel differs by far more.
    protected override (float Relative, float Absolute) ParameterBound => (5e-3f, 1e-3f);

    // ILGPU's CPU accelerator is slow: 100 digits, batches of 25, 3 epochs of Adam (12 steps) on each device. One digit
    // of 100 may flip between devices when its two best scores differ by rounding only.
    protected override MnistRun ShortMnistRun => new(Images: 100, BatchSize: 25, TestImages: 100, TestBatchSize: 100, LearningRate: 0.003f,
                                                     LossRatio: 0.8, AccuracyGap: 0.02, MinimumAccuracy: 0.4);
}
