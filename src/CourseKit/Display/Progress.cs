using System.Diagnostics;
using Spectre.Console;

namespace CourseKit.Display;

/// <summary>
/// Progress of long work (an epoch, a training run, grading many submissions):
/// <code>using var progress = Progress.Create(batches, "epoch 1");
/// foreach (...) { ...; progress.Advance(message: $"loss {loss:F3}"); }</code>
/// <see cref="Create"/> picks the display: the notebook's updatable output when a notebook host registered one
/// (<see cref="UseNotebook"/>, or <see cref="Output.Attach"/> with a display whose handle has <c>Update(object)</c>; plain lines
/// where the host loses updates, see <see cref="Output.HostUpdatesInPlace"/>),
/// a Spectre.Console bar in an interactive terminal, plain lines otherwise (output redirected, or CI=true).
/// </summary>
public sealed class Progress : IDisposable
{
    private static Func<ProgressState, IProgressSink?>? notebookSinkFactory;

    private readonly IProgressSink sink;
    private readonly Stopwatch clock = Stopwatch.StartNew();
    private readonly Lock gate = new();
    private long done;
    private string? message;
    private bool finished;

    public Progress(long total, string label, IProgressSink sink)
    {
        if (total < 0) throw new ArgumentException($"Progress \"{label}\": the total must not be negative, got {total}.");
        Total = total;
        Label = label;
        this.sink = sink;
    }

    public long Total { get; }
    public string Label { get; }

    public ProgressState State
    {
        get { lock (gate) return new ProgressState(Label, done, Total, message, clock.Elapsed, finished); }
    }

    /// <summary>
    /// Lets a notebook host show progress as one output that updates in place. <paramref name="display"/> shows
    /// an object (a <see cref="ProgressState"/>, which has ToHtml) and returns the function that replaces it,
    /// e.g. <c>Progress.UseNotebook(value => { var view = display(value); return view.Update; })</c>.
    /// </summary>
    public static void UseNotebook(Func<object, Action<object>> display) =>
        notebookSinkFactory = initial => new NotebookProgressSink(display, initial);

    /// <summary>
    /// Registers any sink factory for <see cref="Create"/>; where it returns null (or no factory is registered),
    /// the console is used.
    /// </summary>
    public static void UseSink(Func<ProgressState, IProgressSink?>? factory) => notebookSinkFactory = factory;

    /// <summary>Starts progress on the best display available (see the class summary).</summary>
    public static Progress Create(long total, string label)
    {
        var initial = new ProgressState(label, 0, total, null, TimeSpan.Zero);
        return new Progress(total, label, notebookSinkFactory?.Invoke(initial) ?? OutputSink(initial) ?? ConsoleSink(initial));
    }

    /// <summary>
    /// Progress through the host attached to <see cref="Output"/>, if any: one output updated in place, or plain
    /// lines on the cell's console where the host loses updates (<see cref="Output.HostUpdatesInPlace"/>).
    /// </summary>
    private static IProgressSink? OutputSink(ProgressState initial) =>
        !Output.IsNotebook ? null
        : Output.HostUpdatesInPlace ? new NotebookProgressSink(value => Updater(Output.Show(value)), initial)
        : new PlainTextProgressSink(Console.Out);

    /// <summary>
    /// The Update(object) of a display handle (Polyglot's DisplayedValue, the runner's), found by name so that
    /// CourseKit needs no reference to either. Without one, only the final state is shown, as a new output.
    /// </summary>
    internal static Action<object> Updater(object? handle)
    {
        var update = handle?.GetType().GetMethod("Update", [typeof(object)]);
        if (update is not null) return value => update.Invoke(handle, [value]);
        return value => { if (value is ProgressState { Finished: true }) Output.Show(value); };
    }

    /// <summary>True when the console cannot redraw a bar: output redirected to a file or pipe, or a CI run.</summary>
    public static bool UsePlainLines =>
        Console.IsOutputRedirected
        || string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase)
        || !AnsiConsole.Profile.Capabilities.Interactive;

    private static IProgressSink ConsoleSink(ProgressState initial) =>
        (UsePlainLines ? null : SpectreProgressSink.TryStart(AnsiConsole.Console, initial)) ?? (IProgressSink)new PlainTextProgressSink(Console.Out);

    /// <summary>Moves forward by <paramref name="steps"/>; the message replaces the previous one when given.</summary>
    public void Advance(long steps = 1, string? message = null) => Move(done => done + steps, message);

    /// <summary>Sets how much is done (clipped to the total).</summary>
    public void Report(long done, string? message = null) => Move(_ => done, message);

    // Sinks are called under the lock: reports from several threads arrive in order, one at a time.
    private void Move(Func<long, long> next, string? message)
    {
        lock (gate)
        {
            if (finished) throw new InvalidOperationException($"Progress \"{Label}\" is already finished.");
            done = Math.Clamp(next(done), 0, Total);
            this.message = message ?? this.message;
            sink.Report(new ProgressState(Label, done, Total, this.message, clock.Elapsed));
        }
    }

    /// <summary>Shows the final state (once); called by Dispose.</summary>
    public void Finish(string? message = null)
    {
        lock (gate)
        {
            if (finished) return;
            finished = true;
            this.message = message ?? this.message;
            sink.Finish(new ProgressState(Label, done, Total, this.message, clock.Elapsed, Finished: true));
        }
    }

    public void Dispose() => Finish();
}
