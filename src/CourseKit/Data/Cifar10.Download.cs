using System.Formats.Tar;
using System.IO.Compression;

namespace CourseKit.Data;

/// <summary>
/// Where the full CIFAR-10 comes from: mirrors (each URL is mirror + archive name), the archive with its checksums,
/// and the files (<see cref="Members"/>) it must hold in its folder <see cref="ArchiveFolder"/>.
/// <see cref="Official"/> is the authors' binary version; tests serve their own archive from a local server.
/// </summary>
public sealed record Cifar10Source(IReadOnlyList<Uri> Mirrors, RemoteFile Archive, IReadOnlyList<string> Members)
{
    /// <summary>
    /// The "binary version (suitable for C programs)" of the authors' page: 170,052,171 bytes, the MD5 published there
    /// (c32a1d4a…) and its SHA-256.
    /// </summary>
    public static Cifar10Source Official => new(
        [new Uri("https://www.cs.toronto.edu/~kriz/")],
        new RemoteFile("cifar-10-binary.tar.gz", "c4a38c50a1bc5f3a1c5537f2155ab9d68f9f25eb1ed8d9ddda3db29a59bca1dd", 170_052_171)
        {
            Md5 = "c32a1d4ab5d03f1284b67883e8d87530",
        },
        [.. Enumerable.Range(1, 5).Select(Cifar10.TrainBatchFile), Cifar10.TestBatchFile, Cifar10.MetaFile]);

    /// <summary>The folder inside the archive that holds the batches.</summary>
    public string ArchiveFolder { get; init; } = "cifar-10-batches-bin";

    /// <summary>Time allowed for the archive from one mirror (170 MB).</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromMinutes(30);

    /// <summary>How often a mirror is tried when it fails with a network error.</summary>
    public int AttemptsPerMirror { get; init; } = 2;

    /// <summary>Pause before going through the mirrors again after network errors.</summary>
    public TimeSpan RetryDelay { get; init; } = TimeSpan.FromSeconds(2);
}

/// <summary>Downloading or unpacking CIFAR-10 failed; the message says what happened and what to do instead.</summary>
public sealed class Cifar10DownloadException(string message) : IOException(message);

public static partial class Cifar10
{
    /// <summary>$COURSEKIT_DATA/cifar10 when that variable is set, otherwise ~/.cache/coursekit/cifar10.</summary>
    public static string DefaultCacheFolder() => DataFolder.Cache("cifar10");

    /// <summary>True when <paramref name="folder"/> holds every file of <paramref name="source"/>.</summary>
    public static bool IsComplete(string folder, Cifar10Source source) =>
        Directory.Exists(folder) && source.Members.All(m => File.Exists(Path.Combine(folder, m)));

    /// <summary>
    /// Makes sure <paramref name="folder"/> holds the batches of <paramref name="source"/>: downloads the archive beside
    /// it (checked by SHA-256 and MD5, renamed only when intact), unpacks the expected files into a temporary folder and
    /// renames that folder to <paramref name="folder"/> only when all are there, so an interrupted download or
    /// extraction never leaves a half set. The archive is deleted afterwards.
    /// </summary>
    public static void Download(string folder, Cifar10Source source, TextWriter? log = null)
    {
        log ??= Console.Out;
        if (IsComplete(folder, source)) return;
        folder = Path.GetFullPath(folder);
        string parent = Path.GetDirectoryName(folder)!;
        Directory.CreateDirectory(parent);
        string archive = Path.Combine(parent, source.Archive.Name);
        if (!FileDownload.IsCachedIntact(archive, source.Archive, log))
        {
            var policy = new FileDownload.Policy(source.Timeout, source.AttemptsPerMirror, source.RetryDelay);
            FileDownload.Fetch(source.Mirrors, source.Archive, archive, policy, log, (reason, failures) => new Cifar10DownloadException(
                $"CIFAR-10: could not download {source.Archive.Name} into {parent}. {reason}\n" + failures +
                "What to do: check the internet connection and run again; or download the binary version from " +
                "https://www.cs.toronto.edu/~kriz/cifar.html by hand and unpack its files " +
                $"({string.Join(", ", source.Members)}) into {folder}; " +
                "or work with the 10,000-image sample: put shared/data/cifar10-sample beside the repository and call Cifar10.LoadSample()."));
        }
        string unpacking = $"{folder}.{Guid.NewGuid():N}.part";
        try
        {
            try { Extract(archive, source, unpacking, log); }
            catch { File.Delete(archive); throw; }  // a checksum-accepted archive that fails to unpack is fetched anew next time
            if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);  // an incomplete set from elsewhere
            Directory.Move(unpacking, folder);                                        // atomic within one parent folder
            log.WriteLine($"  CIFAR-10 unpacked into {folder}.");
        }
        finally
        {
            if (Directory.Exists(unpacking)) Directory.Delete(unpacking, recursive: true);
        }
        File.Delete(archive);
    }

    /// <summary>Unpacks the expected members (and nothing else: no path from the archive is trusted) with the framework's gzip and tar readers.</summary>
    private static void Extract(string archive, Cifar10Source source, string into, TextWriter log)
    {
        Directory.CreateDirectory(into);
        var wanted = source.Members.ToDictionary(m => $"{source.ArchiveFolder}/{m}", m => m);
        var found = new HashSet<string>();
        try
        {
            using var file = File.OpenRead(archive);
            using var gzip = new GZipStream(file, CompressionMode.Decompress);
            using var tar = new TarReader(gzip);
            for (TarEntry? entry; (entry = tar.GetNextEntry()) is not null;)
            {
                string entryName = entry.Name.StartsWith("./", StringComparison.Ordinal) ? entry.Name[2..] : entry.Name;
                if (entry.EntryType is not (TarEntryType.RegularFile or TarEntryType.V7RegularFile) || !wanted.TryGetValue(entryName, out var member))
                    continue;
                using (var output = File.Create(Path.Combine(into, member)))
                    entry.DataStream?.CopyTo(output);
                found.Add(member);
                log.WriteLine($"  unpacked {member}");
            }
        }
        catch (Exception e) when (e is InvalidDataException or EndOfStreamException or FormatException)
        {
            throw new Cifar10DownloadException(
                $"CIFAR-10: the archive {archive} cannot be unpacked ({e.Message}); it is damaged although its checksum was accepted. " +
                "It has been deleted: run again to download it anew.");
        }
        var missing = source.Members.Where(m => !found.Contains(m)).ToList();
        if (missing.Count > 0)
            throw new Cifar10DownloadException(
                $"CIFAR-10: the archive {Path.GetFileName(archive)} does not hold {string.Join(", ", missing.Select(m => $"{source.ArchiveFolder}/{m}"))}; " +
                "it is not the binary version of CIFAR-10. It has been deleted.");
        foreach (var member in source.Members.Where(m => m.EndsWith(".bin", StringComparison.Ordinal)))
            ReadBatch(Path.Combine(into, member));  // every record checked before the set counts as there
    }
}
