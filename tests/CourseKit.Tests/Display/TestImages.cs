using CourseKit.Display;

namespace CourseKit.Tests.Display;

internal static class TestImages
{
    public static Image Random(int width, int height, int channels, int seed)
    {
        var pixels = new byte[width * height * channels];
        new Random(seed).NextBytes(pixels);
        return new Image(width, height, channels, pixels);
    }

    /// <summary>A smooth picture, where predicting filters beat "None".</summary>
    public static Image Gradient(int width, int height, int channels)
    {
        var pixels = new byte[width * height * channels];
        for (int y = 0; y < height; y++)
            for (int x = 0; x < width; x++)
                for (int c = 0; c < channels; c++)
                    pixels[(y * width + x) * channels + c] = (byte)((x * 3 + y * 5 + c * 40) % 256);
        return new Image(width, height, channels, pixels);
    }

    public static Tensor RandomTensor(int seed, params int[] shape)
    {
        var random = new Random(seed);
        var data = new float[shape.Aggregate(1, (a, b) => a * b)];
        for (int i = 0; i < data.Length; i++) data[i] = (float)(random.NextDouble() * 4 - 2);
        return new Tensor(shape, data);
    }

    /// <summary>CI=true means the test environment promises every tool; a missing one is a failure there.</summary>
    public static bool OnCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);
}
