using System.Net;
using System.Security.Cryptography;

namespace CourseKit.Data;

/// <summary>
/// A file to download: its name on the server, its SHA-256 (lower-case hex) and its size in bytes; <see cref="Md5"/>
/// when the data set's authors publish an MD5 (CIFAR-10 does), checked as well.
/// </summary>
public sealed record RemoteFile(string Name, string Sha256, long Size)
{
    public string? Md5 { get; init; }
}

/// <summary>
/// How data sets are fetched, shared by <see cref="Mnist"/> and <see cref="Cifar10"/>: each mirror in turn, network
/// errors retried, every byte hashed as it arrives, the file written under a temporary name and renamed only once its
/// checksum is right, so a folder never holds a partial or unverified file. Large files report their progress.
/// </summary>
internal static class FileDownload
{
    /// <summary>Time allowed per file and mirror, attempts per mirror on network errors, and the pause between rounds.</summary>
    internal sealed record Policy(TimeSpan Timeout, int AttemptsPerMirror, TimeSpan RetryDelay);

    /// <summary>True when <paramref name="path"/> exists with the expected SHA-256; a damaged copy is deleted (and said so).</summary>
    public static bool IsCachedIntact(string path, RemoteFile file, TextWriter log)
    {
        if (!File.Exists(path)) return false;
        string cached = Sha256Of(path);
        if (cached.Equals(file.Sha256, StringComparison.OrdinalIgnoreCase)) return true;
        log.WriteLine($"{file.Name} in {Path.GetDirectoryName(path)} has SHA-256 {cached}, expected {file.Sha256}: it is damaged, fetching it again.");
        File.Delete(path);
        return false;
    }

    /// <summary>
    /// Downloads <paramref name="file"/> into <paramref name="path"/> from the first mirror that delivers it intact.
    /// On failure calls <paramref name="fail"/> with the reason and the list of attempts, and throws what it returns.
    /// </summary>
    public static void Fetch(IReadOnlyList<Uri> mirrors, RemoteFile file, string path, Policy policy, TextWriter log,
                             Func<string, string, Exception> fail)
    {
        using var client = new HttpClient { Timeout = Timeout.InfiniteTimeSpan };  // the policy's timeout covers headers and body
        var failures = new List<string>();
        void Fail(string reason)
        {
            failures.Add(reason);
            log.WriteLine($"  failed: {reason}");
        }
        var settled = new HashSet<Uri>(); // mirrors not worth retrying: missing file, wrong content, unknown host
        bool anyReached = false;
        for (int attempt = 1; attempt <= Math.Max(1, policy.AttemptsPerMirror); attempt++)
        {
            if (attempt > 1 && mirrors.Any(m => !settled.Contains(m))) Thread.Sleep(policy.RetryDelay);
            foreach (var mirror in mirrors)
            {
                if (settled.Contains(mirror)) continue;
                var url = new Uri(mirror.AbsoluteUri.EndsWith('/') ? mirror : new Uri(mirror.AbsoluteUri + "/"), file.Name);
                string temporary = $"{path}.{Guid.NewGuid():N}.part";
                using var deadline = new CancellationTokenSource(policy.Timeout);
                try
                {
                    log.WriteLine($"Downloading {url} ...");
                    using var response = client.Send(new HttpRequestMessage(HttpMethod.Get, url), HttpCompletionOption.ResponseHeadersRead, deadline.Token);
                    anyReached = true;
                    if (!response.IsSuccessStatusCode)
                    {
                        Fail($"{url}: HTTP {(int)response.StatusCode} {response.ReasonPhrase}");
                        if (response.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.Forbidden or HttpStatusCode.Gone) settled.Add(mirror);
                        continue;
                    }
                    // A stalled body cannot hang: when the deadline passes, the response is closed under the reader.
                    using var stop = deadline.Token.Register(response.Dispose);
                    var (sha256, md5, received) = Copy(response.Content.ReadAsStream(), temporary, file, log);
                    if (!sha256.Equals(file.Sha256, StringComparison.OrdinalIgnoreCase))
                    {
                        Fail($"{url}: rejected, SHA-256 {sha256} is not the expected {file.Sha256} ({received:N0} bytes received, {file.Size:N0} expected; damaged, cut short or altered file)");
                        settled.Add(mirror);
                        continue;
                    }
                    if (file.Md5 is { } expectedMd5 && !md5.Equals(expectedMd5, StringComparison.OrdinalIgnoreCase))
                    {
                        Fail($"{url}: rejected, MD5 {md5} is not the published {expectedMd5}");
                        settled.Add(mirror);
                        continue;
                    }
                    File.Move(temporary, path, overwrite: true); // atomic within one folder
                    log.WriteLine($"  {file.Name}: {new FileInfo(path).Length:N0} bytes, SHA-256{(file.Md5 is null ? "" : " and MD5")} verified.");
                    return;
                }
                catch (Exception e) when (e is HttpRequestException or IOException or OperationCanceledException or ObjectDisposedException)
                {
                    bool timedOut = deadline.IsCancellationRequested;
                    Fail($"{url}: {(timedOut ? $"timed out after {policy.Timeout}" : e.Message)}");
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
        throw fail(reason, string.Concat(failures.Select(f => $"  - {f}\n")));
    }

    /// <summary>Writes the body to <paramref name="temporary"/>, hashing it on the way; a line per 10 % for large files.</summary>
    private static (string Sha256, string Md5, long Received) Copy(Stream body, string temporary, RemoteFile file, TextWriter log)
    {
        using var _ = body;
        using var output = File.Create(temporary);
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        using var md5 = IncrementalHash.CreateHash(HashAlgorithmName.MD5);
        var buffer = new byte[1 << 16];
        long received = 0;
        bool showProgress = file.Size >= 8 << 20;
        int shownTenths = 0;
        for (int n; (n = body.Read(buffer)) > 0;)
        {
            output.Write(buffer, 0, n);
            sha.AppendData(buffer, 0, n);
            md5.AppendData(buffer, 0, n);
            received += n;
            int tenths = (int)Math.Min(10, received * 10 / Math.Max(1, file.Size));
            if (showProgress && tenths > shownTenths)
            {
                shownTenths = tenths;
                log.WriteLine($"  {file.Name}: {tenths * 10} % ({received / 1e6:F0} of {file.Size / 1e6:F0} MB)");
            }
        }
        return (Convert.ToHexStringLower(sha.GetHashAndReset()), Convert.ToHexStringLower(md5.GetHashAndReset()), received);
    }

    public static string Sha256Of(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }
}
