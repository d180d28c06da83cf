using System.Buffers.Binary;
using System.IO.Compression;
using System.IO.Hashing;
using System.Text;

namespace CourseKit.Display;

/// <summary>
/// A small PNG encoder: 8-bit grayscale or RGB, non-interlaced.
/// A PNG file is the 8-byte signature, then chunks (length, type, data, CRC-32 of type+data):
/// IHDR (size and pixel format), IDAT (the zlib-compressed, row-filtered pixels), IEND.
/// </summary>
public static class Png
{
    /// <summary>The 8 bytes every PNG file starts with.</summary>
    public static ReadOnlySpan<byte> Signature => [137, 80, 78, 71, 13, 10, 26, 10];

    /// <summary>PNG colour types used here: 0 = grayscale, 2 = RGB.</summary>
    public static byte ColorType(int channels) => channels switch
    {
        1 => 0,
        3 => 2,
        _ => throw new ArgumentException($"PNG encoding: {channels} channels given, but only 1 (grayscale) or 3 (RGB) are supported."),
    };

    /// <summary>Encodes an image as PNG file bytes.</summary>
    public static byte[] Encode(Image image) => Encode(image.Pixels, image.Width, image.Height, image.Channels);

    /// <summary>Encodes interleaved row-major 8-bit pixels (gray, or R,G,B per pixel) as PNG file bytes.</summary>
    public static byte[] Encode(ReadOnlySpan<byte> pixels, int width, int height, int channels)
    {
        byte colorType = ColorType(channels);
        if (width <= 0 || height <= 0)
            throw new ArgumentException($"PNG encoding: an image needs a positive size, got {width}x{height}.");
        if (pixels.Length != width * height * channels)
            throw new ArgumentException($"PNG encoding: a {width}x{height} image with {channels} channel(s) needs {width * height * channels} bytes, but {pixels.Length} were given.");

        using var file = new MemoryStream();
        file.Write(Signature);

        Span<byte> header = stackalloc byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, width);
        BinaryPrimitives.WriteInt32BigEndian(header[4..], height);
        header[8] = 8;          // bit depth
        header[9] = colorType;
        header[10] = 0;         // compression: deflate
        header[11] = 0;         // filter method: the five adaptive filters
        header[12] = 0;         // no interlace
        WriteChunk(file, "IHDR", header);
        WriteChunk(file, "IDAT", Deflate(FilterRows(pixels, width, height, channels)));
        WriteChunk(file, "IEND", []);
        return file.ToArray();
    }

    private static void WriteChunk(Stream file, string type, ReadOnlySpan<byte> data)
    {
        Span<byte> word = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(word, data.Length);
        file.Write(word);
        Span<byte> typeBytes = stackalloc byte[4];
        Encoding.ASCII.GetBytes(type, typeBytes);
        file.Write(typeBytes);
        file.Write(data);
        // The CRC-32 (ISO 3309, as in zlib) covers the chunk type and data, not the length.
        var crc = new Crc32();
        crc.Append(typeBytes);
        crc.Append(data);
        BinaryPrimitives.WriteUInt32BigEndian(word, crc.GetCurrentHashAsUInt32());
        file.Write(word);
    }

    private static byte[] Deflate(byte[] raw)
    {
        using var compressed = new MemoryStream();
        using (var zlib = new ZLibStream(compressed, CompressionLevel.Optimal, leaveOpen: true))
            zlib.Write(raw);
        return compressed.ToArray();
    }

    /// <summary>
    /// Each row is stored as a filter-type byte followed by the filtered row. Filters predict a byte from its
    /// left (a), upper (b) and upper-left (c) neighbours; small residuals compress better. Per row we keep the
    /// filter with the smallest sum of |residual| (as signed bytes), the heuristic the PNG specification suggests.
    /// </summary>
    private static byte[] FilterRows(ReadOnlySpan<byte> pixels, int width, int height, int channels)
    {
        int stride = width * channels;
        var raw = new byte[height * (stride + 1)];
        var candidate = new byte[stride];
        for (int y = 0; y < height; y++)
        {
            var row = pixels.Slice(y * stride, stride);
            var above = y > 0 ? pixels.Slice((y - 1) * stride, stride) : ReadOnlySpan<byte>.Empty;
            var target = raw.AsSpan(y * (stride + 1), stride + 1);
            long best = long.MaxValue;
            for (byte filter = 0; filter <= 4; filter++)
            {
                long cost = ApplyFilter(filter, row, above, channels, candidate);
                if (cost < best)
                {
                    best = cost;
                    target[0] = filter;
                    candidate.CopyTo(target[1..]);
                }
            }
        }
        return raw;
    }

    /// <summary>Writes the residuals of one filter into <paramref name="output"/> and returns their cost.</summary>
    private static long ApplyFilter(byte filter, ReadOnlySpan<byte> row, ReadOnlySpan<byte> above, int bpp, Span<byte> output)
    {
        long cost = 0;
        for (int i = 0; i < row.Length; i++)
        {
            int a = i >= bpp ? row[i - bpp] : 0;
            int b = above.IsEmpty ? 0 : above[i];
            int c = i >= bpp && !above.IsEmpty ? above[i - bpp] : 0;
            int prediction = filter switch
            {
                0 => 0,                  // None
                1 => a,                  // Sub
                2 => b,                  // Up
                3 => (a + b) >> 1,       // Average
                _ => Paeth(a, b, c),     // Paeth
            };
            byte residual = (byte)(row[i] - prediction);
            output[i] = residual;
            cost += Math.Abs((int)(sbyte)residual);
        }
        return cost;
    }

    /// <summary>The neighbour (left, up or upper-left) closest to a + b - c.</summary>
    public static int Paeth(int a, int b, int c)
    {
        int p = a + b - c;
        int pa = Math.Abs(p - a), pb = Math.Abs(p - b), pc = Math.Abs(p - c);
        return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
    }
}
