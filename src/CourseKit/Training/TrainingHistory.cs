namespace CourseKit.Training;

/// <summary>What a training run recorded, ready to plot: one entry per iteration and per epoch.</summary>
public sealed class TrainingHistory
{
    /// <summary>The loss of every mini-batch, in order.</summary>
    public List<float> IterationLoss { get; } = [];

    /// <summary>Mean training loss of each epoch.</summary>
    public List<float> EpochLoss { get; } = [];

    /// <summary>Training accuracy of each epoch, measured on the mini-batches as they were trained.</summary>
    public List<double> TrainAccuracy { get; } = [];

    /// <summary>Test accuracy after each epoch (empty when no test set was given).</summary>
    public List<double> TestAccuracy { get; } = [];

    /// <summary>Why training stopped early (e.g. a NaN loss), or null when all epochs ran.</summary>
    public string? StopReason { get; internal set; }

    public bool Stopped => StopReason is not null;
}

/// <summary>Progress sent while training: after each iteration (Epoch ≥ 1, Iteration ≥ 1) and at the end of each epoch (IsEpochEnd).</summary>
public sealed record TrainingProgress(int Epoch, int Epochs, int Iteration, float Loss, bool IsEpochEnd,
                                      double? TrainAccuracy = null, double? TestAccuracy = null, TimeSpan Elapsed = default)
{
    /// <summary>The line printed per epoch.</summary>
    public override string ToString() =>
        $"epoch {Epoch}/{Epochs}  loss {Loss:F4}" +
        (TrainAccuracy is { } tr ? $"  train acc {tr:P2}" : "") +
        (TestAccuracy is { } te ? $"  test acc {te:P2}" : "") +
        $"  ({Elapsed.TotalSeconds:F1} s)";
}
