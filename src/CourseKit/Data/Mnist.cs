namespace CourseKit.Data;

/// <summary>A data set split into a training part and a test part.</summary>
public sealed record TrainTestSplit(ImageDataset Train, ImageDataset Test)
{
    public override string ToString() => $"{Train}\n{Test}";
}

/// <summary>
/// MNIST handwritten digits (LeCun, Cortes and Burges): 28×28 gray images of the digits 0–9 in IDX files,
/// read as tensors (N, 1, 28, 28) with values in [0, 1], the input of the lecture's CNN (chapter 2).
/// <see cref="LoadSample"/> reads the 8,000/2,000 sample shipped in data/mnist-sample (works offline);
/// <see cref="Load"/> with full: true downloads the original 60,000/10,000 once into a cache.
/// </summary>
public static partial class Mnist
{
    public const int ImageSize = 28;
    public const int ClassCount = 10;

    public const string TrainImagesFile = "train-images-idx3-ubyte.gz";
    public const string TrainLabelsFile = "train-labels-idx1-ubyte.gz";
    public const string TestImagesFile = "t10k-images-idx3-ubyte.gz";
    public const string TestLabelsFile = "t10k-labels-idx1-ubyte.gz";

    /// <summary>Where the sample lives, relative to the repository root.</summary>
    public const string SampleFolder = "data/mnist-sample";

    /// <summary>Mean and standard deviation of the full MNIST training pixels (in [0, 1]): 0.1307 and 0.3081.</summary>
    public static Normalization Normalization => new(0.1307f, 0.3081f);

    /// <summary>
    /// The 10,000-digit sample shipped with CourseKit, split 8,000 train / 2,000 test (see data/README.md).
    /// Without a folder it is found by walking up from the current directory (and from the library's own folder)
    /// to a directory that contains data/mnist-sample.
    /// </summary>
    public static TrainTestSplit LoadSample(string? folder = null) =>
        LoadFrom(folder ?? FindSample(), "MNIST sample");

    /// <summary>
    /// MNIST from the shipped sample (full: false) or the full 60,000/10,000 set (full: true), downloaded
    /// once into <paramref name="cacheFolder"/> (default: $COURSEKIT_DATA/mnist, else ~/.cache/coursekit/mnist).
    /// </summary>
    public static TrainTestSplit Load(bool full = false, string? cacheFolder = null, MnistSource? source = null, TextWriter? log = null)
    {
        if (!full) return LoadSample();
        string folder = cacheFolder ?? DefaultCacheFolder();
        Download(folder, source ?? MnistSource.Official, log);
        return LoadFrom(folder, "MNIST");
    }

    /// <summary>Reads the four standard MNIST files (gzip or already unpacked) from one folder.</summary>
    public static TrainTestSplit LoadFrom(string folder, string name = "MNIST")
    {
        if (!Directory.Exists(folder))
            throw new DirectoryNotFoundException($"MNIST: the folder {folder} does not exist.");
        var train = Read(Locate(folder, TrainImagesFile), Locate(folder, TrainLabelsFile), $"{name} train");
        var test = Read(Locate(folder, TestImagesFile), Locate(folder, TestLabelsFile), $"{name} test");
        return new TrainTestSplit(train, test);
    }

    /// <summary>Reads one images file (N, 28, 28) and its labels file (N) into a data set (N, 1, 28, 28).</summary>
    public static ImageDataset Read(string imagesPath, string labelsPath, string name = "MNIST")
    {
        string imagesName = Path.GetFileName(imagesPath), labelsName = Path.GetFileName(labelsPath);
        var images = Idx.Read(imagesPath);
        if (images.Dimensions is not [_, ImageSize, ImageSize])
            throw new IdxFormatException(
                $"{imagesName}: expected MNIST images with dimensions (count, {ImageSize}, {ImageSize}), but the file holds ({string.Join(", ", images.Dimensions)}).");
        var labels = Idx.Read(labelsPath);
        if (labels.Dimensions.Length != 1)
            throw new IdxFormatException(
                $"{labelsName}: expected labels with one dimension (count), but the file holds ({string.Join(", ", labels.Dimensions)}).");
        int count = images.Dimensions[0];
        if (labels.Dimensions[0] != count)
            throw new IdxFormatException(
                $"{imagesName} holds {count} images but {labelsName} holds {labels.Dimensions[0]} labels; they must be the same number (are the files from the same split?).");
        var classes = new int[count];
        for (int i = 0; i < count; i++)
        {
            classes[i] = labels.Data[i];
            if (classes[i] >= ClassCount)
                throw new IdxFormatException($"{labelsName}: label {classes[i]} of image {i} is not a digit 0–9.");
        }
        return new ImageDataset(images.Data, [1, ImageSize, ImageSize], classes, ClassCount, name);
    }

    /// <summary>
    /// The folder data/mnist-sample, found by walking up from <paramref name="start"/> (default: the current
    /// directory, then the folder of the CourseKit library).
    /// </summary>
    public static string FindSample(string? start = null)
    {
        var starts = start is null ? new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory } : [start];
        foreach (var first in starts)
            for (var dir = new DirectoryInfo(first); dir is not null; dir = dir.Parent)
            {
                string candidate = Path.Combine(dir.FullName, SampleFolder);
                if (File.Exists(Path.Combine(candidate, TrainImagesFile))) return candidate;
            }
        throw new DirectoryNotFoundException(
            $"MNIST sample: no {SampleFolder} folder was found above {string.Join(" or ", starts)}. " +
            $"Run from inside the CourseKit repository, or pass the folder: Mnist.LoadSample(\"/path/to/CourseKit/{SampleFolder}\").");
    }

    /// <summary>The file itself, or its unpacked twin without ".gz" (as left by gunzip).</summary>
    private static string Locate(string folder, string fileName)
    {
        string gz = Path.Combine(folder, fileName);
        if (File.Exists(gz)) return gz;
        string plain = Path.ChangeExtension(gz, null);
        if (File.Exists(plain)) return plain;
        throw new FileNotFoundException($"MNIST: {fileName} (or its unpacked form {Path.GetFileName(plain)}) is missing in {folder}.", gz);
    }
}
