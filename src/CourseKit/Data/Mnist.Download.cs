namespace CourseKit.Data;

/// <summary>
/// Where the full MNIST files come from: mirrors (tried in order; each URL is mirror + file name) and the
/// expected SHA-256 of every file. <see cref="Official"/> is the real thing; tests inject a local server.
/// </summary>
public sealed record MnistSource(IReadOnlyList<Uri> Mirrors, IReadOnlyList<RemoteFile> Files)
{
    /// <summary>
    /// The four standard gzip files with their well-known sizes and SHA-256 (the same as torchvision's and
    /// TensorFlow Datasets' checksums). Mirrors: PyTorch's S3 copy, Google's CVDF copy, then LeCun's original page.
    /// </summary>
    public static MnistSource Official => new(
        [
            new Uri("https://ossci-datasets.s3.amazonaws.com/mnist/"),
            new Uri("https://storage.googleapis.com/cvdf-datasets/mnist/"),
            new Uri("http://yann.lecun.com/exdb/mnist/"),
        ],
        [
            new RemoteFile(Mnist.TrainImagesFile, "440fcabf73cc546fa21475e81ea370265605f56be210a4024d2ca8f203523609", 9_912_422),
            new RemoteFile(Mnist.TrainLabelsFile, "3552534a0a558bbed6aed32b30c495cca23d567ec52cac8be1a0730e8010255c", 28_881),
            new RemoteFile(Mnist.TestImagesFile, "8d422c7b0a1c1c79245a5bcf07fe86e33eeafee792b84584aec276f5a2dbc4e6", 1_648_877),
            new RemoteFile(Mnist.TestLabelsFile, "f7ae60f92e00ec6debd23a6088c31dbd2371eca3ffa0defaefb259924204aec6", 4_542),
        ]);

    /// <summary>Time allowed for one file from one mirror.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromMinutes(3);

    /// <summary>How often a mirror is tried when it fails with a network error (a 404, an unknown host or a wrong hash is not retried).</summary>
    public int AttemptsPerMirror { get; init; } = 2;

    /// <summary>Pause before going through the mirrors again after network errors.</summary>
    public TimeSpan RetryDelay { get; init; } = TimeSpan.FromSeconds(2);
}

/// <summary>Downloading MNIST failed on every mirror; the message lists each attempt and what to do instead.</summary>
public sealed class MnistDownloadException(string message) : IOException(message);

public static partial class Mnist
{
    /// <summary>$COURSEKIT_DATA/mnist when that variable is set, otherwise ~/.cache/coursekit/mnist.</summary>
    public static string DefaultCacheFolder() => DataFolder.Cache("mnist");

    /// <summary>
    /// Makes sure every file of <paramref name="source"/> is in <paramref name="folder"/> with the right SHA-256:
    /// files already there and intact are kept, damaged ones are fetched again. Each download goes to a temporary
    /// file that is checked and only then renamed, so the folder never holds a partial or unverified file.
    /// </summary>
    public static void Download(string folder, MnistSource source, TextWriter? log = null)
    {
        log ??= Console.Out;
        Directory.CreateDirectory(folder);
        var policy = new FileDownload.Policy(source.Timeout, source.AttemptsPerMirror, source.RetryDelay);
        foreach (var file in source.Files)
        {
            string path = Path.Combine(folder, file.Name);
            if (FileDownload.IsCachedIntact(path, file, log)) continue;
            FileDownload.Fetch(source.Mirrors, file, path, policy, log, (reason, failures) => new MnistDownloadException(
                $"MNIST: could not download {file.Name} into {folder}. {reason}\n" + failures +
                "What to do: check the internet connection and run again; or copy the four files " +
                $"({string.Join(", ", source.Files.Select(f => f.Name))}) into that folder by hand (they are checked by SHA-256); " +
                "or work offline with the 10,000-digit sample shipped with CourseKit: Mnist.LoadSample() (8,000 train / 2,000 test)."));
        }
    }
}
