using System.Diagnostics;
using CourseKit.Display;

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
    public void Png_files_open_in_pillow_with_identical_pixels()
    {
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
            var paths = images.Select((image, i) =>
            {
                var path = Path.Combine(dir.FullName, $"image{i}.png");
                image.Save(path);
                return path;
            }).ToArray();
            var lines = RunPillow(paths);
            Assert.Equal(images.Length, lines.Length);
            for (int i = 0; i < images.Length; i++)
            {
                var parts = lines[i].Split(' ');
                Assert.Equal(images[i].Channels == 1 ? "L" : "RGB", parts[0]);
                Assert.Equal(images[i].Width, int.Parse(parts[1]));
                Assert.Equal(images[i].Height, int.Parse(parts[2]));
                Assert.Equal(Convert.ToHexStringLower(images[i].Pixels), parts[3]);
            }
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    private const string Python = "/usr/bin/python3";

    private static string[] RunPillow(string[] paths)
    {
        Assert.True(File.Exists(Python), $"{Python} is missing: install Debian's python3 and python3-pil (ci/install-packages.sh needs them).");
        const string script = "import sys\nfrom PIL import Image\nfor p in sys.argv[1:]:\n    im = Image.open(p); im.load()\n    print(im.mode, im.size[0], im.size[1], im.tobytes().hex())\n";
        var start = new ProcessStartInfo(Python) { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(script);
        foreach (var path in paths) start.ArgumentList.Add(path);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"Pillow could not read the PNGs (is python3-pil installed?): {error}");
        return output.Result.Split('\n', StringSplitOptions.RemoveEmptyEntries);
    }
}
