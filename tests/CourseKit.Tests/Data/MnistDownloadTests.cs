using System.Security.Cryptography;
using CourseKit.Data;

namespace CourseKit.Tests.Data;

/// <summary>
/// The full-MNIST download path against a local HTTP server serving small fixture files in the MNIST format
/// (never the internet): verification by SHA-256, atomic caching, mirrors, retries, and the offline message.
/// </summary>
public sealed class MnistDownloadTests
{
    /// <summary>Four small but valid MNIST files: 6 train and 4 test digits.</summary>
    private static readonly Dictionary<string, byte[]> Fixture = MakeFixture();

    private static Dictionary<string, byte[]> MakeFixture()
    {
        byte[] Gz(int[] dims, byte[] data)
        {
            using var stream = new MemoryStream();
            Idx.Write(stream, new IdxArray(dims, data), gzip: true);
            return stream.ToArray();
        }
        var random = new Random(3);
        byte[] Pixels(int n) { var p = new byte[n * 784]; random.NextBytes(p); return p; }
        return new()
        {
            [Mnist.TrainImagesFile] = Gz([6, 28, 28], Pixels(6)),
            [Mnist.TrainLabelsFile] = Gz([6], [5, 0, 4, 1, 9, 2]),
            [Mnist.TestImagesFile] = Gz([4, 28, 28], Pixels(4)),
            [Mnist.TestLabelsFile] = Gz([4], [7, 2, 1, 0]),
        };
    }

    private static MnistSource SourceFor(params Uri[] mirrors) => new(
        mirrors,
        Fixture.Select(f => new RemoteFile(f.Key, Convert.ToHexStringLower(SHA256.HashData(f.Value)), f.Value.Length)).ToArray())
    {
        RetryDelay = TimeSpan.Zero,
    };

    private static Dictionary<string, byte[]> Served(string folder = "", Func<string, byte[], byte[]?>? change = null)
    {
        var served = new Dictionary<string, byte[]>();
        foreach (var (name, bytes) in Fixture)
            if ((change is null ? bytes : change(name, bytes)) is { } body) served[$"/{folder}{name}"] = body;
        return served;
    }

    private static byte[] Corrupt(byte[] bytes)
    {
        var copy = (byte[])bytes.Clone();
        copy[copy.Length / 2] ^= 0x40;
        return copy;
    }

    [Fact]
    public void DownloadsTheFourFilesVerifiesThemAndLoadsTheDigits()
    {
        using var server = LocalFileServer.ServingFiles(Served());
        using var cache = new TempFolder();
        var log = new StringWriter();
        var (train, test) = Mnist.Load(full: true, cache.Path, SourceFor(server.Url()), log);
        Assert.Equal([5, 0, 4, 1, 9, 2], train.Labels);
        Assert.Equal([7, 2, 1, 0], test.Labels);
        Assert.Equal(new Shape(6, 1, 28, 28), train.Images.Shape);
        Assert.Equal(Fixture.Keys.Order(), Directory.GetFiles(cache.Path).Select(Path.GetFileName).Order());
        foreach (var (name, bytes) in Fixture) Assert.Equal(bytes, File.ReadAllBytes(cache.File(name)));
        Assert.Contains("SHA-256 verified", log.ToString());
    }

    [Fact]
    public void SecondLoadUsesTheCacheWithoutAnyRequest()
    {
        using var server = LocalFileServer.ServingFiles(Served());
        using var cache = new TempFolder();
        Mnist.Load(full: true, cache.Path, SourceFor(server.Url()), TextWriter.Null);
        Assert.Equal(4, server.TotalRequests);
        var again = Mnist.Load(full: true, cache.Path, SourceFor(server.Url()), TextWriter.Null);
        Assert.Equal(4, server.TotalRequests);
        Assert.Equal(6, again.Train.Count);
    }

    [Fact]
    public void CorruptedFileIsRejectedBySha256AndNothingIsLeftInTheCache()
    {
        using var server = LocalFileServer.ServingFiles(Served(change: (name, bytes) => name == Mnist.TrainImagesFile ? Corrupt(bytes) : bytes));
        using var cache = new TempFolder();
        var e = Assert.Throws<MnistDownloadException>(() => Mnist.Load(full: true, cache.Path, SourceFor(server.Url()), TextWriter.Null));
        Assert.Contains($"could not download {Mnist.TrainImagesFile}", e.Message);
        Assert.Contains("rejected, SHA-256", e.Message);
        Assert.False(File.Exists(cache.File(Mnist.TrainImagesFile)));
        Assert.Empty(Directory.GetFiles(cache.Path, "*.part"));
        Assert.Equal(1, server.RequestsFor("/" + Mnist.TrainImagesFile)); // a wrong hash is not retried from the same mirror
    }

    [Fact]
    public void CorruptedMirrorIsSkippedForTheNextMirror()
    {
        var files = Served("bad/", (name, bytes) => name == Mnist.TestImagesFile ? Corrupt(bytes) : bytes)
            .Concat(Served("good/")).ToDictionary();
        using var server = LocalFileServer.ServingFiles(files);
        using var cache = new TempFolder();
        var log = new StringWriter();
        var data = Mnist.Load(full: true, cache.Path, SourceFor(server.Url("bad/"), server.Url("good/")), log);
        Assert.Equal(4, data.Test.Count);
        Assert.Equal(Fixture[Mnist.TestImagesFile], File.ReadAllBytes(cache.File(Mnist.TestImagesFile)));
        Assert.Equal(1, server.RequestsFor("/bad/" + Mnist.TestImagesFile));
        Assert.Equal(1, server.RequestsFor("/good/" + Mnist.TestImagesFile));
        Assert.Equal(0, server.RequestsFor("/good/" + Mnist.TrainImagesFile)); // intact files came from the first mirror
    }

    [Fact]
    public void MissingFileIsReportedWithItsNameAndHttpStatus()
    {
        using var server = LocalFileServer.ServingFiles(Served(change: (name, bytes) => name == Mnist.TestLabelsFile ? null : bytes));
        using var cache = new TempFolder();
        var e = Assert.Throws<MnistDownloadException>(() => Mnist.Load(full: true, cache.Path, SourceFor(server.Url()), TextWriter.Null));
        Assert.Contains($"could not download {Mnist.TestLabelsFile}", e.Message);
        Assert.Contains("HTTP 404", e.Message);
        Assert.Equal(1, server.RequestsFor("/" + Mnist.TestLabelsFile)); // 404 is final, no retry
        Assert.True(File.Exists(cache.File(Mnist.TrainImagesFile)));   // the intact files stay cached
    }

    [Fact]
    public void ServerErrorIsRetriedOnTheSameMirror()
    {
        var files = Served();
        using var server = new LocalFileServer((path, number) =>
            path == "/" + Mnist.TrainLabelsFile && number == 1 ? (503, null)
            : files.TryGetValue(path, out var body) ? (200, body) : (404, null));
        using var cache = new TempFolder();
        var data = Mnist.Load(full: true, cache.Path, SourceFor(server.Url()) with { AttemptsPerMirror = 2 }, TextWriter.Null);
        Assert.Equal(6, data.Train.Count);
        Assert.Equal(2, server.RequestsFor("/" + Mnist.TrainLabelsFile));
    }

    [Fact]
    public void DamagedFileInTheCacheIsFetchedAgain()
    {
        using var server = LocalFileServer.ServingFiles(Served());
        using var cache = new TempFolder();
        File.WriteAllBytes(cache.File(Mnist.TrainImagesFile), Corrupt(Fixture[Mnist.TrainImagesFile]));
        var log = new StringWriter();
        Mnist.Load(full: true, cache.Path, SourceFor(server.Url()), log);
        Assert.Equal(Fixture[Mnist.TrainImagesFile], File.ReadAllBytes(cache.File(Mnist.TrainImagesFile)));
        Assert.Contains("damaged, fetching it again", log.ToString());
    }

    [Fact]
    public void OfflineMachineGetsAMessageThatPointsToTheShippedSample()
    {
        var nobody = new Uri($"http://127.0.0.1:{LocalFileServer.FreePort()}/");
        using var cache = new TempFolder();
        var e = Assert.Throws<MnistDownloadException>(() => Mnist.Load(full: true, cache.Path, SourceFor(nobody), TextWriter.Null));
        Assert.Contains("offline", e.Message);
        Assert.Contains("Mnist.LoadSample()", e.Message);
        Assert.Contains(cache.Path, e.Message);
        Assert.Empty(Directory.GetFiles(cache.Path));
    }

    [Fact]
    public void CacheFolderFollowsTheCourseKitDataVariable()
    {
        string? before = Environment.GetEnvironmentVariable("COURSEKIT_DATA");
        try
        {
            Environment.SetEnvironmentVariable("COURSEKIT_DATA", "/some/data");
            Assert.Equal(Path.Combine("/some/data", "mnist"), Mnist.DefaultCacheFolder());
            Environment.SetEnvironmentVariable("COURSEKIT_DATA", null);
            Assert.EndsWith(Path.Combine(".cache", "coursekit", "mnist"), Mnist.DefaultCacheFolder());
        }
        finally { Environment.SetEnvironmentVariable("COURSEKIT_DATA", before); }
    }
}
