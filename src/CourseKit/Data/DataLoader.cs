using System.Collections;
using System.Collections.Concurrent;
using System.Runtime.ExceptionServices;
using CourseKit.Backends;
using CourseKit.Data.Augmentation;

namespace CourseKit.Data;

/// <summary>One mini-batch: images (B, C, H, W) and their labels (B).</summary>
public readonly record struct Batch(Tensor Images, int[] Labels)
{
    /// <summary>Number of samples in this batch (the last one may be smaller than the batch size).</summary>
    public int Count => Labels.Length;
}

/// <summary>
/// Input normalisation x ↦ (x − mean) / std, per channel (one value each applies to all channels).
/// For MNIST use <see cref="Mnist.Normalization"/>.
/// </summary>
public sealed record Normalization(float[] Mean, float[] Std)
{
    public Normalization(float mean, float std) : this([mean], [std]) { }

    internal void Validate(int channels)
    {
        if (Mean.Length != Std.Length || (Mean.Length != 1 && Mean.Length != channels))
            throw new ArgumentException(
                $"Normalization: {Mean.Length} means and {Std.Length} standard deviations do not fit images with {channels} channel(s); give 1 of each or {channels} of each.");
        foreach (float s in Std)
            if (!(s > 0)) throw new ArgumentException($"Normalization: every standard deviation must be positive, but {s} was given.");
    }

    public override string ToString() => $"(x - [{string.Join(", ", Mean)}]) / [{string.Join(", ", Std)}]";
}

/// <summary>
/// Mini-batches (lecture: mini-batch learning) of an <see cref="ImageDataset"/>, one pass over the data per epoch.
/// With shuffling, epoch e visits the samples in the order <see cref="Order"/>(e): a Fisher–Yates shuffle driven by
/// SplitMix64 seeded from (seed, e) — the same on every machine. <c>foreach</c> over the loader runs the next epoch;
/// <see cref="Epoch"/> gives any epoch again.
/// With an <see cref="Augmentation"/> every image of every epoch is transformed at random (lecture 3.2), from a seed of
/// (seed, epoch, image), so the batches of an epoch are the same whether they are made inline or ahead.
/// <see cref="BatchesAhead"/> &gt; 0 makes the batches on a producer thread of its own, that many ahead of training
/// (lecture 3.3: augmentation costs time image by image, unless it runs in parallel with the training).
/// </summary>
public sealed class DataLoader : IEnumerable<Batch>
{
    private int nextEpoch;

    public DataLoader(ImageDataset dataset, int batchSize, bool shuffle = true, ulong seed = 0,
        bool dropLast = false, Normalization? normalization = null, Device? device = null,
        RandomAugmentation? augmentation = null, int batchesAhead = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(batchesAhead);
        if (batchSize <= 0)
            throw new ArgumentOutOfRangeException(nameof(batchSize), $"DataLoader: the batch size must be positive, but {batchSize} was given.");
        normalization?.Validate(dataset.ImageShape[0]);
        Dataset = dataset;
        BatchSize = batchSize;
        Shuffle = shuffle;
        Seed = seed;
        DropLast = dropLast;
        Normalization = normalization;
        Device = device ?? Device.Cpu;
        Augmentation = augmentation;
        BatchesAhead = batchesAhead;
    }

    /// <summary>The random transformations applied to each image of each epoch, or null for the images as they are.</summary>
    public RandomAugmentation? Augmentation { get; }

    /// <summary>0: each batch is made when training asks for it (inline). N &gt; 0: a producer thread keeps up to N batches ready.</summary>
    public int BatchesAhead { get; }

    public ImageDataset Dataset { get; }
    public int BatchSize { get; }
    public bool Shuffle { get; }
    public ulong Seed { get; }

    /// <summary>When the data size is not a multiple of the batch size: true drops the short last batch, false keeps it.</summary>
    public bool DropLast { get; }

    public Normalization? Normalization { get; }

    /// <summary>Where the batches are created (the data set itself stays on the CPU).</summary>
    public Device Device { get; }

    /// <summary>Batches per epoch: ⌈N / B⌉, or ⌊N / B⌋ when the last short batch is dropped.</summary>
    public int BatchCount => DropLast ? Dataset.Count / BatchSize : (Dataset.Count + BatchSize - 1) / BatchSize;

    /// <summary>Samples per epoch (fewer than the data set when the last batch is dropped).</summary>
    public int SampleCount => DropLast ? BatchCount * BatchSize : Dataset.Count;

    /// <summary>How many epochs <c>foreach</c> has started so far.</summary>
    public int EpochsStarted => nextEpoch;

    /// <summary>The sample order of an epoch: 0..N−1 without shuffling, otherwise a seeded permutation.</summary>
    public int[] Order(int epoch) => Shuffle
        ? SeededShuffle.Permutation(Dataset.Count, SeededShuffle.Combine(Seed, (ulong)epoch))
        : Enumerable.Range(0, Dataset.Count).ToArray();

    /// <summary>The batches of epoch <paramref name="epoch"/> (0-based); calling it twice gives the same batches.</summary>
    public IEnumerable<Batch> Epoch(int epoch)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(epoch);
        var batches = BatchesAhead == 0 ? CpuBatches(epoch) : Ahead(CpuBatches(epoch));
        return Device == Device.Cpu ? batches : batches.Select(b => b with { Images = b.Images.To(Device) });
    }

    private IEnumerable<Batch> CpuBatches(int epoch)
    {
        var order = Order(epoch);
        ulong epochSeed = SeededShuffle.Combine(Seed ^ 0xA5A5_0000_0000_0001UL, (ulong)epoch);
        for (int b = 0; b < BatchCount; b++)
        {
            int start = b * BatchSize;
            int size = Math.Min(BatchSize, order.Length - start);
            yield return MakeBatch(order.AsSpan(start, size), epochSeed);
        }
    }

    // A producer thread of its own (not the thread pool, which the training's cores share) makes the batches and hands
    // them over through a queue of BatchesAhead places; the training takes them as it needs them.
    private IEnumerable<Batch> Ahead(IEnumerable<Batch> batches)
    {
        using var queue = new BlockingCollection<Batch>(BatchesAhead);
        using var stop = new CancellationTokenSource();
        ExceptionDispatchInfo? failure = null;
        var producer = new Thread(() =>
        {
            try
            {
                foreach (var batch in batches) queue.Add(batch, stop.Token);
            }
            catch (OperationCanceledException) { }  // the training stopped early
            catch (Exception e) { failure = ExceptionDispatchInfo.Capture(e); }
            finally { queue.CompleteAdding(); }
        }) { IsBackground = true, Name = "CourseKit batches ahead" };
        producer.Start();
        try
        {
            foreach (var batch in queue.GetConsumingEnumerable()) yield return batch;
            failure?.Throw();
        }
        finally
        {
            stop.Cancel();
            producer.Join();
        }
    }

    /// <summary>Runs the next epoch (the first <c>foreach</c> is epoch 0, the next epoch 1, ...).</summary>
    public IEnumerator<Batch> GetEnumerator() => Epoch(nextEpoch++).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    private Batch MakeBatch(ReadOnlySpan<int> indices, ulong epochSeed)
    {
        var shape = Dataset.ImageShape;
        int perImage = shape.Size, channels = shape[0], plane = shape[1] * shape[2];
        var images = GC.AllocateUninitializedArray<float>(indices.Length * perImage);  // every value is copied in below
        var labels = new int[indices.Length];
        var source = Dataset.Images.AsSpan();
        for (int k = 0; k < indices.Length; k++)
        {
            var image = source.Slice(indices[k] * perImage, perImage);
            if (Augmentation is { } augmentation)  // lecture 3.2: a new random transformation of every image in every epoch
                augmentation.Apply(image, images.AsSpan(k * perImage, perImage), channels, shape[1], shape[2],
                                   SeededShuffle.Combine(epochSeed, (ulong)indices[k]));
            else
                image.CopyTo(images.AsSpan(k * perImage));
            labels[k] = Dataset.Labels[indices[k]];
        }
        if (Normalization is { } norm)
        {
            for (int k = 0; k < indices.Length; k++)
                for (int c = 0; c < channels; c++)
                {
                    float mean = norm.Mean[norm.Mean.Length == 1 ? 0 : c];
                    float scale = 1f / norm.Std[norm.Std.Length == 1 ? 0 : c];
                    foreach (ref float x in images.AsSpan((k * channels + c) * plane, plane))
                        x = (x - mean) * scale;
                }
        }
        return new Batch(new Tensor([indices.Length, channels, shape[1], shape[2]], images), labels);
    }

    public override string ToString() =>
        $"DataLoader({Dataset.Name}: {Dataset.Count} samples, batch {BatchSize}, {BatchCount} batches, " +
        $"{(Shuffle ? $"shuffled with seed {Seed}" : "in order")}{(DropLast ? ", last short batch dropped" : "")}" +
        $"{(Normalization is null ? "" : $", normalised {Normalization}")}" +
        $"{(Augmentation is null ? "" : $", augmented: {Augmentation}")}{(BatchesAhead > 0 ? $", {BatchesAhead} batches made ahead on a thread of their own" : "")})";
}
