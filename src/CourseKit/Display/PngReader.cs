using System.Buffers.Binary;
using System.IO.Compression;

namespace CourseKit.Display;

/// <summary>
/// A small PNG decoder for the course's data sets (the Sunnybrook and ISBI images): 8-bit grayscale or RGB, with or
/// without alpha (dropped), non-interlaced. The file is the signature and chunks (length, type, data, CRC-32);
/// the IDAT chunks together are a zlib stream of rows, each a filter byte (0 none, 1 sub, 2 up, 3 average, 4 Paeth)
/// followed by the row's bytes as differences from a prediction; decoding adds the prediction back.
/// </summary>
public static class PngReader
{
    /// <summary>Reads a PNG file into an <see cref="Image"/> (1 channel for gray, 3 for colour).</summary>
    public static Image Read(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"PNG file not found: {path}", path);
        return Decode(File.ReadAllBytes(path), path);
    }

    /// <summary>Decodes PNG file bytes; <paramref name="name"/> names the file in errors.</summary>
    public static Image Decode(ReadOnlySpan<byte> file, string name = "PNG data")
    {
        if (file.Length < 8 || !file[..8].SequenceEqual(Png.Signature))
            throw new InvalidDataException($"{name}: not a PNG file (the first 8 bytes are not the PNG signature).");
        int width = 0, height = 0, colorType = -1;
        using var compressed = new MemoryStream();
        int pos = 8;
        while (true)
        {
            if (pos + 12 > file.Length) throw new InvalidDataException($"{name}: the file ends inside a chunk at byte {pos}; it is truncated.");
            int length = BinaryPrimitives.ReadInt32BigEndian(file[pos..]);
            if (length < 0 || pos + 12 + length > file.Length) throw new InvalidDataException($"{name}: a chunk at byte {pos} runs past the end of the file; it is truncated.");
            var typeAndData = file.Slice(pos + 4, 4 + length);
            string type = System.Text.Encoding.ASCII.GetString(typeAndData[..4]);
            if (Crc32.Compute(typeAndData) != BinaryPrimitives.ReadUInt32BigEndian(file[(pos + 8 + length)..]))
                throw new InvalidDataException($"{name}: the CRC of chunk {type} at byte {pos} is wrong; the file is damaged.");
            var data = typeAndData[4..];
            if (type == "IHDR")
            {
                width = BinaryPrimitives.ReadInt32BigEndian(data);
                height = BinaryPrimitives.ReadInt32BigEndian(data[4..]);
                colorType = data[9];
                if (data[8] != 8 || colorType is not (0 or 2 or 4 or 6) || data[12] != 0)
                    throw new NotSupportedException($"{name}: only 8-bit gray or RGB (optionally with alpha), non-interlaced PNGs are read; this one has bit depth {data[8]}, colour type {colorType}, interlace {data[12]}.");
            }
            else if (type == "IDAT") compressed.Write(data);
            else if (type == "IEND") break;
            pos += 12 + length;
        }
        if (colorType < 0) throw new InvalidDataException($"{name}: no IHDR chunk.");
        int stored = colorType switch { 0 => 1, 2 => 3, 4 => 2, _ => 4 };
        int stride = width * stored;
        var raw = new byte[height * (stride + 1)];
        compressed.Position = 0;
        using (var inflater = new ZLibStream(compressed, CompressionMode.Decompress))
        {
            int read = 0;
            while (read < raw.Length)
            {
                int n = inflater.Read(raw, read, raw.Length - read);
                if (n == 0) throw new InvalidDataException($"{name}: the image data holds {read} bytes, but {width}x{height} pixels need {raw.Length}.");
                read += n;
            }
        }
        var pixels = new byte[height * stride];
        for (int y = 0; y < height; y++)
        {
            int filter = raw[y * (stride + 1)];
            var row = raw.AsSpan(y * (stride + 1) + 1, stride);
            var current = pixels.AsSpan(y * stride, stride);
            var above = y > 0 ? pixels.AsSpan((y - 1) * stride, stride) : Span<byte>.Empty;
            for (int i = 0; i < stride; i++)
            {
                int a = i >= stored ? current[i - stored] : 0;        // left
                int b = y > 0 ? above[i] : 0;                          // up
                int c = i >= stored && y > 0 ? above[i - stored] : 0;  // up-left
                int prediction = filter switch
                {
                    0 => 0,
                    1 => a,
                    2 => b,
                    3 => (a + b) >> 1,
                    4 => Paeth(a, b, c),
                    _ => throw new InvalidDataException($"{name}: row {y} has filter type {filter}; PNG defines 0 to 4."),
                };
                current[i] = (byte)(row[i] + prediction);
            }
        }
        int channels = colorType is 0 or 4 ? 1 : 3;
        if (channels == stored) return new Image(width, height, channels, pixels);
        var withoutAlpha = new byte[width * height * channels];   // drop the alpha byte of each pixel
        for (int p = 0; p < width * height; p++)
            for (int ch = 0; ch < channels; ch++) withoutAlpha[p * channels + ch] = pixels[p * stored + ch];
        return new Image(width, height, channels, withoutAlpha);
    }

    // The neighbour (left, up or up-left) closest to left + up − up-left.
    private static int Paeth(int a, int b, int c)
    {
        int p = a + b - c;
        int pa = Math.Abs(p - a), pb = Math.Abs(p - b), pc = Math.Abs(p - c);
        return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
    }
}
