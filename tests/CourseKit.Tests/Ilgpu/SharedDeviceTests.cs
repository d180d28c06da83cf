using CourseKit.Tests.OnDevice;

namespace CourseKit.Tests.Ilgpu;

// The device tests every backend shares (tests/CourseKit.Tests/OnDevice), on ILGPU's CPU accelerator (or the device COURSEKIT_ILGPU_DEVICE names), one after
// another in the ILGPU collection. GemmTests and TrainingOnDeviceTests, which need ILGPU's own kernels and bounds, have their own files.

[Collection(IlgpuCollection.Name)]
public sealed class ElementwiseTests(IlgpuFixture fixture) : DeviceElementwiseTests(fixture);

[Collection(IlgpuCollection.Name)]
public sealed class GemmBatchedTests(IlgpuFixture fixture) : DeviceGemmBatchedTests(fixture);

[Collection(IlgpuCollection.Name)]
public sealed class Im2ColTests(IlgpuFixture fixture) : DeviceIm2ColTests(fixture);

[Collection(IlgpuCollection.Name)]
public sealed class LayerPrimitivesTests(IlgpuFixture fixture) : DeviceLayerPrimitivesTests(fixture);

[Collection(IlgpuCollection.Name)]
public sealed class OperationsOnDeviceTests(IlgpuFixture fixture) : DeviceOperationsTests(fixture);

[Collection(IlgpuCollection.Name)]
public sealed class PoolingTests(IlgpuFixture fixture) : DevicePoolingTests(fixture);

[Collection(IlgpuCollection.Name)]
public sealed class PerAxisStrideTests(IlgpuFixture fixture) : DevicePerAxisStrideTests(fixture);

[Collection(IlgpuCollection.Name)]
public sealed class ReductionTests(IlgpuFixture fixture) : DeviceReductionTests(fixture);

[Collection(IlgpuCollection.Name)]
public sealed class TensorOnDeviceTests(IlgpuFixture fixture) : DeviceTensorTests(fixture);
