using CourseKit.Training;

namespace CourseKit.Display;

/// <summary>
/// Shows a <see cref="Trainer"/>'s reports as one <see cref="Progress"/> over the epochs:
/// <code>using var bar = new TrainingProgressBar(epochs);
/// var trainer = new Trainer(network, loss, optimizer) { Progress = bar };</code>
/// The bar moves at each epoch end; in between, the message shows the latest iteration's loss. It counts the epochs it
/// has seen, so one bar can follow several <c>Fit</c> calls (a learning rate lowered between two phases of training)
/// and finishes when its own total is reached, not when the first call ends.
/// </summary>
public sealed class TrainingProgressBar : IProgress<TrainingProgress>, IDisposable
{
    private readonly Progress progress;
    private long epochsDone;

    public TrainingProgressBar(int epochs, string label = "training") : this(Progress.Create(epochs, label)) { }

    /// <summary>Reports into an existing progress whose total is the number of epochs.</summary>
    public TrainingProgressBar(Progress progress) => this.progress = progress;

    public ProgressState State => progress.State;

    public void Report(TrainingProgress value)
    {
        if (!value.IsEpochEnd)
        {
            progress.Report(epochsDone, $"epoch {value.Epoch}: iteration {value.Iteration}, loss {value.Loss:F4}");
            return;
        }
        progress.Report(++epochsDone, value.ToString());
        if (epochsDone >= progress.Total) progress.Finish();
    }

    public void Dispose() => progress.Dispose();
}
