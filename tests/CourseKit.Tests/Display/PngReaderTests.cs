using CourseKit.Display;

namespace CourseKit.Tests.Display;

public class PngReaderTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void Decodes_what_the_encoder_wrote(int channels)
    {
        var rng = new Random(channels);
        var pixels = new byte[13 * 7 * channels];
        rng.NextBytes(pixels);
        // Smooth rows too, so that the encoder's filters other than "none" are used.
        for (int i = 0; i < pixels.Length / 2; i++) pixels[i] = (byte)(i * 3);
        var image = new Image(13, 7, channels, pixels);
        var decoded = PngReader.Decode(image.ToPng());
        Assert.Equal((13, 7, channels), (decoded.Width, decoded.Height, decoded.Channels));
        Assert.Equal(pixels, decoded.Pixels.ToArray());
    }

    [Fact]
    public void Decodes_the_course_data_like_the_independent_test_decoder()
    {
        string root = Path.Combine(CourseKit.Tests.Notebooks.RepositoryPaths.Root, "..", "shared", "data");
        foreach (var file in new[] { "sunnybrook-lv/image/SCD0000101_048.png", "sunnybrook-lv/mask/SCD0000101_048.png", "isbi2012-em/image/00.png", "isbi2012-em/label/03.png" })
        {
            var bytes = File.ReadAllBytes(Path.Combine(root, file));
            var expected = PngDecoder.Decode(bytes);
            var actual = PngReader.Decode(bytes);
            Assert.Equal((expected.Width, expected.Height, expected.Channels), (actual.Width, actual.Height, actual.Channels));
            Assert.True(actual.Pixels.SequenceEqual(expected.Pixels), file);
        }
    }

    [Fact]
    public void A_damaged_file_names_the_problem()
    {
        var png = new Image(4, 4, 1, new byte[16]).ToPng();
        png[^20] ^= 0xFF;   // inside the IDAT chunk: its CRC no longer fits
        Assert.Contains("CRC", Assert.Throws<InvalidDataException>(() => PngReader.Decode(png, "x.png")).Message);
        Assert.Contains("not a PNG", Assert.Throws<InvalidDataException>(() => PngReader.Decode(new byte[20], "x.png")).Message);
        Assert.Contains("truncated", Assert.Throws<InvalidDataException>(() => PngReader.Decode(png.AsSpan(0, 40), "x.png")).Message);
    }
}
