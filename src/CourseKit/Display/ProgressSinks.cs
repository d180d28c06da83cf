using Spectre.Console;

namespace CourseKit.Display;

/// <summary>
/// A notebook output that updates in place: shown once through the host's display function,
/// then replaced at each whole percent and at the end (at most ~100 refreshes however long the loop).
/// </summary>
public sealed class NotebookProgressSink : IProgressSink
{
    private readonly Action<object> update;
    private int shownPercent;

    public NotebookProgressSink(Func<object, Action<object>> display, ProgressState initial)
    {
        update = display(initial);
        shownPercent = initial.Percent;
    }

    public void Report(ProgressState state)
    {
        if (state.Percent == shownPercent) return;
        shownPercent = state.Percent;
        update(state);
    }

    public void Finish(ProgressState state) => update(state);
}

/// <summary>Plain lines for logs and CI: one line per <c>step</c> percent reached, and a final line.</summary>
public sealed class PlainTextProgressSink : IProgressSink
{
    private readonly TextWriter writer;
    private readonly int stepPercent;
    private int nextPercent;

    public PlainTextProgressSink(TextWriter writer, int stepPercent = 10)
    {
        if (stepPercent is < 1 or > 100) throw new ArgumentException($"PlainTextProgressSink: stepPercent must be in 1..100, got {stepPercent}.");
        this.writer = writer;
        this.stepPercent = stepPercent;
        nextPercent = stepPercent;
    }

    public void Report(ProgressState state)
    {
        if (state.Percent < nextPercent) return;
        nextPercent = (state.Percent / stepPercent + 1) * stepPercent;
        if (state.Percent < 100) writer.WriteLine(state.ToText()); // 100% is written by Finish
    }

    public void Finish(ProgressState state)
    {
        writer.WriteLine(state.ToText());
        writer.Flush();
    }
}

/// <summary>
/// A Spectre.Console progress bar. Spectre drives its live display from a callback, so the callback runs on a
/// background task and waits there until <see cref="Finish"/>; <see cref="Report"/> only sets the task's value.
/// </summary>
public sealed class SpectreProgressSink : IProgressSink
{
    private readonly ManualResetEventSlim ready = new();
    private readonly ManualResetEventSlim done = new();
    private readonly Task display;
    private ProgressTask? task;

    private SpectreProgressSink(IAnsiConsole console, ProgressState initial)
    {
        display = Task.Run(() =>
        {
            try
            {
                console.Progress()
                    .AutoClear(false)
                    .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn())
                    .Start(context =>
                    {
                        task = context.AddTask(Markup.Escape(initial.Label), maxValue: Math.Max(1, initial.Total));
                        ready.Set();
                        done.Wait();
                    });
            }
            finally
            {
                ready.Set(); // also when Spectre refused to start (e.g. another live display is running)
            }
        });
    }

    /// <summary>A bar on <paramref name="console"/>, or null when Spectre cannot show one now.</summary>
    public static SpectreProgressSink? TryStart(IAnsiConsole console, ProgressState initial)
    {
        var sink = new SpectreProgressSink(console, initial);
        sink.ready.Wait();
        if (sink.task is not null) return sink;
        try { sink.display.Wait(); } catch (AggregateException) { }
        return null;
    }

    public void Report(ProgressState state)
    {
        task!.Description = Markup.Escape(state.Message is null ? state.Label : $"{state.Label} {state.Message}");
        task.Value = state.Done;
    }

    public void Finish(ProgressState state)
    {
        Report(state);
        if (state.Total <= 0) task!.Value = task.MaxValue;
        task!.StopTask();
        done.Set();
        display.Wait();
    }
}
