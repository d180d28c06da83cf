using CourseKit.Data;

namespace CourseKit.Tests.Data;

/// <summary>The 10,000 real digits shipped in data/mnist-sample.</summary>
public sealed class MnistSampleTests
{
    private static readonly Lazy<TrainTestSplit> Sample = new(() => Mnist.LoadSample());

    [Fact]
    public void SampleIsFoundFromTheTestFolderAndHas8000TrainAnd2000Test()
    {
        var (train, test) = Sample.Value;
        Assert.Equal(8_000, train.Count);
        Assert.Equal(2_000, test.Count);
        Assert.Equal(new Shape(8_000, 1, 28, 28), train.Images.Shape);
        Assert.Equal(new Shape(2_000, 1, 28, 28), test.Images.Shape);
    }

    [Fact]
    public void EveryDigitZeroToNineIsPresentInBothSplitsRoughlyBalanced()
    {
        foreach (var part in new[] { Sample.Value.Train, Sample.Value.Test })
        {
            Assert.All(part.Labels, l => Assert.InRange(l, 0, 9));
            var counts = part.ClassCounts();
            // MNIST classes hold 9% to 11.3% of the digits each; allow 8%..12.5%.
            Assert.All(counts, c => Assert.InRange(c, part.Count * 8 / 100, part.Count * 125 / 1000));
        }
    }

    [Fact]
    public void SplitKeepsEachClassProportionWithinOneDigit()
    {
        var train = Sample.Value.Train.ClassCounts();
        var test = Sample.Value.Test.ClassCounts();
        for (int c = 0; c < 10; c++)
            Assert.InRange(test[c] - (train[c] + test[c]) / 5.0, -1.0, 1.0); // 20% of every class is test
    }

    [Fact]
    public void PixelStatisticsLookLikeMnist()
    {
        var pixels = Sample.Value.Train.Images.AsSpan();
        double sum = 0, zeros = 0, max = 0;
        foreach (float p in pixels) { sum += p; if (p == 0) zeros++; max = Math.Max(max, p); }
        // MNIST: mean pixel about 0.13, about 81% of pixels pure background, strokes reach full white.
        Assert.InRange(sum / pixels.Length, 0.12, 0.14);
        Assert.InRange(zeros / pixels.Length, 0.75, 0.87);
        Assert.Equal(1.0, max);
    }

    [Fact]
    public void NoTestDigitAlsoAppearsInTrain()
    {
        var (train, test) = Sample.Value;
        var seen = new HashSet<string>();
        for (int i = 0; i < train.Count; i++) seen.Add(Convert.ToBase64String(train.Pixels, i * 784, 784));
        for (int i = 0; i < test.Count; i++) Assert.DoesNotContain(Convert.ToBase64String(test.Pixels, i * 784, 784), seen);
    }

    [Fact]
    public void LabelsMatchImagesNearestClassMeanClassifiesTestDigits()
    {
        // Class-mean images from train; each test digit gets the class of the nearest mean.
        // Nearest centroid reaches about 80% on MNIST; shifted or shuffled labels would give about 10%.
        var (train, test) = Sample.Value;
        var means = new double[10, 784];
        var trainPixels = train.Images.AsSpan();
        var counts = train.ClassCounts();
        for (int i = 0; i < train.Count; i++)
            for (int p = 0; p < 784; p++) means[train.Labels[i], p] += trainPixels[i * 784 + p] / counts[train.Labels[i]];
        var testPixels = test.Images.AsSpan();
        int correct = 0;
        for (int i = 0; i < test.Count; i++)
        {
            int best = -1;
            double bestDistance = double.MaxValue;
            for (int c = 0; c < 10; c++)
            {
                double d = 0;
                for (int p = 0; p < 784; p++) { double r = testPixels[i * 784 + p] - means[c, p]; d += r * r; }
                if (d < bestDistance) { bestDistance = d; best = c; }
            }
            if (best == test.Labels[i]) correct++;
        }
        Assert.InRange(correct / (double)test.Count, 0.75, 1.0);
    }

    [Fact]
    public void KnownDigitFirstTrainingImageIsASevenWhoseStrokeRunsDownToTheLeft()
    {
        // The first training digit of the shipped split is a 7 (drawn in data/README.md). Its stroke runs
        // from the top right down to the bottom left: the ink of its lowest rows lies left of its top rows.
        var train = Sample.Value.Train;
        Assert.Equal(7, train.Labels[0]);
        var image = train.Images.AsSpan()[..784].ToArray();
        var inkRows = Enumerable.Range(0, 28).Where(y => Enumerable.Range(0, 28).Any(x => image[y * 28 + x] > 0.5f)).ToArray();
        double Centre(IEnumerable<int> rows)
        {
            double sum = 0, weight = 0;
            foreach (int y in rows)
                for (int x = 0; x < 28; x++) { sum += x * image[y * 28 + x]; weight += image[y * 28 + x]; }
            return sum / weight;
        }
        double top = Centre(inkRows.Take(3)), bottom = Centre(inkRows.TakeLast(3));
        Assert.True(bottom < top - 3, $"ink centre of the top rows x = {top:F1}, of the bottom rows x = {bottom:F1}");
    }

    [Fact]
    public void FindSampleExplainsWhatToDoWhenNoRepositoryIsAbove()
    {
        using var folder = new TempFolder();
        var e = Assert.Throws<DirectoryNotFoundException>(() => Mnist.FindSample(folder.Path));
        Assert.Contains("data/mnist-sample", e.Message);
        Assert.Contains("Mnist.LoadSample(", e.Message);
    }
}
