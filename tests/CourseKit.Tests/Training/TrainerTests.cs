using CourseKit.Layers;
using CourseKit.Losses;
using CourseKit.Optimizers;
using CourseKit.Training;

namespace CourseKit.Tests.Training;

public class TrainerTests
{
    /// <summary>Two Gaussian blobs per class in 2-D, three classes: learnable by a small MLP.</summary>
    private static List<(Tensor, int[])> Blobs(int batches, int batchSize, int seed)
    {
        var rng = new Random(seed);
        var result = new List<(Tensor, int[])>();
        (float X, float Y)[] centers = [(2, 0), (-1, 1.7f), (-1, -1.7f)];
        for (int b = 0; b < batches; b++)
        {
            var x = new float[batchSize * 2];
            var labels = new int[batchSize];
            for (int i = 0; i < batchSize; i++)
            {
                labels[i] = rng.Next(3);
                x[2 * i] = centers[labels[i]].X + (float)(rng.NextDouble() - 0.5);
                x[2 * i + 1] = centers[labels[i]].Y + (float)(rng.NextDouble() - 0.5);
            }
            result.Add((Tensor.FromData([batchSize, 2], x), labels));
        }
        return result;
    }

    [Fact]
    public void TrainingRecordsHistoryAndReachesHighAccuracyOnSeparableData()
    {
        var net = new Sequential(new Affine(2, 16, seed: 1), new ReLU(), new Affine(16, 3, seed: 2));
        var log = new StringWriter();
        var reports = new List<TrainingProgress>();
        var trainer = new Trainer(net, new SoftmaxWithLoss(), new Adam(0.01f))
        {
            Log = log,
            Progress = new SynchronousProgress(reports.Add),
        };
        var history = trainer.Fit(Blobs(20, 16, seed: 3), epochs: 3, test: Blobs(5, 20, seed: 4));

        Assert.False(history.Stopped);
        Assert.Equal(60, history.IterationLoss.Count);
        Assert.Equal(3, history.EpochLoss.Count);
        Assert.Equal(3, history.TestAccuracy.Count);
        Assert.True(history.EpochLoss[2] < history.EpochLoss[0], string.Join(", ", history.EpochLoss));
        Assert.True(history.TestAccuracy[^1] > 0.95, $"test accuracy {history.TestAccuracy[^1]}");
        Assert.Equal(3, log.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        Assert.StartsWith("epoch 1/3", log.ToString());
        Assert.Equal(63, reports.Count);                  // 60 iterations + 3 epoch ends
        Assert.Equal(3, reports.Count(r => r.IsEpochEnd));
    }

    [Fact]
    public void ANaNLossStopsTrainingWithAClearMessage()
    {
        var net = new Sequential(new Affine(2, 3, seed: 5));
        var poisoned = Blobs(4, 8, seed: 6);
        poisoned[2] = (Tensor.Full([8, 2], float.NaN), poisoned[2].Item2);
        var log = new StringWriter();
        var history = new Trainer(net, new SoftmaxWithLoss(), new SGD()) { Log = log }.Fit(poisoned, epochs: 2);

        Assert.True(history.Stopped);
        Assert.Contains("epoch 1, iteration 3", history.StopReason);
        Assert.Contains("NaN", history.StopReason);
        Assert.Equal(2, history.IterationLoss.Count);
        Assert.Empty(history.EpochLoss);
        Assert.Contains("NaN", log.ToString());
    }

    /// <summary>Progress&lt;T&gt; posts to a thread pool; tests need the reports in order, at once.</summary>
    private sealed class SynchronousProgress(Action<TrainingProgress> report) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value) => report(value);
    }
}
