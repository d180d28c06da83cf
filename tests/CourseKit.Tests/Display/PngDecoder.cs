using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using CourseKit.Display;

namespace CourseKit.Tests.Display;

/// <summary>
/// An independent PNG reader for the tests: checks the signature and every chunk CRC,
/// inflates IDAT with ZLibStream and undoes the five row filters.
/// </summary>
internal static class PngDecoder
{
    public sealed record Chunk(string Type, byte[] Data, uint StoredCrc);

    public sealed record Decoded(int Width, int Height, int Channels, byte[] Pixels, IReadOnlyList<Chunk> Chunks);

    public static IReadOnlyList<Chunk> ReadChunks(byte[] file)
    {
        Assert.True(file.AsSpan(0, 8).SequenceEqual(new byte[] { 137, 80, 78, 71, 13, 10, 26, 10 }), "PNG signature missing");
        var chunks = new List<Chunk>();
        int pos = 8;
        while (pos < file.Length)
        {
            int length = BinaryPrimitives.ReadInt32BigEndian(file.AsSpan(pos));
            string type = Encoding.ASCII.GetString(file, pos + 4, 4);
            var data = file.AsSpan(pos + 8, length).ToArray();
            uint stored = BinaryPrimitives.ReadUInt32BigEndian(file.AsSpan(pos + 8 + length));
            chunks.Add(new Chunk(type, data, stored));
            pos += 12 + length;
        }
        Assert.Equal(file.Length, pos);
        return chunks;
    }

    /// <summary>A bit-by-bit CRC-32 (no table), independent of the library's table-driven one.</summary>
    public static uint BitwiseCrc(ReadOnlySpan<byte> bytes)
    {
        uint crc = 0xFFFFFFFF;
        foreach (byte b in bytes)
        {
            crc ^= b;
            for (int k = 0; k < 8; k++)
                crc = (crc >> 1) ^ (0xEDB88320u & (uint)-(int)(crc & 1));
        }
        return ~crc;
    }

    public static Decoded Decode(byte[] file)
    {
        var chunks = ReadChunks(file);
        foreach (var chunk in chunks)
        {
            var typeAndData = Encoding.ASCII.GetBytes(chunk.Type).Concat(chunk.Data).ToArray();
            Assert.True(BitwiseCrc(typeAndData) == chunk.StoredCrc, $"CRC mismatch in chunk {chunk.Type}");
        }
        Assert.Equal("IHDR", chunks[0].Type);
        Assert.Equal("IEND", chunks[^1].Type);
        var header = chunks[0].Data;
        int width = BinaryPrimitives.ReadInt32BigEndian(header);
        int height = BinaryPrimitives.ReadInt32BigEndian(header.AsSpan(4));
        Assert.Equal(8, header[8]);
        int channels = header[9] switch { 0 => 1, 2 => 3, 6 => 4, var t => throw new Xunit.Sdk.XunitException($"unexpected colour type {t}") };
        Assert.Equal(0, header[12]);

        var compressed = chunks.Where(c => c.Type == "IDAT").SelectMany(c => c.Data).ToArray();
        using var inflater = new ZLibStream(new MemoryStream(compressed), CompressionMode.Decompress);
        using var raw = new MemoryStream();
        inflater.CopyTo(raw);
        var filtered = raw.ToArray();
        int stride = width * channels;
        Assert.Equal(height * (stride + 1), filtered.Length);

        var pixels = new byte[height * stride];
        for (int y = 0; y < height; y++)
        {
            byte filter = filtered[y * (stride + 1)];
            for (int i = 0; i < stride; i++)
            {
                int a = i >= channels ? pixels[y * stride + i - channels] : 0;
                int b = y > 0 ? pixels[(y - 1) * stride + i] : 0;
                int c = i >= channels && y > 0 ? pixels[(y - 1) * stride + i - channels] : 0;
                int prediction = filter switch
                {
                    0 => 0,
                    1 => a,
                    2 => b,
                    3 => (a + b) / 2,
                    4 => PaethSpec(a, b, c),
                    _ => throw new Xunit.Sdk.XunitException($"unknown filter {filter}"),
                };
                pixels[y * stride + i] = (byte)(filtered[y * (stride + 1) + 1 + i] + prediction);
            }
        }
        return new Decoded(width, height, channels, pixels, chunks);
    }

    // Written from the PNG specification, section 9.4.
    private static int PaethSpec(int a, int b, int c)
    {
        int p = a + b - c;
        int pa = Math.Abs(p - a), pb = Math.Abs(p - b), pc = Math.Abs(p - c);
        if (pa <= pb && pa <= pc) return a;
        if (pb <= pc) return b;
        return c;
    }

    public static Decoded Decode(Image image) => Decode(image.ToPng());
}
