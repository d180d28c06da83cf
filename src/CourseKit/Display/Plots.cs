using CourseKit.Training;

namespace CourseKit.Display;

/// <summary>Ready-made figures for the course.</summary>
public static class Plots
{
    /// <summary>
    /// The training history: loss per epoch on top and, when given, train and test accuracy per epoch below.
    /// Epochs are numbered from 1.
    /// </summary>
    public static Figure History(IReadOnlyList<double> loss, IReadOnlyList<double>? trainAccuracy = null,
        IReadOnlyList<double>? testAccuracy = null, string? title = "training history")
    {
        bool accuracy = trainAccuracy is not null || testAccuracy is not null;
        var figure = new Figure(title, accuracy ? null : "epoch", "loss") { Rows = accuracy ? 2 : 1, Height = accuracy ? 600 : 400 };
        figure.Add(Chart.Line(loss, "loss"));
        int epochs = Math.Max(loss.Count, Math.Max(trainAccuracy?.Count ?? 0, testAccuracy?.Count ?? 0));
        figure.SetXTickStep(1, EpochTickStep(epochs));
        if (!accuracy) return figure;
        figure.SetAxisTitles(2, "epoch", "accuracy").SetXTickStep(2, EpochTickStep(epochs));
        if (trainAccuracy is not null) figure.Add(Chart.Line(trainAccuracy, "train accuracy"), row: 2);
        if (testAccuracy is not null) figure.Add(Chart.Line(testAccuracy, "test accuracy"), row: 2);
        return figure;
    }

    /// <summary>The history a <see cref="Trainer"/> recorded: epoch loss, train and (when measured) test accuracy.</summary>
    public static Figure History(TrainingHistory history, string? title = "training history") =>
        History(history.EpochLoss.Select(v => (double)v).ToArray(), history.TrainAccuracy,
            history.TestAccuracy.Count > 0 ? history.TestAccuracy : null, title);

    /// <summary>A whole-number tick step (1, 2, 5, 10, 20, 50, ...) giving at most about 10 ticks.</summary>
    public static int EpochTickStep(int epochs)
    {
        int step = 1;
        while (epochs / step > 10)
            step = step.ToString()[0] == '2' ? step / 2 * 5 : step * 2;
        return step;
    }
}
