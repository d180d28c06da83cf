using CourseKit.Display;
using SkiaSharp;

namespace CourseKit.Tests.Display;

public sealed class PngTests
{
    public static TheoryData<int, int, int> Sizes => new()
    {
        { 1, 1, 1 }, { 1, 1, 3 }, { 17, 3, 1 }, { 5, 31, 3 }, { 28, 28, 1 }, { 33, 20, 3 },
    };

    [Theory]
    [MemberData(nameof(Sizes))]
    public void Png_random_pixels_round_trip_through_inflate_and_unfiltering(int width, int height, int channels)
    {
        var image = TestImages.Random(width, height, channels, seed: width * 100 + height + channels);
        var decoded = PngDecoder.Decode(image);
        Assert.Equal((width, height, channels), (decoded.Width, decoded.Height, decoded.Channels));
        Assert.Equal(image.Pixels.ToArray(), decoded.Pixels);
    }

    [Fact]
    public void Png_has_signature_and_IHDR_IDAT_IEND_chunks_with_correct_crcs()
    {
        var file = TestImages.Random(9, 4, 3, seed: 1).ToPng();
        Assert.Equal(Png.Signature.ToArray(), file[..8]);
        var chunks = PngDecoder.ReadChunks(file);
        Assert.Equal(["IHDR", "IDAT", "IEND"], chunks.Select(c => c.Type));
        foreach (var chunk in chunks)
        {
            var typeAndData = System.Text.Encoding.ASCII.GetBytes(chunk.Type).Concat(chunk.Data).ToArray();
            Assert.Equal(PngDecoder.BitwiseCrc(typeAndData), chunk.StoredCrc);
        }
    }

    [Fact]
    public void Png_smooth_image_uses_predicting_filters_and_compresses_below_raw_size()
    {
        var image = TestImages.Gradient(64, 48, 3);
        var file = image.ToPng();
        var decoded = PngDecoder.Decode(file);
        Assert.Equal(image.Pixels.ToArray(), decoded.Pixels);
        Assert.True(file.Length < image.Pixels.Length / 4, $"{file.Length} bytes for {image.Pixels.Length} raw bytes");
    }

    [Fact]
    public void Png_rejects_two_channels_naming_the_supported_counts()
    {
        var error = Assert.Throws<ArgumentException>(() => Png.Encode(new byte[8], 2, 2, 2));
        Assert.Contains("1 (grayscale) or 3 (RGB)", error.Message);
    }

    [Fact]
    public void Png_rejects_pixel_count_that_does_not_match_the_size()
    {
        var error = Assert.Throws<ArgumentException>(() => Png.Encode(new byte[10], 4, 3, 1));
        Assert.Contains("needs 12 bytes", error.Message);
    }

    [Fact]
    public void Png_files_open_in_skia_with_identical_pixels()
    {
        // Skia (Chromium's and Android's decoder, through SkiaSharp) is an independent PNG reader: libpng's rules,
        // zlib's inflate, its own unfiltering; it reads the saved files as any viewer would
        var images = new[]
        {
            TestImages.Random(13, 7, 1, seed: 2),
            TestImages.Random(6, 11, 3, seed: 3),
            TestImages.Gradient(40, 30, 3),
            Image.FromTensor(TestImages.RandomTensor(4, 28, 28)).Scale(3),
        };
        var dir = Directory.CreateTempSubdirectory("coursekit-png-");
        try
        {
            foreach (var (image, i) in images.Select((image, i) => (image, i)))
            {
                var path = Path.Combine(dir.FullName, $"image{i}.png");
                image.Save(path);

                var (gray, width, height, pixels) = DecodeWithSkia(path);

                Assert.Equal(image.Channels == 1, gray);
                Assert.Equal((image.Width, image.Height), (width, height));
                Assert.Equal(Convert.ToHexStringLower(image.Pixels), Convert.ToHexStringLower(pixels));
            }
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    /// <summary>Skia's decode of a PNG file: gray files as 8-bit gray, colour ones as RGB (alpha checked opaque).</summary>
    private static (bool Gray, int Width, int Height, byte[] Pixels) DecodeWithSkia(string path)
    {
        using var codec = SKCodec.Create(path, out var status);
        Assert.True(codec is not null, $"Skia could not open {path}: {status}");
        var gray = codec.Info.ColorType == SKColorType.Gray8;
        var info = new SKImageInfo(codec.Info.Width, codec.Info.Height, gray ? SKColorType.Gray8 : SKColorType.Rgba8888, SKAlphaType.Unpremul);
        using var bitmap = new SKBitmap(info);
        Assert.Equal(SKCodecResult.Success, codec.GetPixels(info, bitmap.GetPixels()));
        byte[] bytes = bitmap.Bytes;
        if (gray) return (true, info.Width, info.Height, bytes);
        Assert.All(Enumerable.Range(0, bytes.Length / 4), p => Assert.Equal(255, bytes[4 * p + 3]));
        byte[] rgb = [.. Enumerable.Range(0, bytes.Length).Where(i => i % 4 != 3).Select(i => bytes[i])];
        return (false, info.Width, info.Height, rgb);
    }
}
