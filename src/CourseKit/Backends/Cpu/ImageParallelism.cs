using System.Buffers;
using System.Numerics.Tensors;

namespace CourseKit.Backends;

/// <summary>
/// How the convolutions without a column matrix (<see cref="CpuImplicitConvolution"/>, <see cref="CpuWinograd"/>) use the
/// cores: images in parallel, one GEMM per image on one thread; its spare cores only when there are fewer images than cores.
/// </summary>
internal static class ImageParallelism
{
    /// <summary>image(n, parallel) for every image; <c>parallel</c> says whether its GEMMs may use all the cores.</summary>
    public static void EachImage(int count, Action<int, bool> image)
    {
        if (count >= Environment.ProcessorCount && Environment.ProcessorCount > 1)
            CoreTeam.ForEach(count, n => image(n, false));
        else
            for (int n = 0; n < count; n++) image(n, true);
    }

    /// <summary>Images first .. end − 1 summed into <paramref name="into"/>, which the first of them overwrites.</summary>
    public delegate void ImageRun(int first, int end, Span<float> into, bool parallel);

    /// <summary>
    /// total[0 .. size) = the sum over all images (a filter gradient): the images cut into one run per core, each run summed
    /// into a buffer of its own (the first run into total itself), the buffers added at the end.
    /// </summary>
    public static void SumOverImages(int count, float[] total, int size, ImageRun images)
    {
        int parts = Math.Min(Environment.ProcessorCount, count), length = (count + parts - 1) / parts;
        parts = (count + length - 1) / length;
        if (parts == 1)
        {
            images(0, count, total.AsSpan(0, size), parallel: true);
            return;
        }
        float[] partials = ArrayPool<float>.Shared.Rent((parts - 1) * size);
        CoreTeam.ForEach(parts, t =>
            images(t * length, Math.Min(count, (t + 1) * length),
                   t == 0 ? total.AsSpan(0, size) : partials.AsSpan((t - 1) * size, size), parallel: false));
        for (int t = 1; t < parts; t++)
            TensorPrimitives.Add(total.AsSpan(0, size), partials.AsSpan((t - 1) * size, size), total.AsSpan(0, size));
        ArrayPool<float>.Shared.Return(partials);
    }
}
