namespace CourseKit.Backends;

/// <summary>The host processor. Storage is a plain managed float[].</summary>
public sealed class CpuDevice : Device
{
    public static readonly CpuDevice Instance = new();

    private CpuDevice() { }

    public override string Name => "cpu";

    public override IComputeBackend Backend => CpuBackend.Instance;

    public override TensorStorage Allocate(int length) => new CpuStorage(new float[length]);
}
