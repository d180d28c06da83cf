using System.Buffers.Binary;
using System.IO.Compression;

namespace CourseKit.Data;

/// <summary>
/// An n-dimensional array of unsigned bytes as stored in an IDX file (the MNIST format):
/// <see cref="Dimensions"/> in order, <see cref="Data"/> in row-major order.
/// </summary>
public sealed record IdxArray(int[] Dimensions, byte[] Data)
{
    /// <summary>Number of elements: the product of the dimensions.</summary>
    public long ElementCount => Dimensions.Aggregate(1L, (n, d) => n * d);

    public override string ToString() => $"IDX ubyte ({string.Join(", ", Dimensions)})";
}

/// <summary>
/// Reads and writes the IDX format of LeCun's MNIST files, plain or gzip-compressed.
/// Layout (big-endian): 0x00 0x00, element type (0x08 = unsigned byte), number of dimensions,
/// then each dimension as a 32-bit integer, then the elements in row-major order.
/// </summary>
public static class Idx
{
    /// <summary>The IDX type code of unsigned bytes, the only type MNIST uses.</summary>
    public const byte UnsignedByte = 0x08;

    private static ReadOnlySpan<byte> GzipMagic => [0x1F, 0x8B];

    /// <summary>Reads an IDX file; gzip is detected from the file's first two bytes, not its name.</summary>
    public static IdxArray Read(string path)
    {
        using var file = File.OpenRead(path);
        return Read(file, Path.GetFileName(path));
    }

    /// <summary>Reads an IDX array from a stream (plain or gzip); <paramref name="name"/> is used in error messages.</summary>
    public static IdxArray Read(Stream stream, string name)
    {
        var buffered = new BufferedStream(stream, 1 << 16);
        Span<byte> head = stackalloc byte[2];
        int got = ReadUpTo(buffered, head);
        bool gzip = got == 2 && head.SequenceEqual(GzipMagic);
        var prefix = head[..got].ToArray();
        if (!gzip) return ReadPlain(new PrefixedStream(prefix, buffered), name);
        using var unzipped = new GZipStream(new PrefixedStream(prefix, buffered), CompressionMode.Decompress);
        try
        {
            return ReadPlain(unzipped, name);
        }
        catch (InvalidDataException e)
        {
            throw new IdxFormatException($"{name}: the gzip data is damaged or truncated ({e.Message}). Delete the file and fetch it again.");
        }
    }

    private static IdxArray ReadPlain(Stream stream, string name)
    {
        Span<byte> magic = stackalloc byte[4];
        int got = ReadUpTo(stream, magic);
        if (got < 4)
            throw new IdxFormatException($"{name}: the file is truncated: it has {got} bytes, fewer than the 4 of an IDX magic number.");
        if (magic[0] != 0 || magic[1] != 0)
            throw new IdxFormatException(
                $"{name}: wrong magic number 0x{magic[0]:X2}{magic[1]:X2}{magic[2]:X2}{magic[3]:X2}: an IDX file starts with 0x0000 " +
                "followed by the type (0x08) and the number of dimensions (e.g. 0x00000803 for MNIST images, 0x00000801 for labels).");
        if (magic[2] != UnsignedByte)
            throw new IdxFormatException($"{name}: element type 0x{magic[2]:X2} is not supported; only unsigned bytes (0x08), as in MNIST, are.");
        int rank = magic[3];
        if (rank == 0)
            throw new IdxFormatException($"{name}: the magic number 0x{magic[0]:X2}{magic[1]:X2}{magic[2]:X2}{magic[3]:X2} declares 0 dimensions.");

        var header = new byte[4 * rank];
        got = ReadUpTo(stream, header);
        if (got < header.Length)
            throw new IdxFormatException($"{name}: the file is truncated inside its header: {rank} dimensions need {header.Length} bytes, only {got} follow the magic number.");
        var dims = new int[rank];
        long count = 1;
        for (int d = 0; d < rank; d++)
        {
            dims[d] = BinaryPrimitives.ReadInt32BigEndian(header.AsSpan(4 * d));
            if (dims[d] < 0) throw new IdxFormatException($"{name}: dimension {d} is negative ({dims[d]}).");
            count *= dims[d];
        }
        if (count > Array.MaxLength)
            throw new IdxFormatException($"{name}: dimensions ({string.Join(", ", dims)}) declare {count} bytes, more than one array can hold.");

        var data = new byte[count];
        got = ReadUpTo(stream, data);
        if (got < data.Length)
            throw new IdxFormatException(
                $"{name}: the file is truncated: dimensions ({string.Join(", ", dims)}) need {data.Length:N0} data bytes, only {got:N0} are there.");
        Span<byte> extra = stackalloc byte[1];
        if (ReadUpTo(stream, extra) != 0)
            throw new IdxFormatException($"{name}: there are bytes after the {data.Length:N0} that dimensions ({string.Join(", ", dims)}) declare; the file is not a single IDX array.");
        return new IdxArray(dims, data);
    }

    /// <summary>Writes an IDX array; with <paramref name="gzip"/> it is compressed (header time stamp 0, so output is reproducible).</summary>
    public static void Write(string path, IdxArray array, bool gzip)
    {
        using var file = File.Create(path);
        Write(file, array, gzip);
    }

    /// <summary>Writes an IDX array to a stream, compressed with gzip when asked.</summary>
    public static void Write(Stream stream, IdxArray array, bool gzip)
    {
        if (array.Dimensions.Length is 0 or > 255)
            throw new ArgumentException($"Idx.Write: an IDX array has 1 to 255 dimensions, not {array.Dimensions.Length}.");
        if (array.ElementCount != array.Data.Length)
            throw new ArgumentException($"Idx.Write: dimensions ({string.Join(", ", array.Dimensions)}) need {array.ElementCount} bytes, but the data has {array.Data.Length}.");
        if (!gzip)
        {
            WritePlain(stream, array);
            return;
        }
        // .NET's gzip writer puts 0 in the header's time field, so equal input gives equal bytes.
        using var zip = new GZipStream(stream, CompressionLevel.SmallestSize, leaveOpen: true);
        WritePlain(zip, array);
    }

    private static void WritePlain(Stream stream, IdxArray array)
    {
        var header = new byte[4 + 4 * array.Dimensions.Length];
        header[2] = UnsignedByte;
        header[3] = (byte)array.Dimensions.Length;
        for (int d = 0; d < array.Dimensions.Length; d++)
            BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4 + 4 * d), array.Dimensions[d]);
        stream.Write(header);
        stream.Write(array.Data);
    }

    /// <summary>Fills as much of <paramref name="buffer"/> as the stream has; returns how many bytes were read.</summary>
    private static int ReadUpTo(Stream stream, Span<byte> buffer) => stream.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false);

    /// <summary>A few already-read bytes followed by the rest of a stream (to sniff the gzip magic without seeking).</summary>
    private sealed class PrefixedStream(byte[] prefix, Stream rest) : Stream
    {
        private int position;

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            if (position < prefix.Length)
            {
                int n = Math.Min(buffer.Length, prefix.Length - position);
                prefix.AsSpan(position, n).CopyTo(buffer);
                position += n;
                return n;
            }
            return rest.Read(buffer);
        }

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}

/// <summary>An IDX file that cannot be read: the message names the file and what is wrong with it.</summary>
public sealed class IdxFormatException(string message) : IOException(message);
