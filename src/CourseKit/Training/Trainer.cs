using System.Diagnostics;
using CourseKit.Data;
using CourseKit.Layers;
using CourseKit.Losses;
using CourseKit.Optimizers;

namespace CourseKit.Training;

/// <summary>
/// Runs the training loop of lecture 2.5: for each mini-batch, forward, loss, backward, optimizer step;
/// after each epoch the test accuracy. Prints one line per epoch to <see cref="Log"/>, reports every
/// iteration to <see cref="Progress"/> (for a live bar in a notebook), and records a <see cref="TrainingHistory"/>.
/// </summary>
public sealed class Trainer(Layer network, SoftmaxWithLoss loss, Optimizer optimizer)
{
    public Layer Network { get; } = network;
    public SoftmaxWithLoss Loss { get; } = loss;
    public Optimizer Optimizer { get; } = optimizer;

    /// <summary>Where the line per epoch goes (e.g. Console.Out); null for silence.</summary>
    public TextWriter? Log { get; init; }

    /// <summary>Receives a report after every iteration and at the end of every epoch.</summary>
    public IProgress<TrainingProgress>? Progress { get; init; }

    public TrainingHistory History { get; } = new();

    /// <summary>
    /// Epochs this trainer has completed over all its <c>Fit</c> calls. Training on a <see cref="DataLoader"/>, its
    /// next epoch k reads the loader's <see cref="DataLoader.Epoch"/>(k): two networks trained on one shared loader see
    /// the same batches in the same order, whichever is trained first.
    /// </summary>
    public int EpochsTrained { get; private set; }

    /// <summary>
    /// Trains for <paramref name="epochs"/> epochs. <paramref name="train"/> is enumerated once per epoch (a data
    /// loader that reshuffles on each enumeration gives a new order per epoch). Stops cleanly if the loss
    /// becomes NaN or infinite, with the reason in <see cref="TrainingHistory.StopReason"/>.
    /// </summary>
    public TrainingHistory Fit(IEnumerable<(Tensor Images, int[] Labels)> train, int epochs,
                               IEnumerable<(Tensor Images, int[] Labels)>? test = null) =>
        Fit(_ => train, epochs, test);

    /// <summary>
    /// Trains on a <see cref="DataLoader"/>: this trainer's epoch k (counting earlier <c>Fit</c> calls, see
    /// <see cref="EpochsTrained"/>) visits the batches of <c>train.Epoch(k)</c>, a new shuffled order each epoch that does
    /// not depend on what else enumerated the loader. The test loader is evaluated after each epoch.
    /// </summary>
    public TrainingHistory Fit(DataLoader train, int epochs, DataLoader? test = null) =>
        Fit(k => train.Epoch(k).Select(b => (b.Images, b.Labels)), epochs, test?.Epoch(0).Select(b => (b.Images, b.Labels)));

    // trainEpoch(k) gives the batches of this trainer's k-th epoch (0-based over all Fit calls).
    private TrainingHistory Fit(Func<int, IEnumerable<(Tensor Images, int[] Labels)>> trainEpoch, int epochs,
                                IEnumerable<(Tensor Images, int[] Labels)>? test)
    {
        var clock = Stopwatch.StartNew();
        int iteration = 0;
        for (int epoch = 1; epoch <= epochs; epoch++)
        {
            double lossSum = 0;
            int batches = 0, correct = 0, seen = 0;
            foreach (var (images, labels) in trainEpoch(EpochsTrained))
            {
                // The scores are read only by the loss and dx is not read at all, both before the next iteration:
                // the network may write them where it wrote the last ones (Layer.MayReuseResults).
                var scores = Network.Forward(images, training: true, mayReuseResults: true);
                float value = Loss.Forward(scores, labels);
                iteration++;
                if (!float.IsFinite(value))
                {
                    History.StopReason = $"Training stopped at epoch {epoch}, iteration {iteration}: the loss became {value}. " +
                                         $"The learning rate ({Optimizer.LearningRate}) may be too high, or the inputs are not normalised.";
                    Log?.WriteLine(History.StopReason);
                    return History;
                }
                Network.Backward(Loss.Backward(), mayReuseResults: true);
                Optimizer.Step(Network.Parameters);

                History.IterationLoss.Add(value);
                lossSum += value;
                batches++;
                correct += CountCorrect(Loss.Probabilities!, labels);
                seen += labels.Length;
                Progress?.Report(new TrainingProgress(epoch, epochs, iteration, value, false, Elapsed: clock.Elapsed));
            }
            if (batches == 0) throw new ArgumentException("Trainer.Fit: the training data gave no mini-batches.");
            EpochsTrained++;
            float epochLoss = (float)(lossSum / batches);
            double trainAccuracy = (double)correct / seen;
            double? testAccuracy = test is null ? null : Accuracy(Network, test);
            History.EpochLoss.Add(epochLoss);
            History.TrainAccuracy.Add(trainAccuracy);
            if (testAccuracy is { } t) History.TestAccuracy.Add(t);
            var report = new TrainingProgress(epoch, epochs, iteration, epochLoss, true, trainAccuracy, testAccuracy, clock.Elapsed);
            Log?.WriteLine(report);
            Progress?.Report(report);
        }
        return History;
    }

    /// <summary>The accuracy of <paramref name="network"/> on every batch of <paramref name="data"/>.</summary>
    public static double Accuracy(Layer network, DataLoader data) => Accuracy(network, data.Select(b => (b.Images, b.Labels)));

    /// <summary>The fraction of samples whose highest score is the true label (inference mode).</summary>
    public static double Accuracy(Layer network, IEnumerable<(Tensor Images, int[] Labels)> data)
    {
        int correct = 0, seen = 0;
        foreach (var (images, labels) in data)
        {
            correct += CountCorrect(network.Forward(images, training: false), labels);
            seen += labels.Length;
        }
        return seen == 0 ? 0 : (double)correct / seen;
    }

    private static int CountCorrect(Tensor scores, int[] labels)
    {
        var predicted = LayerMath.ArgMaxRows(scores);
        int correct = 0;
        for (int i = 0; i < labels.Length; i++) if (predicted[i] == labels[i]) correct++;
        return correct;
    }
}
