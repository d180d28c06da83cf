using CourseKit.Data;

namespace CourseKit.Tests.Data;

/// <summary>Mnist.Read on hand-made files: shapes, scaling and the errors a student may meet.</summary>
public sealed class MnistReadTests
{
    private static void WriteDigits(TempFolder folder, int images, int labels, int rows = 28, byte label = 3)
    {
        var pixels = new byte[images * rows * 28];
        for (int i = 0; i < pixels.Length; i++) pixels[i] = (byte)(i % 256);
        Idx.Write(folder.File("images.gz"), new IdxArray([images, rows, 28], pixels), gzip: true);
        Idx.Write(folder.File("labels.gz"), new IdxArray([labels], Enumerable.Repeat(label, labels).ToArray()), gzip: true);
    }

    [Fact]
    public void ImagesBecomeNx1x28x28ScaledToUnitInterval()
    {
        using var folder = new TempFolder();
        WriteDigits(folder, images: 2, labels: 2);
        var data = Mnist.Read(folder.File("images.gz"), folder.File("labels.gz"));
        Assert.Equal(new Shape(2, 1, 28, 28), data.Images.Shape);
        Assert.Equal([3, 3], data.Labels);
        var values = data.Images.AsSpan();
        for (int i = 0; i < values.Length; i++)
            Assert.Equal(data.Pixels[i] / 255f, values[i]);
        Assert.Equal(1f, values[255]);
    }

    [Fact]
    public void CountMismatchNamesBothFilesAndCounts()
    {
        using var folder = new TempFolder();
        WriteDigits(folder, images: 3, labels: 2);
        var e = Assert.Throws<IdxFormatException>(() => Mnist.Read(folder.File("images.gz"), folder.File("labels.gz")));
        Assert.Contains("images.gz holds 3 images but labels.gz holds 2 labels", e.Message);
    }

    [Fact]
    public void ImagesThatAreNot28x28AreRejected()
    {
        using var folder = new TempFolder();
        WriteDigits(folder, images: 3, labels: 3, rows: 27);
        var e = Assert.Throws<IdxFormatException>(() => Mnist.Read(folder.File("images.gz"), folder.File("labels.gz")));
        Assert.Contains("images.gz", e.Message);
        Assert.Contains("(count, 28, 28)", e.Message);
        Assert.Contains("(3, 27, 28)", e.Message);
    }

    [Fact]
    public void LabelsFileWithTwoDimensionsIsRejected()
    {
        using var folder = new TempFolder();
        WriteDigits(folder, images: 2, labels: 2);
        Idx.Write(folder.File("labels.gz"), new IdxArray([2, 1], [1, 2]), gzip: true);
        var e = Assert.Throws<IdxFormatException>(() => Mnist.Read(folder.File("images.gz"), folder.File("labels.gz")));
        Assert.Contains("labels.gz", e.Message);
        Assert.Contains("(2, 1)", e.Message);
    }

    [Fact]
    public void LabelAboveNineIsRejected()
    {
        using var folder = new TempFolder();
        WriteDigits(folder, images: 2, labels: 2, label: 10);
        var e = Assert.Throws<IdxFormatException>(() => Mnist.Read(folder.File("images.gz"), folder.File("labels.gz")));
        Assert.Contains("label 10 of image 0 is not a digit", e.Message);
    }

    [Fact]
    public void LoadFromAcceptsUnpackedFilesAndNamesAMissingOne()
    {
        using var folder = new TempFolder();
        WriteDigits(folder, images: 2, labels: 2);
        File.Copy(folder.File("images.gz"), folder.File("train-images-idx3-ubyte.gz"));
        // The labels unpacked (as gunzip leaves them), read through the same reader.
        File.WriteAllBytes(folder.File("train-labels-idx1-ubyte"), Plain(Idx.Read(folder.File("labels.gz"))));
        var e = Assert.Throws<FileNotFoundException>(() => Mnist.LoadFrom(folder.Path));
        Assert.Contains("t10k-images-idx3-ubyte.gz", e.Message);

        File.Copy(folder.File("images.gz"), folder.File("t10k-images-idx3-ubyte.gz"));
        File.Copy(folder.File("labels.gz"), folder.File("t10k-labels-idx1-ubyte.gz"));
        var split = Mnist.LoadFrom(folder.Path);
        Assert.Equal(2, split.Train.Count);
        Assert.Equal(2, split.Test.Count);
    }

    private static byte[] Plain(IdxArray array)
    {
        using var stream = new MemoryStream();
        Idx.Write(stream, array, gzip: false);
        return stream.ToArray();
    }
}
