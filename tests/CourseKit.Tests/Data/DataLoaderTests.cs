using CourseKit.Data;

namespace CourseKit.Tests.Data;

public sealed class DataLoaderTests
{
    /// <summary>N images (1, 2, 2) whose pixels all equal the image's index, labelled index mod 10.</summary>
    private static ImageDataset Numbered(int count)
    {
        var pixels = new byte[count * 4];
        for (int i = 0; i < pixels.Length; i++) pixels[i] = (byte)(i / 4);
        return new ImageDataset(pixels, [1, 2, 2], Enumerable.Range(0, count).Select(i => i % 10).ToArray(), 10, "numbered");
    }

    /// <summary>Which data set indices a batch holds, read back from its pixels.</summary>
    private static int[] Indices(Batch batch)
    {
        var values = batch.Images.ToArray();
        return Enumerable.Range(0, batch.Count).Select(k => (int)MathF.Round(values[k * 4] * 255)).ToArray();
    }

    [Fact]
    public void EveryEpochVisitsEverySampleExactlyOnceWithItsOwnLabel()
    {
        var loader = new DataLoader(Numbered(23), batchSize: 5, seed: 7);
        for (int epoch = 0; epoch < 3; epoch++)
        {
            var seen = new List<int>();
            foreach (var batch in loader)
            {
                var indices = Indices(batch);
                Assert.Equal(indices.Select(i => i % 10), batch.Labels);
                seen.AddRange(indices);
            }
            Assert.Equal(Enumerable.Range(0, 23), seen.Order());
        }
        Assert.Equal(3, loader.EpochsStarted);
    }

    [Fact]
    public void KeepingTheLastBatchGivesASmallerFinalBatch()
    {
        var loader = new DataLoader(Numbered(23), batchSize: 5, seed: 1);
        var sizes = loader.Epoch(0).Select(b => b.Count).ToArray();
        Assert.Equal(5, loader.BatchCount);
        Assert.Equal([5, 5, 5, 5, 3], sizes);
        Assert.Equal(new Shape(3, 1, 2, 2), loader.Epoch(0).Last().Images.Shape);
    }

    [Fact]
    public void DroppingTheLastBatchGivesOnlyFullBatches()
    {
        var loader = new DataLoader(Numbered(23), batchSize: 5, seed: 1, dropLast: true);
        var batches = loader.Epoch(0).ToArray();
        Assert.Equal(4, loader.BatchCount);
        Assert.Equal(20, loader.SampleCount);
        Assert.Equal(4, batches.Length);
        Assert.All(batches, b => Assert.Equal(5, b.Count));
        Assert.Equal(20, batches.SelectMany(Indices).Distinct().Count());
    }

    [Fact]
    public void ExactMultipleHasNoShortBatchEitherWay()
    {
        Assert.Equal(4, new DataLoader(Numbered(20), 5).BatchCount);
        Assert.Equal(4, new DataLoader(Numbered(20), 5, dropLast: true).BatchCount);
    }

    [Fact]
    public void SameSeedGivesTheSameOrderInEveryLoader()
    {
        var a = new DataLoader(Numbered(50), 8, seed: 42);
        var b = new DataLoader(Numbered(50), 8, seed: 42);
        for (int epoch = 0; epoch < 3; epoch++)
            Assert.Equal(a.Epoch(epoch).SelectMany(Indices), b.Epoch(epoch).SelectMany(Indices));
    }

    [Fact]
    public void DifferentSeedsAndDifferentEpochsGiveDifferentOrders()
    {
        var a = new DataLoader(Numbered(50), 8, seed: 1);
        var b = new DataLoader(Numbered(50), 8, seed: 2);
        Assert.NotEqual(a.Order(0), b.Order(0));
        Assert.NotEqual(a.Order(0), a.Order(1));
        Assert.NotEqual(Enumerable.Range(0, 50), a.Order(0));
    }

    [Fact]
    public void ForeachRunsSuccessiveEpochsAndEpochRepeatsAnyOfThem()
    {
        var loader = new DataLoader(Numbered(30), 30, seed: 5);
        var first = Indices(loader.Single());
        var second = Indices(loader.Single());
        Assert.Equal(loader.Order(0), first);
        Assert.Equal(loader.Order(1), second);
        Assert.Equal(first, Indices(loader.Epoch(0).Single()));
    }

    [Fact]
    public void WithoutShufflingSamplesComeInDataSetOrder()
    {
        var loader = new DataLoader(Numbered(12), 5, shuffle: false);
        Assert.Equal(Enumerable.Range(0, 12), loader.Epoch(3).SelectMany(Indices));
    }

    [Fact]
    public void NormalisationSubtractsMeanAndDividesByStd()
    {
        var data = Numbered(6);
        var plain = new DataLoader(data, 6, shuffle: false).Epoch(0).Single().Images.ToArray();
        var normalised = new DataLoader(data, 6, shuffle: false, normalization: new Normalization(0.01f, 0.5f)).Epoch(0).Single().Images.ToArray();
        for (int i = 0; i < plain.Length; i++)
            Assert.Equal((plain[i] - 0.01f) / 0.5f, normalised[i], 1e-6f);
    }

    [Fact]
    public void PerChannelNormalisationUsesEachChannelsOwnStatistics()
    {
        // Two images of 2 channels, 1x1 pixels: channel 0 = 51 (0.2), channel 1 = 102 (0.4).
        var data = new ImageDataset([51, 102, 51, 102], [2, 1, 1], [0, 1], 2);
        var loader = new DataLoader(data, 2, shuffle: false, normalization: new Normalization([0.2f, 0.1f], [1f, 0.5f]));
        var values = loader.Epoch(0).Single().Images.ToArray();
        Assert.Equal(0f, values[0], 1e-6f);
        Assert.Equal(0.6f, values[1], 1e-6f);
    }

    [Fact]
    public void NormalisationWithTheWrongNumberOfChannelsIsRefused()
    {
        var e = Assert.Throws<ArgumentException>(() =>
            new DataLoader(Numbered(4), 2, normalization: new Normalization([0.1f, 0.2f, 0.3f], [1f, 1f, 1f])));
        Assert.Contains("1 channel", e.Message);
    }

    [Fact]
    public void NonPositiveBatchSizeIsRefused()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new DataLoader(Numbered(4), 0));
        Assert.Contains("batch size must be positive", e.Message);
    }

    [Fact]
    public void MnistSampleGivesEightyBatchesOfOneHundred()
    {
        var loader = new DataLoader(Mnist.LoadSample().Train, 100, seed: 0, normalization: Mnist.Normalization);
        Assert.Equal(80, loader.BatchCount);
        var batch = loader.Epoch(0).First();
        Assert.Equal(new Shape(100, 1, 28, 28), batch.Images.Shape);
        // Background pixels map to (0 - 0.1307) / 0.3081.
        Assert.Equal(-0.1307f / 0.3081f, batch.Images.ToArray().Min(), 1e-5f);
    }
}
