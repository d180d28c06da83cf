using System.Net;
using System.Security.Cryptography;

namespace CourseKit.Data;

/// <summary>A file to download: its name on the server, its SHA-256 (lower-case hex) and its size in bytes.</summary>
public sealed record RemoteFile(string Name, string Sha256, long Size);

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
    public static string DefaultCacheFolder()
    {
        string? root = Environment.GetEnvironmentVariable("COURSEKIT_DATA");
        if (!string.IsNullOrWhiteSpace(root)) return Path.Combine(root, "mnist");
        return Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache", "coursekit", "mnist");
    }

    /// <summary>
    /// Makes sure every file of <paramref name="source"/> is in <paramref name="folder"/> with the right SHA-256:
    /// files already there and intact are kept, damaged ones are fetched again. Each download goes to a temporary
    /// file that is checked and only then renamed, so the folder never holds a partial or unverified file.
    /// </summary>
    public static void Download(string folder, MnistSource source, TextWriter? log = null)
    {
        log ??= Console.Out;
        Directory.CreateDirectory(folder);
        using var client = new HttpClient { Timeout = source.Timeout };
        foreach (var file in source.Files)
        {
            string path = Path.Combine(folder, file.Name);
            if (File.Exists(path))
            {
                string cached = Sha256Of(path);
                if (cached.Equals(file.Sha256, StringComparison.OrdinalIgnoreCase)) continue;
                log.WriteLine($"{file.Name} in {folder} has SHA-256 {cached}, expected {file.Sha256}: it is damaged, fetching it again.");
                File.Delete(path);
            }
            Fetch(client, file, path, source, log);
        }
    }

    private static void Fetch(HttpClient client, RemoteFile file, string path, MnistSource source, TextWriter log)
    {
        var failures = new List<string>();
        void Fail(string reason)
        {
            failures.Add(reason);
            log.WriteLine($"  failed: {reason}");
        }
        var settled = new HashSet<Uri>(); // mirrors not worth retrying: missing file, wrong content, unknown host
        bool anyReached = false;
        for (int attempt = 1; attempt <= Math.Max(1, source.AttemptsPerMirror); attempt++)
        {
            if (attempt > 1 && source.Mirrors.Any(m => !settled.Contains(m))) Thread.Sleep(source.RetryDelay);
            foreach (var mirror in source.Mirrors)
            {
                if (settled.Contains(mirror)) continue;
                var url = new Uri(mirror.AbsoluteUri.EndsWith('/') ? mirror : new Uri(mirror.AbsoluteUri + "/"), file.Name);
                string temporary = $"{path}.{Guid.NewGuid():N}.part";
                try
                {
                    log.WriteLine($"Downloading {url} ...");
                    // The whole body is read within the timeout (the largest file is 10 MB), so a stalled transfer cannot hang.
                    using var response = client.Send(new HttpRequestMessage(HttpMethod.Get, url), HttpCompletionOption.ResponseContentRead);
                    anyReached = true;
                    if (!response.IsSuccessStatusCode)
                    {
                        Fail($"{url}: HTTP {(int)response.StatusCode} {response.ReasonPhrase}");
                        if (response.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.Forbidden or HttpStatusCode.Gone) settled.Add(mirror);
                        continue;
                    }
                    string actual;
                    long received = 0;
                    using (var body = response.Content.ReadAsStream())
                    using (var output = File.Create(temporary))
                    using (var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256))
                    {
                        var buffer = new byte[1 << 16];
                        for (int n; (n = body.Read(buffer)) > 0;)
                        {
                            output.Write(buffer, 0, n);
                            hash.AppendData(buffer, 0, n);
                            received += n;
                        }
                        actual = Convert.ToHexStringLower(hash.GetHashAndReset());
                    }
                    if (!actual.Equals(file.Sha256, StringComparison.OrdinalIgnoreCase))
                    {
                        Fail($"{url}: rejected, SHA-256 {actual} is not the expected {file.Sha256} ({received:N0} bytes received, {file.Size:N0} expected; damaged or altered file)");
                        settled.Add(mirror);
                        continue;
                    }
                    File.Move(temporary, path, overwrite: true); // atomic within one folder
                    log.WriteLine($"  {file.Name}: {new FileInfo(path).Length:N0} bytes, SHA-256 verified.");
                    return;
                }
                catch (Exception e) when (e is HttpRequestException or IOException or TaskCanceledException)
                {
                    Fail($"{url}: {(e is TaskCanceledException ? $"timed out after {source.Timeout}" : e.Message)}");
                    if (e is HttpRequestException { HttpRequestError: HttpRequestError.NameResolutionError }) settled.Add(mirror);
                }
                finally
                {
                    if (File.Exists(temporary)) File.Delete(temporary);
                }
            }
        }
        string reason = anyReached
            ? "No mirror delivered an intact copy."
            : "No mirror could be reached: this machine seems to be offline (or behind a proxy that blocks the download).";
        throw new MnistDownloadException(
            $"MNIST: could not download {file.Name} into {Path.GetDirectoryName(path)}. {reason}\n" +
            string.Concat(failures.Select(f => $"  - {f}\n")) +
            "What to do: check the internet connection and run again; or copy the four files " +
            $"({string.Join(", ", source.Files.Select(f => f.Name))}) into that folder by hand (they are checked by SHA-256); " +
            "or work offline with the 10,000-digit sample shipped with CourseKit: Mnist.LoadSample() (8,000 train / 2,000 test).");
    }

    private static string Sha256Of(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }
}
