using CourseKit.Data;
using CourseKit.Data.Augmentation;

namespace CourseKit.Tests.Data.Augmentation;

/// <summary>
/// Random augmentation in the data loader: a new transformation per image per epoch, reproducible from the seed, and
/// the same batches whether they are made inline or ahead on a producer thread.
/// </summary>
public sealed class AugmentedLoaderTests
{
    private static readonly Lazy<ImageDataset> Images = new(() => Cifar10.LoadSample().Test.Take(40));

    private static float[][] Epoch(DataLoader loader, int epoch) => loader.Epoch(epoch).Select(b => b.Images.ToArray()).ToArray();

    [Fact]
    public void BatchesMadeAheadOnAnotherThreadEqualTheInlineOnes()
    {
        var augmentation = new RandomAugmentation { Cut = 0.2f, Rotation = 20 };
        var inline = new DataLoader(Images.Value, 8, seed: 3, augmentation: augmentation);
        var ahead = new DataLoader(Images.Value, 8, seed: 3, augmentation: augmentation, batchesAhead: 3);
        Assert.Equal(Epoch(inline, 1), Epoch(ahead, 1));
        Assert.Equal(inline.Epoch(1).SelectMany(b => b.Labels), ahead.Epoch(1).SelectMany(b => b.Labels));
    }

    [Fact]
    public void EachEpochTransformsEachImageAnewAndTheSeedReproducesIt()
    {
        var loader = new DataLoader(Images.Value, 40, shuffle: false, seed: 5, augmentation: new RandomAugmentation());
        var first = Epoch(loader, 0)[0];
        Assert.Equal(first, Epoch(new DataLoader(Images.Value, 40, shuffle: false, seed: 5, augmentation: new RandomAugmentation()), 0)[0]);
        var second = Epoch(loader, 1)[0];
        var plain = Images.Value.Images.ToArray();
        int size = 3 * 32 * 32, changedBetweenEpochs = 0, changedFromOriginal = 0;
        for (int i = 0; i < 40; i++)
        {
            if (!first.AsSpan(i * size, size).SequenceEqual(second.AsSpan(i * size, size))) changedBetweenEpochs++;
            if (!first.AsSpan(i * size, size).SequenceEqual(plain.AsSpan(i * size, size))) changedFromOriginal++;
        }
        Assert.Equal(40, changedBetweenEpochs);
        Assert.Equal(40, changedFromOriginal);
    }

    [Fact]
    public void TheLoaderAppliesExactlyTheAugmentationOfTheImagesOwnSeed()
    {
        // Only a flip (probability ½): every image of the batch is either itself or its mirror image, and both occur.
        var flipOnly = RandomAugmentation.None with { HorizontalFlip = true };
        var batch = new DataLoader(Images.Value, 40, shuffle: false, augmentation: flipOnly).Epoch(0).Single();
        int mirrored = 0;
        for (int i = 0; i < 40; i++)
        {
            var original = Images.Value.Images[i..(i + 1)].Reshape(3, 32, 32);
            var got = batch.Images[i..(i + 1)].ToArray();
            if (got.SequenceEqual(original.ToArray())) continue;
            Assert.Equal(Augment.FlipHorizontal(original).ToArray(), got);
            mirrored++;
        }
        Assert.InRange(mirrored, 8, 32);
    }

    [Fact]
    public void VerticalFlipIsOffByDefaultAsTheLectureAdvises()
    {
        Assert.False(new RandomAugmentation().VerticalFlip);
        Assert.True(new RandomAugmentation().HorizontalFlip);
        Assert.DoesNotContain("vertical", new RandomAugmentation().ToString());
    }

    [Fact]
    public void NoAugmentationGivesTheImagesAsTheyAre()
    {
        var batch = new DataLoader(Images.Value, 40, shuffle: false, augmentation: RandomAugmentation.None).Epoch(0).Single();
        Assert.Equal(Images.Value.Images.ToArray(), batch.Images.ToArray());
    }

    [Fact]
    public void StoppingEarlyEndsTheProducerAndAFailureReachesTheTraining()
    {
        var loader = new DataLoader(Images.Value, 4, augmentation: new RandomAugmentation(), batchesAhead: 2);
        Assert.Single(loader.Epoch(0).Take(1));  // leaving after one batch: the producer stops (the test would hang otherwise)
        var broken = new DataLoader(Images.Value, 4, augmentation: new RandomAugmentation { Cut = 1.5f }, batchesAhead: 2);
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => broken.Epoch(0).ToList());
        Assert.Contains("RandomAugmentation.Cut", e.Message);
    }

    [Fact]
    public void AugmentedValuesStayInZeroToOneBeforeNormalization()
    {
        var strong = new RandomAugmentation { Brightness = 0.9f, Rotation = 45, Zoom = 0.5f, Shear = 0.5f, Cut = 0.5f, VerticalFlip = true };
        var values = strong.ApplyToBatch(Images.Value.Images, seed: 9).ToArray();
        Assert.All(values, v => Assert.InRange(v, 0f, 1f));
    }
}
