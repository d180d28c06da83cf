using CourseKit.Data;
using CourseKit.Tests.Notebooks;

namespace CourseKit.Tests.Data;

/// <summary>CIFAR-10's binary layout: the shared 10,000 / 2,000-image sample, class names, and errors that name the file.</summary>
public sealed class Cifar10ReadTests
{
    internal static string SampleFolder => Path.Combine(RepositoryPaths.Root, "..", "shared", "data", "cifar10-sample");

    private static readonly Lazy<TrainTestSplit> Sample = new(() => Cifar10.LoadSample());

    [Fact]
    public void SampleIsFoundFromTheTestFolderWith1000TrainAnd200TestImagesPerClass()
    {
        var (train, test) = Sample.Value;
        Assert.Equal(Path.GetFullPath(SampleFolder), Path.GetFullPath(Cifar10.FindSample()));
        Assert.Equal(new Shape(10_000, 3, 32, 32), train.Images.Shape);
        Assert.Equal(new Shape(2_000, 3, 32, 32), test.Images.Shape);
        Assert.All(train.ClassCounts(), c => Assert.Equal(1_000, c));
        Assert.All(test.ClassCounts(), c => Assert.Equal(200, c));
    }

    [Fact]
    public void ClassNamesComeFromBatchesMetaInLabelOrder()
    {
        Assert.Equal(File.ReadAllLines(Path.Combine(SampleFolder, Cifar10.MetaFile)).Where(l => l.Length > 0), Sample.Value.Train.ClassNames!);
        Assert.Equal("airplane", Sample.Value.Test.ClassName(0));
        Assert.Equal("truck", Sample.Value.Test.ClassName(9));
        Assert.Equal(Cifar10.DefaultClassNames, Sample.Value.Train.ClassNames!);
        Assert.Equal(Sample.Value.Train.ClassNames, Sample.Value.Train.Take(5).ClassNames);
    }

    [Fact]
    public void PixelsAreRedThenGreenThenBluePlanesRowByRowScaledToOne()
    {
        // An independent read of record 7 of the test batch: byte 0 the label, then 1,024 bytes per colour plane.
        var bytes = File.ReadAllBytes(Path.Combine(SampleFolder, Cifar10.TestBatchFile)).AsSpan(7 * 3073, 3073).ToArray();
        var test = Sample.Value.Test;
        Assert.Equal(bytes[0], test.Labels[7]);
        foreach (var (c, y, x) in new[] { (0, 0, 0), (1, 5, 17), (2, 31, 31), (2, 12, 3) })
            Assert.Equal(bytes[1 + c * 1024 + y * 32 + x] / 255f, test.Images[7, c, y, x]);
    }

    [Fact]
    public void LoadWithoutACacheFindsTheSampleAndDoesNotDownload()
    {
        using var cache = new TempFolder();
        var (train, test) = Cifar10.Load(download: false, cacheFolder: cache.File("cifar10"));
        Assert.Equal("CIFAR-10 sample train", train.Name);
        Assert.Equal(2_000, test.Count);
        Assert.False(Directory.Exists(cache.File("cifar10")));
    }

    private static string Write(TempFolder folder, string name, byte[] bytes)
    {
        File.WriteAllBytes(folder.File(name), bytes);
        return folder.File(name);
    }

    private static byte[] Records(params byte[] labels)
    {
        var bytes = new byte[labels.Length * Cifar10.RecordSize];
        for (int i = 0; i < labels.Length; i++) bytes[i * Cifar10.RecordSize] = labels[i];
        return bytes;
    }

    [Fact]
    public void TruncatedBatchIsReportedWithItsFileNameAndWhereTheRecordIsCut()
    {
        using var folder = new TempFolder();
        var bytes = Records(1, 2, 3)[..(2 * 3073 + 100)];
        var e = Assert.Throws<InvalidDataException>(() => Cifar10.ReadBatch(Write(folder, "data_batch_1.bin", bytes)));
        Assert.Contains("data_batch_1.bin", e.Message);
        Assert.Contains("truncated", e.Message);
        Assert.Contains("100 bytes", e.Message);
    }

    [Fact]
    public void RecordsOfTheWrongSizeAreReportedAsCifar100Layout()
    {
        using var folder = new TempFolder();
        var e = Assert.Throws<InvalidDataException>(() => Cifar10.ReadBatch(Write(folder, "train.bin", new byte[3 * 3074])));
        Assert.Contains("train.bin", e.Message);
        Assert.Contains("3,074-byte records", e.Message);
        Assert.Contains("3,073 bytes", e.Message);
    }

    [Fact]
    public void LabelOutsideZeroToNineIsReportedWithFileAndRecord()
    {
        using var folder = new TempFolder();
        var e = Assert.Throws<InvalidDataException>(() => Cifar10.ReadBatch(Write(folder, "test_batch.bin", Records(3, 9, 10))));
        Assert.Contains("test_batch.bin", e.Message);
        Assert.Contains("record 2", e.Message);
        Assert.Contains("label 10", e.Message);
    }

    [Fact]
    public void MetaFileWithTheWrongNumberOfNamesIsReported()
    {
        using var folder = new TempFolder();
        File.WriteAllLines(folder.File(Cifar10.MetaFile), ["cat", "dog", ""]);
        var e = Assert.Throws<InvalidDataException>(() => Cifar10.ReadClassNames(folder.File(Cifar10.MetaFile)));
        Assert.Contains(Cifar10.MetaFile, e.Message);
        Assert.Contains("2 class names", e.Message);
    }

    [Fact]
    public void AFolderOfSeveralTrainingBatchesIsReadInOrder()
    {
        using var folder = new TempFolder();
        Write(folder, Cifar10.TrainBatchFile(1), Records(0, 1));
        Write(folder, Cifar10.TrainBatchFile(2), Records(2, 3, 4));
        Write(folder, Cifar10.TestBatchFile, Records(9));
        var (train, test) = Cifar10.LoadFrom(folder.Path);
        Assert.Equal([0, 1, 2, 3, 4], train.Labels);
        Assert.Equal([9], test.Labels);
        Assert.Equal(Cifar10.DefaultClassNames, train.ClassNames!);  // no batches.meta.txt: the standard names
    }
}
