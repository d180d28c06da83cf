using CourseKit.Data;

namespace CourseKit.Tests.Data;

public sealed class IdxTests
{
    private static IdxArray RandomArray(int seed, params int[] dims)
    {
        var data = new byte[dims.Aggregate(1, (n, d) => n * d)];
        new Random(seed).NextBytes(data);
        return new IdxArray(dims, data);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void WriteThenReadGivesBackDimensionsAndBytes(bool gzip)
    {
        using var folder = new TempFolder();
        var original = RandomArray(1, 3, 4, 5);
        Idx.Write(folder.File("a.idx"), original, gzip);
        var read = Idx.Read(folder.File("a.idx"));
        Assert.Equal(original.Dimensions, read.Dimensions);
        Assert.Equal(original.Data, read.Data);
    }

    [Fact]
    public void GzipIsDetectedFromTheMagicBytesNotTheFileName()
    {
        using var folder = new TempFolder();
        var original = RandomArray(2, 7);
        Idx.Write(folder.File("compressed.idx"), original, gzip: true);
        Idx.Write(folder.File("plain.gz"), original, gzip: false);
        Assert.Equal([0x1F, 0x8B], File.ReadAllBytes(folder.File("compressed.idx"))[..2]);
        Assert.Equal(original.Data, Idx.Read(folder.File("compressed.idx")).Data);
        Assert.Equal(original.Data, Idx.Read(folder.File("plain.gz")).Data);
    }

    [Fact]
    public void PlainFileHasTheMnistHeaderLayout()
    {
        using var stream = new MemoryStream();
        Idx.Write(stream, new IdxArray([2, 3], [1, 2, 3, 4, 5, 6]), gzip: false);
        // 0x00000802 (ubyte, 2 dims), then 2 and 3 big-endian, then the data.
        Assert.Equal(new byte[] { 0, 0, 8, 2, 0, 0, 0, 2, 0, 0, 0, 3, 1, 2, 3, 4, 5, 6 }, stream.ToArray());
    }

    [Fact]
    public void GzipOutputIsReproducibleWithZeroTimestamp()
    {
        var array = RandomArray(3, 10, 10);
        using var first = new MemoryStream();
        using var second = new MemoryStream();
        Idx.Write(first, array, gzip: true);
        Idx.Write(second, array, gzip: true);
        Assert.Equal(first.ToArray(), second.ToArray());
        Assert.Equal(new byte[4], first.ToArray()[4..8]); // gzip MTIME field
    }

    [Fact]
    public void WrongMagicNumberIsRejectedNamingTheFile()
    {
        using var folder = new TempFolder();
        File.WriteAllBytes(folder.File("images.zip"), [0x50, 0x4B, 0x03, 0x04, 0, 0, 0, 0]);
        var e = Assert.Throws<IdxFormatException>(() => Idx.Read(folder.File("images.zip")));
        Assert.Contains("images.zip", e.Message);
        Assert.Contains("wrong magic number 0x504B0304", e.Message);
    }

    [Fact]
    public void UnsupportedElementTypeIsRejected()
    {
        using var folder = new TempFolder();
        File.WriteAllBytes(folder.File("floats.idx"), [0, 0, 0x0D, 1, 0, 0, 0, 1, 0, 0, 0, 0]);
        var e = Assert.Throws<IdxFormatException>(() => Idx.Read(folder.File("floats.idx")));
        Assert.Contains("floats.idx", e.Message);
        Assert.Contains("0x0D", e.Message);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void MissingDataBytesAreReportedAsTruncation(bool gzip)
    {
        using var folder = new TempFolder();
        using (var stream = File.Create(folder.File("short.idx")))
        {
            // A header promising (4, 5) = 20 bytes followed by only 12.
            var bytes = new List<byte> { 0, 0, 8, 2, 0, 0, 0, 4, 0, 0, 0, 5 };
            bytes.AddRange(new byte[12]);
            if (gzip)
            {
                using var zip = new System.IO.Compression.GZipStream(stream, System.IO.Compression.CompressionLevel.Fastest);
                zip.Write(bytes.ToArray());
            }
            else stream.Write(bytes.ToArray());
        }
        var e = Assert.Throws<IdxFormatException>(() => Idx.Read(folder.File("short.idx")));
        Assert.Contains("short.idx", e.Message);
        Assert.Contains("truncated", e.Message);
        Assert.Contains("need 20 data bytes, only 12", e.Message);
    }

    [Fact]
    public void FileCutInsideTheHeaderIsReportedAsTruncation()
    {
        using var folder = new TempFolder();
        File.WriteAllBytes(folder.File("head.idx"), [0, 0, 8, 3, 0, 0, 0, 9, 0, 0]);
        var e = Assert.Throws<IdxFormatException>(() => Idx.Read(folder.File("head.idx")));
        Assert.Contains("head.idx", e.Message);
        Assert.Contains("truncated inside its header", e.Message);
    }

    [Fact]
    public void CutGzipFileIsReportedAsDamagedOrTruncated()
    {
        using var folder = new TempFolder();
        Idx.Write(folder.File("cut.gz"), RandomArray(4, 50, 28, 28), gzip: true);
        var full = File.ReadAllBytes(folder.File("cut.gz"));
        File.WriteAllBytes(folder.File("cut.gz"), full[..(full.Length / 2)]);
        var e = Assert.Throws<IdxFormatException>(() => Idx.Read(folder.File("cut.gz")));
        Assert.Contains("cut.gz", e.Message);
        Assert.Contains("truncated", e.Message);
    }

    [Fact]
    public void BytesBeyondTheDeclaredDataAreRejected()
    {
        using var folder = new TempFolder();
        File.WriteAllBytes(folder.File("long.idx"), [0, 0, 8, 1, 0, 0, 0, 2, 7, 7, 7]);
        var e = Assert.Throws<IdxFormatException>(() => Idx.Read(folder.File("long.idx")));
        Assert.Contains("long.idx", e.Message);
        Assert.Contains("bytes after", e.Message);
    }

    [Fact]
    public void WriterRefusesDataThatDoesNotMatchTheDimensions()
    {
        var e = Assert.Throws<ArgumentException>(() => Idx.Write(new MemoryStream(), new IdxArray([2, 3], new byte[5]), gzip: false));
        Assert.Contains("(2, 3) need 6 bytes, but the data has 5", e.Message);
    }
}
