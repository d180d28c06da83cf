using System.Diagnostics;
using CourseKit.Data;
using CourseKit.Layers;
using CourseKit.Losses;
using CourseKit.Optimizers;

namespace CourseKit.Training;

/// <summary>
/// The training loop of lecture 2.5 for networks whose target is an image rather than a class: an autoencoder
/// (target = the input itself, or the clean image for a noisy input) and U-Net (target = the mask, lecture 5.4).
/// For each mini-batch: forward, loss, backward, optimizer step. Reports every iteration to <see cref="Progress"/>
/// and records the loss per iteration and per epoch in <see cref="History"/>.
/// </summary>
public sealed class ImageToImageTrainer(Layer network, Loss loss, Optimizer optimizer)
{
    public Layer Network { get; } = network;
    public Loss Loss { get; } = loss;
    public Optimizer Optimizer { get; } = optimizer;

    /// <summary>Where the line per epoch goes (e.g. Console.Out); null for silence.</summary>
    public TextWriter? Log { get; init; }

    /// <summary>Receives a report after every iteration and at the end of every epoch.</summary>
    public IProgress<TrainingProgress>? Progress { get; init; }

    /// <summary>Changes a mini-batch before each step (data augmentation, noise for a denoising autoencoder): (inputs, targets, iteration) → (inputs, targets).</summary>
    public Func<Tensor, Tensor, int, (Tensor Inputs, Tensor Targets)>? Augment { get; init; }

    public TrainingHistory History { get; } = new();

    /// <summary>
    /// Trains for <paramref name="epochs"/> epochs on (N, …) inputs and their (N, …) targets, in mini-batches of
    /// <paramref name="batchSize"/> drawn in a new shuffled order each epoch (seeded). Stops if the loss becomes NaN.
    /// </summary>
    public TrainingHistory Fit(Tensor inputs, Tensor targets, int epochs, int batchSize, ulong seed = 0)
    {
        int n = inputs.Shape[0];
        if (targets.Shape[0] != n)
            throw new ArgumentException($"ImageToImageTrainer.Fit: {n} inputs {inputs.Shape} but {targets.Shape[0]} targets {targets.Shape}; each input needs one target.");
        if (batchSize < 1) throw new ArgumentException($"ImageToImageTrainer.Fit: the batch size must be at least 1, got {batchSize}.");
        var clock = Stopwatch.StartNew();
        int iteration = 0;
        for (int epoch = 1; epoch <= epochs; epoch++)
        {
            var order = SeededShuffle.Permutation(n, SeededShuffle.Combine(seed, (ulong)epoch));
            double lossSum = 0;
            int batches = 0;
            for (int start = 0; start < n; start += batchSize)
            {
                var indices = order.AsSpan(start, Math.Min(batchSize, n - start)).ToArray();
                var (x, t) = (Rows(inputs, indices), Rows(targets, indices));
                if (Augment is { } augment) (x, t) = augment(x, t, iteration);
                var y = Network.Forward(x, training: true);
                float value = Loss.Forward(y, t);
                iteration++;
                if (!float.IsFinite(value))
                {
                    History.StopReason = $"Training stopped at epoch {epoch}, iteration {iteration}: the loss became {value}. " +
                                         $"The learning rate ({Optimizer.LearningRate}) may be too high.";
                    Log?.WriteLine(History.StopReason);
                    return History;
                }
                Network.Backward(Loss.Backward());
                Optimizer.Step(Network.Parameters);
                History.IterationLoss.Add(value);
                lossSum += value;
                batches++;
                Progress?.Report(new TrainingProgress(epoch, epochs, iteration, value, false, Elapsed: clock.Elapsed));
            }
            float epochLoss = (float)(lossSum / batches);
            History.EpochLoss.Add(epochLoss);
            var report = new TrainingProgress(epoch, epochs, iteration, epochLoss, true, Elapsed: clock.Elapsed);
            Log?.WriteLine(report);
            Progress?.Report(report);
        }
        return History;
    }

    /// <summary>The network's outputs for all of <paramref name="inputs"/> (inference mode), computed <paramref name="batchSize"/> at a time.</summary>
    public static Tensor Predict(Layer network, Tensor inputs, int batchSize = 16)
    {
        int n = inputs.Shape[0];
        var parts = new List<float[]>();
        int[]? sample = null;
        for (int start = 0; start < n; start += batchSize)
        {
            var y = network.Forward(Rows(inputs, [.. Enumerable.Range(start, Math.Min(batchSize, n - start))]));
            sample ??= y.Shape.ToArray()[1..];
            parts.Add(y.ToArray());
        }
        return new Tensor([n, .. sample!], [.. parts.SelectMany(p => p)]).To(inputs.Device);
    }

    /// <summary>The samples x[indices] (along axis 0) as a new tensor.</summary>
    public static Tensor Rows(Tensor x, int[] indices)
    {
        int per = x.Length / x.Shape[0];
        ReadOnlySpan<float> source = x.Device == Backends.Device.Cpu ? x.AsSpan() : x.ToArray();
        var result = new float[indices.Length * per];
        for (int i = 0; i < indices.Length; i++) source.Slice(indices[i] * per, per).CopyTo(result.AsSpan(i * per, per));
        int[] shape = x.Shape.ToArray();
        shape[0] = indices.Length;
        return new Tensor(shape, result).To(x.Device);
    }
}
