using CourseKit.Backends;

namespace CourseKit.Tests.OpenCl;

/// <summary>
/// The OpenCL device every test in the collection shares, so each kernel program is compiled once per
/// test run. Without an OpenCL runtime the tests fail with a message that says what to install; they
/// never pass silently (CI installs PoCL through ci/install-packages.sh).
/// </summary>
public sealed class OpenClFixture
{
    private readonly OpenClDevice? device;
    private readonly string reason;

    public OpenClFixture()
    {
        if (OpenClDevice.IsAvailable(out reason)) device = OpenClDevice.Default;
    }

    public OpenClDevice Device => device ?? throw new InvalidOperationException(
        $"The OpenCL tests cannot run on this machine: {reason}" +
        (Environment.GetEnvironmentVariable("CI") == "true" ? " CI must have PoCL: check ci/install-packages.sh (need pocl-opencl-icd)." : ""));

    public IComputeBackend Backend => Device.Backend;

    /// <summary>The backend as its own class, for members beyond the interface (the naive GEMM reference).</summary>
    public OpenClBackend OpenClBackend => (OpenClBackend)Device.Backend;

    /// <summary>A device storage holding <paramref name="values"/>.</summary>
    public TensorStorage Upload(float[] values)
    {
        var storage = Device.Allocate(values.Length);
        storage.CopyFrom(values);
        return storage;
    }
}

[CollectionDefinition(Name)]
public sealed class OpenClCollection : ICollectionFixture<OpenClFixture>
{
    public const string Name = "OpenCL";
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
