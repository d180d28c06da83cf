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
        if (!accuracy) return figure;
        figure.SetAxisTitles(2, "epoch", "accuracy");
        if (trainAccuracy is not null) figure.Add(Chart.Line(trainAccuracy, "train accuracy"), row: 2);
        if (testAccuracy is not null) figure.Add(Chart.Line(testAccuracy, "test accuracy"), row: 2);
        return figure;
    }
}
