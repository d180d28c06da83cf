using CourseKit.Tests.OnDevice;

namespace CourseKit.Tests.OpenCl;

// The device tests every backend shares (tests/CourseKit.Tests/OnDevice), on the OpenCL device (PoCL on CI), one after
// another in the OpenCL collection. GemmTests and TrainingOnDeviceTests, which need OpenCL's own kernels and bounds, have their own files.

[Collection(OpenClCollection.Name)]
public sealed class ElementwiseTests(OpenClFixture fixture) : DeviceElementwiseTests(fixture);

[Collection(OpenClCollection.Name)]
public sealed class GemmBatchedTests(OpenClFixture fixture) : DeviceGemmBatchedTests(fixture);

[Collection(OpenClCollection.Name)]
public sealed class Im2ColTests(OpenClFixture fixture) : DeviceIm2ColTests(fixture);

[Collection(OpenClCollection.Name)]
public sealed class LayerPrimitivesTests(OpenClFixture fixture) : DeviceLayerPrimitivesTests(fixture);

[Collection(OpenClCollection.Name)]
public sealed class OperationsOnDeviceTests(OpenClFixture fixture) : DeviceOperationsTests(fixture);

[Collection(OpenClCollection.Name)]
public sealed class PoolingTests(OpenClFixture fixture) : DevicePoolingTests(fixture);

[Collection(OpenClCollection.Name)]
public sealed class PerAxisStrideTests(OpenClFixture fixture) : DevicePerAxisStrideTests(fixture);

[Collection(OpenClCollection.Name)]
public sealed class ReductionTests(OpenClFixture fixture) : DeviceReductionTests(fixture);

[Collection(OpenClCollection.Name)]
public sealed class TensorOnDeviceTests(OpenClFixture fixture) : DeviceTensorTests(fixture);
