using System.Diagnostics;
using CourseKit.Data;
using CourseKit.Display;

namespace CourseKit.Tests.Data;

/// <summary>
/// Image files decoded by SkiaSharp: PNGs written by CourseKit's own encoder and by Pillow, a JPEG written and decoded
/// by Pillow (the reference), folders of classes and CSV lists, and errors that name the file at fault.
/// </summary>
public sealed class ImageFileTests
{
    private static byte[] Pattern(int length, int seed)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    /// <summary>Writes an interleaved (H, W, C) pattern as PNG with CourseKit's encoder; returns the (C, H, W) planes.</summary>
    private static byte[] WritePng(string path, int width, int height, int channels, int seed)
    {
        var interleaved = Pattern(width * height * channels, seed);
        File.WriteAllBytes(path, Png.Encode(interleaved, width, height, channels));
        var planes = new byte[interleaved.Length];
        for (int i = 0; i < width * height; i++)
            for (int c = 0; c < channels; c++) planes[c * width * height + i] = interleaved[i * channels + c];
        return planes;
    }

    [Fact]
    public void ColourPngIsReadAsRedGreenBluePlanes()
    {
        using var folder = new TempFolder();
        var expected = WritePng(folder.File("a.png"), 7, 5, 3, seed: 1);
        var image = ImageFile.Read(folder.File("a.png"));
        Assert.Equal(new Shape(3, 5, 7), image.Shape);
        Assert.Equal(expected, image.Pixels);
        Assert.Equal(expected[3 * 7 + 2] / 255f, image.ToTensor()[0, 3, 2]);
    }

    [Fact]
    public void GrayPngIsOneChannelAndCanBeSpreadToThree()
    {
        using var folder = new TempFolder();
        var expected = WritePng(folder.File("g.png"), 6, 4, 1, seed: 2);
        Assert.Equal(expected, ImageFile.Read(folder.File("g.png")).Pixels);
        var colour = ImageFile.Read(folder.File("g.png"), channels: 3);
        Assert.Equal([.. expected, .. expected, .. expected], colour.Pixels);
    }

    [Fact]
    public void ColourToGrayUsesTheBt601Weights()
    {
        using var folder = new TempFolder();
        var planes = WritePng(folder.File("c.png"), 3, 3, 3, seed: 3);
        var gray = ImageFile.Read(folder.File("c.png"), channels: 1);
        for (int i = 0; i < 9; i++)
            Assert.Equal((byte)Math.Round(0.299 * planes[i] + 0.587 * planes[9 + i] + 0.114 * planes[18 + i]), gray.Pixels[i]);
    }

    [Fact]
    public void PngAndJpegWrittenByPillowDecodeAsPillowDecodesThem()
    {
        using var folder = new TempFolder();
        // Pillow writes a smooth RGB picture as PNG, RGBA PNG and JPEG, then prints what it decodes from each (R,G,B interleaved).
        const string script = """
            import sys
            from PIL import Image
            w, h = 24, 16
            im = Image.new('RGB', (w, h))
            im.putdata([((x * 10) % 256, (y * 15) % 256, (x * y * 3) % 256) for y in range(h) for x in range(w)])
            d = sys.argv[1]
            im.save(d + '/p.png'); im.save(d + '/q.jpg', quality=92)
            rgba = im.convert('RGBA'); rgba.putalpha(128); rgba.save(d + '/r.png')
            for name in ('p.png', 'q.jpg', 'r.png'):
                print(name, Image.open(d + '/' + name).convert('RGB').tobytes().hex())
            """;
        var lines = RunPython(script, folder.Path);
        foreach (var line in lines)
        {
            var (name, hex) = (line.Split(' ')[0], line.Split(' ')[1]);
            var reference = Convert.FromHexString(hex);
            var image = ImageFile.Read(folder.File(name));
            Assert.Equal(new Shape(3, 16, 24), image.Shape);
            int worst = 0;
            for (int i = 0; i < 16 * 24; i++)
                for (int c = 0; c < 3; c++)
                    worst = Math.Max(worst, Math.Abs(image.Pixels[c * 16 * 24 + i] - reference[i * 3 + c]));
            // PNG is lossless: exact. JPEG decoders may round the colour conversion and upsampling differently.
            Assert.True(worst <= (name.EndsWith(".jpg") ? 3 : 0), $"{name}: largest difference from Pillow {worst}");
        }
    }

    [Fact]
    public void FolderWithOneSubFolderPerClassLoadsAsOneTensor()
    {
        using var folder = new TempFolder();
        Directory.CreateDirectory(folder.File("dog"));
        Directory.CreateDirectory(folder.File("cat"));
        var cat0 = WritePng(folder.File("cat/0.png"), 4, 4, 3, 10);
        var cat1 = WritePng(folder.File("cat/1.png"), 4, 4, 3, 11);
        var dog0 = WritePng(folder.File("dog/0.png"), 4, 4, 3, 12);
        File.WriteAllText(folder.File("dog/notes.txt"), "not an image");
        var data = ImageDataset.FromFolder(folder.Path);
        Assert.Equal(new Shape(3, 3, 4, 4), data.Images.Shape);
        Assert.Equal([0, 0, 1], data.Labels);
        Assert.Equal(["cat", "dog"], data.ClassNames!);
        Assert.Equal([.. cat0, .. cat1, .. dog0], data.Pixels);
    }

    [Fact]
    public void CsvListsFilesWithNumericOrNamedLabels()
    {
        using var folder = new TempFolder();
        Directory.CreateDirectory(folder.File("img"));
        var a = WritePng(folder.File("img/a.png"), 2, 3, 1, 20);
        var b = WritePng(folder.File("img/b.png"), 2, 3, 1, 21);
        File.WriteAllLines(folder.File("numbers.csv"), ["file,label", "img/b.png,4", "img/a.png,1"]);
        var numbers = ImageDataset.FromCsv(folder.File("numbers.csv"));
        Assert.Equal([4, 1], numbers.Labels);
        Assert.Equal(5, numbers.ClassCount);
        Assert.Equal([.. b, .. a], numbers.Pixels);
        File.WriteAllLines(folder.File("names.csv"), ["id,path,kind", "1,img/a.png,zebra", "2,img/b.png,ant"]);
        var names = ImageDataset.FromCsv(folder.File("names.csv"), fileColumn: "path", labelColumn: "kind");
        Assert.Equal([1, 0], names.Labels);
        Assert.Equal(["ant", "zebra"], names.ClassNames!);
    }

    [Fact]
    public void ImageOfTheWrongSizeIsNamed()
    {
        using var folder = new TempFolder();
        Directory.CreateDirectory(folder.File("a"));
        WritePng(folder.File("a/0.png"), 4, 4, 3, 30);
        WritePng(folder.File("a/1.png"), 4, 5, 3, 31);
        var e = Assert.Throws<InvalidDataException>(() => ImageDataset.FromFolder(folder.Path));
        Assert.Contains(folder.File("a/1.png"), e.Message);
        Assert.Contains("4×5", e.Message);
        Assert.Contains("0.png is 4×4", e.Message);
    }

    [Fact]
    public void ImageWithAnotherChannelCountIsNamedUnlessConverted()
    {
        using var folder = new TempFolder();
        Directory.CreateDirectory(folder.File("a"));
        WritePng(folder.File("a/0.png"), 4, 4, 3, 40);
        WritePng(folder.File("a/1.png"), 4, 4, 1, 41);
        var e = Assert.Throws<InvalidDataException>(() => ImageDataset.FromFolder(folder.Path));
        Assert.Contains(folder.File("a/1.png"), e.Message);
        Assert.Contains("1 channel(s)", e.Message);
        Assert.Contains("channels: 1 or 3", e.Message);
        Assert.Equal(new Shape(2, 3, 4, 4), ImageDataset.FromFolder(folder.Path, channels: 3).Images.Shape);
    }

    [Fact]
    public void FileThatIsNotAnImageOrIsCutShortIsNamed()
    {
        using var folder = new TempFolder();
        File.WriteAllText(folder.File("x.png"), "hello");
        var e = Assert.Throws<InvalidDataException>(() => ImageFile.Read(folder.File("x.png")));
        Assert.Contains(folder.File("x.png"), e.Message);
        WritePng(folder.File("y.png"), 64, 64, 3, 50);
        var bytes = File.ReadAllBytes(folder.File("y.png"));
        File.WriteAllBytes(folder.File("y.png"), bytes[..(bytes.Length / 2)]);
        e = Assert.Throws<InvalidDataException>(() => ImageFile.Read(folder.File("y.png")));
        Assert.Contains(folder.File("y.png"), e.Message);
    }

    private static string[] RunPython(string script, params string[] args)
    {
        const string python = "/usr/bin/python3";
        Assert.True(File.Exists(python), $"{python} is missing: install Debian's python3 and python3-pil (ci/install-packages.sh).");
        var start = new ProcessStartInfo(python) { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(script);
        foreach (var a in args) start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"Pillow failed (is python3-pil installed?): {error}");
        return output.Result.Split('\n', StringSplitOptions.RemoveEmptyEntries);
    }
}
