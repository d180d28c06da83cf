namespace CourseKit.Data;

/// <summary>
/// CIFAR-10 (Krizhevsky 2009, "Learning Multiple Layers of Features from Tiny Images"): 32×32 colour photos of ten
/// classes, read from the standard binary layout as tensors (N, 3, 32, 32) with values in [0, 1] — the colour images of
/// lecture 3 (3.1: a 2-D multichannel input). Each batch file is a sequence of records of 1 label byte and 3,072 pixel
/// bytes: 1,024 red, 1,024 green, 1,024 blue, each 32×32 row by row, which is already the (C, H, W) order.
/// <see cref="Load"/> finds the data wherever it is: the cache, the 10,000-image sample beside the repository, or a
/// download of the original archive.
/// </summary>
public static partial class Cifar10
{
    public const int ImageSize = 32;
    public const int Channels = 3;
    public const int ClassCount = 10;

    /// <summary>Bytes per record: 1 label + 3 × 32 × 32 pixels.</summary>
    public const int RecordSize = 1 + Channels * ImageSize * ImageSize;

    public const string TestBatchFile = "test_batch.bin";
    public const string MetaFile = "batches.meta.txt";

    /// <summary>The five training batches of the full set are data_batch_1.bin … data_batch_5.bin (the sample has only the first).</summary>
    public static string TrainBatchFile(int number) => $"data_batch_{number}.bin";

    /// <summary>Where the sample lives, relative to the folder that holds the repository (../shared/data/cifar10-sample from its root).</summary>
    public const string SampleFolder = "shared/data/cifar10-sample";

    /// <summary>The class names in label order, as batches.meta.txt lists them.</summary>
    public static IReadOnlyList<string> DefaultClassNames { get; } =
        ["airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck"];

    /// <summary>Per-channel mean and standard deviation of the full CIFAR-10 training pixels (in [0, 1]), red, green, blue.</summary>
    public static Normalization Normalization => new([0.4914f, 0.4822f, 0.4465f], [0.2470f, 0.2435f, 0.2616f]);

    /// <summary>
    /// CIFAR-10 from the first place that has it: the cache (<paramref name="cacheFolder"/>, default $COURSEKIT_DATA/cifar10
    /// or ~/.cache/coursekit/cifar10) when it holds a downloaded set; else the 10,000 / 2,000-image sample in
    /// ../shared/data/cifar10-sample beside the repository; else (with <paramref name="download"/>) the original archive,
    /// downloaded once into the cache with progress, checked against its published checksum.
    /// </summary>
    public static TrainTestSplit Load(bool download = true, string? cacheFolder = null, Cifar10Source? source = null, TextWriter? log = null)
    {
        source ??= Cifar10Source.Official;
        string folder = cacheFolder ?? DefaultCacheFolder();
        if (IsComplete(folder, source)) return LoadFrom(folder);
        if (TryFindSample() is { } sample) return LoadFrom(sample, "CIFAR-10 sample");
        if (!download)
            throw new DirectoryNotFoundException(
                $"CIFAR-10: neither {folder} nor a {SampleFolder} folder beside the repository holds the data set. " +
                "Call Cifar10.Load() with download: true to fetch it, or put the binary version's files " +
                $"({string.Join(", ", source.Members)}) into {folder}.");
        Download(folder, source, log);
        return LoadFrom(folder);
    }

    /// <summary>The 10,000 / 2,000-image sample in ../shared/data/cifar10-sample (see <see cref="FindSample"/>).</summary>
    public static TrainTestSplit LoadSample(string? folder = null) => LoadFrom(folder ?? FindSample(), "CIFAR-10 sample");

    /// <summary>Reads every data_batch_N.bin of a folder as the training set and test_batch.bin as the test set.</summary>
    public static TrainTestSplit LoadFrom(string folder, string name = "CIFAR-10")
    {
        if (!Directory.Exists(folder))
            throw new DirectoryNotFoundException($"CIFAR-10: the folder {folder} does not exist.");
        var trainFiles = Enumerable.Range(1, 5).Select(n => Path.Combine(folder, TrainBatchFile(n))).Where(File.Exists).ToList();
        if (trainFiles.Count == 0)
            throw new FileNotFoundException($"CIFAR-10: {folder} holds no training batch ({TrainBatchFile(1)} … {TrainBatchFile(5)}).");
        string testFile = Path.Combine(folder, TestBatchFile);
        if (!File.Exists(testFile))
            throw new FileNotFoundException($"CIFAR-10: {TestBatchFile} is missing in {folder}.", testFile);
        string metaFile = Path.Combine(folder, MetaFile);
        var names = File.Exists(metaFile) ? ReadClassNames(metaFile) : DefaultClassNames;
        return new TrainTestSplit(ReadBatches(trainFiles, $"{name} train", names), ReadBatches([testFile], $"{name} test", names));
    }

    /// <summary>Reads one or more batch files into one data set (N, 3, 32, 32), checking every record.</summary>
    public static ImageDataset ReadBatches(IReadOnlyList<string> paths, string name = "CIFAR-10", IReadOnlyList<string>? classNames = null)
    {
        var parts = paths.Select(ReadBatch).ToList();
        var pixels = new byte[parts.Sum(p => p.Pixels.Length)];
        var labels = new int[parts.Sum(p => p.Labels.Length)];
        int pixelOffset = 0, labelOffset = 0;
        foreach (var (partPixels, partLabels) in parts)
        {
            partPixels.CopyTo(pixels, pixelOffset);
            partLabels.CopyTo(labels, labelOffset);
            pixelOffset += partPixels.Length;
            labelOffset += partLabels.Length;
        }
        return new ImageDataset(pixels, [Channels, ImageSize, ImageSize], labels, ClassCount, name) { ClassNames = classNames ?? DefaultClassNames };
    }

    /// <summary>One batch file: its pixels (N·3·32·32 bytes, (N, C, H, W) order) and labels.</summary>
    public static (byte[] Pixels, int[] Labels) ReadBatch(string path)
    {
        string file = Path.GetFileName(path);
        if (!File.Exists(path)) throw new FileNotFoundException($"CIFAR-10: the batch file {path} does not exist.", path);
        var bytes = File.ReadAllBytes(path);
        if (bytes.Length == 0 || bytes.Length % RecordSize != 0)
        {
            string hint = bytes.Length > 0 && bytes.Length % (RecordSize + 1) == 0
                ? " It is a whole number of 3,074-byte records: CIFAR-100's layout (a coarse and a fine label byte), not CIFAR-10's."
                : $" The last record is cut short after {bytes.Length % RecordSize:N0} bytes: the file is truncated (download it again), or it is not a CIFAR-10 binary batch (the Python version's pickled batches are not read).";
            throw new InvalidDataException(
                $"{file}: {bytes.Length:N0} bytes are not a whole number of CIFAR-10 records of {RecordSize:N0} bytes (1 label byte + 3,072 pixel bytes).{hint}");
        }
        int count = bytes.Length / RecordSize, perImage = RecordSize - 1;
        var pixels = new byte[count * perImage];
        var labels = new int[count];
        for (int i = 0; i < count; i++)
        {
            int label = bytes[i * RecordSize];
            if (label >= ClassCount)
                throw new InvalidDataException(
                    $"{file}: record {i} (byte {(long)i * RecordSize:N0}) has label {label}, but CIFAR-10's labels are 0–9: the file is damaged or not a CIFAR-10 batch.");
            labels[i] = label;
            bytes.AsSpan(i * RecordSize + 1, perImage).CopyTo(pixels.AsSpan(i * perImage));
        }
        return (pixels, labels);
    }

    /// <summary>The class names of batches.meta.txt, one per line in label order (blank lines ignored).</summary>
    public static IReadOnlyList<string> ReadClassNames(string path)
    {
        var names = File.ReadAllLines(path).Select(l => l.Trim()).Where(l => l.Length > 0).ToArray();
        if (names.Length != ClassCount)
            throw new InvalidDataException($"{Path.GetFileName(path)}: lists {names.Length} class names, but CIFAR-10 has {ClassCount} (one per line, in label order).");
        return names;
    }

    /// <summary>
    /// The folder ../shared/data/cifar10-sample beside the repository, found by walking up from <paramref name="start"/>
    /// (default: the current directory, then the folder of the CourseKit library) to a folder that has shared/data/cifar10-sample.
    /// </summary>
    public static string FindSample(string? start = null) =>
        TryFindSample(start) ?? throw new DirectoryNotFoundException(
            $"CIFAR-10 sample: no {SampleFolder} folder was found above {start ?? Directory.GetCurrentDirectory()}. " +
            "It sits beside the CourseKit repository (../shared/data/cifar10-sample from its root); or call Cifar10.Load() to download the full set.");

    private static string? TryFindSample(string? start = null) =>
        DataFolder.Above(SampleFolder, start).FirstOrDefault(folder => File.Exists(Path.Combine(folder, TrainBatchFile(1))));
}
