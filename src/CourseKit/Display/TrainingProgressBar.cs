using CourseKit.Training;

namespace CourseKit.Display;

/// <summary>
/// Shows a <see cref="Trainer"/>'s reports as one <see cref="Progress"/> over the epochs:
/// <code>using var bar = new TrainingProgressBar(epochs);
/// var trainer = new Trainer(network, loss, optimizer) { Progress = bar };</code>
/// The bar moves at each epoch end; in between, the message shows the latest iteration's loss.
/// </summary>
public sealed class TrainingProgressBar : IProgress<TrainingProgress>, IDisposable
{
    private readonly Progress progress;

    public TrainingProgressBar(int epochs, string label = "training") : this(Progress.Create(epochs, label)) { }

    /// <summary>Reports into an existing progress whose total is the number of epochs.</summary>
    public TrainingProgressBar(Progress progress) => this.progress = progress;

    public ProgressState State => progress.State;

    public void Report(TrainingProgress value)
    {
        if (!value.IsEpochEnd)
        {
            progress.Report(value.Epoch - 1, $"epoch {value.Epoch}: iteration {value.Iteration}, loss {value.Loss:F4}");
            return;
        }
        progress.Report(value.Epoch, value.ToString());
        if (value.Epoch >= value.Epochs) progress.Finish();
    }

    public void Dispose() => progress.Dispose();
}
