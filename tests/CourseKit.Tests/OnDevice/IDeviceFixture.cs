using CourseKit.Backends;

namespace CourseKit.Tests.OnDevice;

/// <summary>
/// What the shared device tests need from a backend's fixture: its device and backend, a way to put numbers
/// on the device and read them back, and a name for messages. Each backend's fixture (OpenCL on PoCL,
/// ILGPU's CPU accelerator) implements it through <see cref="DeviceFixture{TDevice}"/>; the abstract test classes in
/// this folder are written over it, and each backend's folder holds a sealed subclass per class, in that backend's collection.
/// </summary>
public interface IDeviceFixture
{
    /// <summary>How assertion messages name the backend ("OpenCL", "ILGPU").</summary>
    string Name { get; }

    Device Device { get; }

    IComputeBackend Backend { get; }

    /// <summary>A device storage holding <paramref name="values"/>.</summary>
    TensorStorage Upload(float[] values);

    /// <summary>Every value of a device storage, copied to the host.</summary>
    float[] Download(TensorStorage storage);
}

/// <summary>Random inputs and comparisons against the CPU backend.</summary>
internal static class Numbers
{
    public static float[] Random(Random random, int length, float low = -1f, float high = 1f)
    {
        var values = new float[length];
        for (int i = 0; i < length; i++) values[i] = low + (high - low) * random.NextSingle();
        return values;
    }

    public static float[] Read(TensorStorage storage)
    {
        var values = new float[storage.Length];
        storage.CopyTo(values);
        return values;
    }

    /// <summary>Asserts |actual − expected| ≤ relative·|expected| + absolute at every position, naming the first that is not.</summary>
    public static void Close(float[] expected, float[] actual, float relative, float absolute, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            float e = expected[i], a = actual[i];
            if (float.IsNaN(e) && float.IsNaN(a)) continue;
            if (float.IsInfinity(e) && e == a) continue;
            float bound = relative * MathF.Abs(e) + absolute;
            Assert.True(MathF.Abs(a - e) <= bound, $"{what}: element {i} is {a}, the CPU gives {e} (bound {bound}).");
        }
    }
}
