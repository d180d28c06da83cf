using System.Formats.Tar;
using System.IO.Compression;
using System.Security.Cryptography;
using CourseKit.Data;

namespace CourseKit.Tests.Data;

/// <summary>
/// The CIFAR-10 download path against a local HTTP server serving a .tar.gz built here from the shared sample (its
/// first 40 training and 15 test records, in the original archive's layout): checksums, atomic unpacking, the cache,
/// and archives that are cut short or corrupted.
/// </summary>
public sealed class Cifar10DownloadTests
{
    private const string ArchiveName = "cifar-10-binary.tar.gz";
    private static readonly string[] Members = [Cifar10.TrainBatchFile(1), Cifar10.TestBatchFile, Cifar10.MetaFile];

    private static readonly Lazy<(byte[] Archive, Dictionary<string, byte[]> Files)> Fixture = new(() =>
    {
        string sample = Cifar10ReadTests.SampleFolder;
        var files = new Dictionary<string, byte[]>
        {
            [Cifar10.TrainBatchFile(1)] = File.ReadAllBytes(Path.Combine(sample, Cifar10.TrainBatchFile(1)))[..(40 * 3073)],
            [Cifar10.TestBatchFile] = File.ReadAllBytes(Path.Combine(sample, Cifar10.TestBatchFile))[..(15 * 3073)],
            [Cifar10.MetaFile] = File.ReadAllBytes(Path.Combine(sample, Cifar10.MetaFile)),
        };
        return (Archive(files.Select(f => ($"cifar-10-batches-bin/{f.Key}", f.Value))), files);
    });

    private static byte[] Archive(IEnumerable<(string Name, byte[] Bytes)> entries)
    {
        using var stream = new MemoryStream();
        using (var gzip = new GZipStream(stream, CompressionLevel.Fastest, leaveOpen: true))
        using (var tar = new TarWriter(gzip, TarEntryFormat.Pax))
        {
            tar.WriteEntry(new PaxTarEntry(TarEntryType.Directory, "cifar-10-batches-bin/"));
            foreach (var (name, bytes) in entries)
                tar.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, name) { DataStream = new MemoryStream(bytes) });
        }
        return stream.ToArray();
    }

    private static Cifar10Source SourceFor(byte[] archive, params Uri[] mirrors) => new(
        mirrors,
        new RemoteFile(ArchiveName, Convert.ToHexStringLower(SHA256.HashData(archive)), archive.Length)
        {
            Md5 = Convert.ToHexStringLower(MD5.HashData(archive)),
        },
        Members)
    {
        RetryDelay = TimeSpan.Zero,
    };

    private static LocalFileServer Serving(byte[] archive) =>
        LocalFileServer.ServingFiles(new Dictionary<string, byte[]> { ["/" + ArchiveName] = archive });

    [Fact]
    public void DownloadsTheArchiveChecksItUnpacksTheBatchesAndLoadsThem()
    {
        var (archive, files) = Fixture.Value;
        using var server = Serving(archive);
        using var cache = new TempFolder();
        var log = new StringWriter();
        Cifar10.Download(cache.File("cifar10"), SourceFor(archive, server.Url()), log);
        var (train, test) = Cifar10.LoadFrom(cache.File("cifar10"));
        Assert.Equal(40, train.Count);
        Assert.Equal(15, test.Count);
        Assert.Equal(Cifar10.ReadBatch(Path.Combine(Cifar10ReadTests.SampleFolder, Cifar10.TestBatchFile)).Labels[..15], test.Labels);
        Assert.Equal("truck", train.ClassName(9));
        Assert.Equal(Members.Order(), Directory.GetFiles(cache.File("cifar10")).Select(Path.GetFileName).Order());
        foreach (var (name, bytes) in files) Assert.Equal(bytes, File.ReadAllBytes(Path.Combine(cache.File("cifar10"), name)));
        Assert.Equal(["cifar10"], Directory.GetFileSystemEntries(cache.Path).Select(Path.GetFileName));  // archive deleted, no temporaries
        Assert.Contains("SHA-256 and MD5 verified", log.ToString());
        Assert.Contains($"unpacked {Cifar10.TestBatchFile}", log.ToString());
    }

    [Fact]
    public void OnceDownloadedTheCacheIsUsedBeforeTheSampleWithoutAnyRequest()
    {
        var archive = Fixture.Value.Archive;
        using var server = Serving(archive);
        using var cache = new TempFolder();
        Cifar10.Download(cache.File("cifar10"), SourceFor(archive, server.Url()), TextWriter.Null);
        Cifar10.Download(cache.File("cifar10"), SourceFor(archive, server.Url()), TextWriter.Null);
        var again = Cifar10.Load(cacheFolder: cache.File("cifar10"), source: SourceFor(archive, server.Url()), log: TextWriter.Null);
        Assert.Equal(1, server.TotalRequests);
        Assert.Equal("CIFAR-10 train", again.Train.Name);  // the cache, not the shared sample
        Assert.Equal(40, again.Train.Count);
    }

    [Fact]
    public void TruncatedArchiveIsRejectedAndNothingIsLeftBehind()
    {
        var archive = Fixture.Value.Archive;
        using var server = Serving(archive[..(archive.Length / 2)]);
        using var cache = new TempFolder();
        var e = Assert.Throws<Cifar10DownloadException>(() =>
            Cifar10.Download(cache.File("cifar10"), SourceFor(archive, server.Url()), TextWriter.Null));
        Assert.Contains($"could not download {ArchiveName}", e.Message);
        Assert.Contains("rejected, SHA-256", e.Message);
        Assert.Contains($"{archive.Length / 2:N0} bytes received", e.Message);
        Assert.Empty(Directory.GetFileSystemEntries(cache.Path));
        Assert.Equal(1, server.TotalRequests);  // a wrong checksum is not retried from the same mirror
    }

    [Fact]
    public void CorruptedArchiveIsRejectedAndTheNextMirrorIsUsed()
    {
        var archive = Fixture.Value.Archive;
        var corrupted = (byte[])archive.Clone();
        corrupted[corrupted.Length / 3] ^= 0x10;
        using var server = LocalFileServer.ServingFiles(new Dictionary<string, byte[]>
        {
            ["/bad/" + ArchiveName] = corrupted,
            ["/good/" + ArchiveName] = archive,
        });
        using var cache = new TempFolder();
        var log = new StringWriter();
        Cifar10.Download(cache.File("cifar10"), SourceFor(archive, server.Url("bad/"), server.Url("good/")), log);
        Assert.Contains("rejected, SHA-256", log.ToString());
        Assert.True(Cifar10.IsComplete(cache.File("cifar10"), SourceFor(archive)));
        Assert.Equal(1, server.RequestsFor("/bad/" + ArchiveName));
    }

    [Fact]
    public void ArchiveWithTheRightSha256ButAnotherMd5IsRejected()
    {
        var archive = Fixture.Value.Archive;
        using var server = Serving(archive);
        using var cache = new TempFolder();
        var source = SourceFor(archive, server.Url()) with { Archive = SourceFor(archive).Archive with { Md5 = new string('0', 32) } };
        var e = Assert.Throws<Cifar10DownloadException>(() => Cifar10.Download(cache.File("cifar10"), source, TextWriter.Null));
        Assert.Contains("rejected, MD5", e.Message);
        Assert.Empty(Directory.GetFileSystemEntries(cache.Path));
    }

    [Fact]
    public void ArchiveThatPassesItsChecksumButIsCutShortFailsToUnpackAndLeavesNoHalfSet()
    {
        // A source that publishes the checksum of a cut archive: the download is accepted, unpacking must fail.
        var cut = Fixture.Value.Archive[..(Fixture.Value.Archive.Length * 2 / 3)];
        using var server = Serving(cut);
        using var cache = new TempFolder();
        var e = Assert.ThrowsAny<IOException>(() => Cifar10.Download(cache.File("cifar10"), SourceFor(cut, server.Url()), TextWriter.Null));
        Assert.Contains(ArchiveName, e.Message);
        Assert.Empty(Directory.GetFileSystemEntries(cache.Path));  // no cifar10 folder, no temporary folder, archive deleted
    }

    [Fact]
    public void ArchiveWithoutTheExpectedBatchesIsRejected()
    {
        var other = Archive([("cifar-10-batches-py/data_batch_1", new byte[100])]);
        using var server = Serving(other);
        using var cache = new TempFolder();
        var e = Assert.Throws<Cifar10DownloadException>(() => Cifar10.Download(cache.File("cifar10"), SourceFor(other, server.Url()), TextWriter.Null));
        Assert.Contains("cifar-10-batches-bin/test_batch.bin", e.Message);
        Assert.Contains("not the binary version", e.Message);
        Assert.Empty(Directory.GetFileSystemEntries(cache.Path));
    }

    [Fact]
    public void OfflineMachineGetsAMessageThatSaysWhereToGetTheData()
    {
        var archive = Fixture.Value.Archive;
        var nobody = new Uri($"http://127.0.0.1:{LocalFileServer.FreePort()}/");
        using var cache = new TempFolder();
        var e = Assert.Throws<Cifar10DownloadException>(() => Cifar10.Download(cache.File("cifar10"), SourceFor(archive, nobody), TextWriter.Null));
        Assert.Contains("offline", e.Message);
        Assert.Contains("cifar10-sample", e.Message);
        Assert.Contains(cache.File("cifar10"), e.Message);
        Assert.Empty(Directory.GetFileSystemEntries(cache.Path));
    }

    [Fact]
    public void OfficialSourceNamesThePublishedChecksumsAndTheSevenFiles()
    {
        var official = Cifar10Source.Official;
        Assert.Equal("c32a1d4ab5d03f1284b67883e8d87530", official.Archive.Md5);
        Assert.Equal(170_052_171, official.Archive.Size);
        Assert.Equal(7, official.Members.Count);
        Assert.EndsWith(Path.Combine(".cache", "coursekit", "cifar10"), Environment.GetEnvironmentVariable("COURSEKIT_DATA") is null ? Cifar10.DefaultCacheFolder() : Path.Combine(".cache", "coursekit", "cifar10"));
    }
}
