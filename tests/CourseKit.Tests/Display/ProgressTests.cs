using CourseKit.Display;
using Spectre.Console;
using Progress = CourseKit.Display.Progress;

namespace CourseKit.Tests.Display;

public sealed class ProgressTests
{
    /// <summary>Stands in for Polyglot's display(): records the first value and every update.</summary>
    private sealed class FakeNotebook
    {
        public List<object> Shown { get; } = [];
        public List<ProgressState> Updates { get; } = [];

        public Action<object> Display(object value)
        {
            Shown.Add(value);
            return update => Updates.Add((ProgressState)update);
        }
    }

    [Fact]
    public void Notebook_progress_is_one_output_updated_at_most_once_per_percent_and_at_the_end()
    {
        var notebook = new FakeNotebook();
        var initial = new ProgressState("epoch 1", 0, 1000, null, TimeSpan.Zero);
        using (var progress = new Progress(1000, "epoch 1", new NotebookProgressSink(notebook.Display, initial)))
            for (int i = 0; i < 1000; i++)
                progress.Advance(message: $"loss {1.0 / (i + 1):F3}");
        Assert.Single(notebook.Shown);
        Assert.InRange(notebook.Updates.Count, 100, 101);
        var percents = notebook.Updates.Select(u => u.Percent).ToArray();
        Assert.Equal(percents.OrderBy(p => p), percents);
        var last = notebook.Updates[^1];
        Assert.True(last.Finished);
        Assert.Equal(1000, last.Done);
        Assert.Equal("loss 0.001", last.Message);
        Assert.Contains("<progress value=\"1000\" max=\"1000\"", last.ToHtml());
    }

    [Fact]
    public void Create_uses_the_registered_notebook_display()
    {
        var notebook = new FakeNotebook();
        var label = $"grading {Guid.NewGuid():N}";
        Progress.UseSink(state => state.Label == label ? new NotebookProgressSink(notebook.Display, state) : null);
        try
        {
            using var progress = Progress.Create(4, label);
            progress.Advance(2);
        }
        finally
        {
            Progress.UseSink(null);
        }
        Assert.Equal(label, ((ProgressState)notebook.Shown.Single()).Label);
        Assert.Equal([2L, 2L], notebook.Updates.Select(u => u.Done));
        Assert.True(notebook.Updates[^1].Finished);
    }

    /// <summary>Shaped like Polyglot's DisplayedValue: Update(object) replaces the shown value.</summary>
    public sealed class FakeHandle
    {
        public List<object> Updates { get; } = [];
        public void Update(object value) => Updates.Add(value);
    }

    [Fact]
    public void Updater_calls_the_Update_method_of_a_display_handle()
    {
        var handle = new FakeHandle();
        var state = new ProgressState("x", 1, 2, null, TimeSpan.Zero);
        Progress.Updater(handle)(state);
        Assert.Same(state, Assert.Single(handle.Updates));
    }

    [Fact]
    public void Only_dotnet_interactive_started_by_jupyter_counts_as_a_host_that_loses_updates()
    {
        const string app = "/root/.nuget/packages/microsoft.dotnet-interactive/1.0.712001/tools/net10.0/any/Microsoft.DotNet.Interactive.App.dll";
        // the kernelspec's argv (JupyterLab, VS Code's Jupyter extension) against Polyglot Notebooks' stdio and others
        Assert.True(Output.IsJupyterKernel([app, "jupyter", "--default-kernel", "csharp", "/tmp/kernel.json"]));
        Assert.False(Output.IsJupyterKernel([app, "stdio", "--default-kernel", "csharp"]));
        Assert.False(Output.IsJupyterKernel(["/repo/artifacts/bin/CourseKit.Cli/release/CourseKit.Cli.dll", "jupyter"]));
        Assert.False(Output.IsJupyterKernel([app]));
        Assert.True(Output.HostUpdatesInPlace); // the test host is not the kernel
    }

    [Fact]
    public void Plain_lines_appear_every_ten_percent_with_a_final_done_line()
    {
        var output = new StringWriter();
        using (var progress = new Progress(50, "train", new PlainTextProgressSink(output)))
            for (int i = 0; i < 50; i++) progress.Advance();
        var lines = output.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(10, lines.Length);
        Assert.StartsWith("train: 5/50 (10%)", lines[0]);
        Assert.StartsWith("train: 45/50 (90%)", lines[8]);
        Assert.StartsWith("train: 50/50 (100%)", lines[9]);
        Assert.EndsWith("done", lines[9]);
    }

    [Fact]
    public void Spectre_bar_runs_to_the_end_on_a_captured_console()
    {
        var output = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.Yes,
            Interactive = InteractionSupport.Yes,
            Out = new AnsiConsoleOutput(output),
        });
        var initial = new ProgressState("epoch 2", 0, 20, null, TimeSpan.Zero);
        var sink = SpectreProgressSink.TryStart(console, initial);
        Assert.NotNull(sink);
        using (var progress = new Progress(20, "epoch 2", sink))
            for (int i = 0; i < 20; i++) progress.Advance();
        Assert.Contains("epoch 2", output.ToString());
        Assert.Contains("100%", output.ToString());
    }

    [Fact]
    public void Advance_from_many_threads_counts_every_step_and_reports_in_order()
    {
        var notebook = new FakeNotebook();
        var initial = new ProgressState("parallel", 0, 4000, null, TimeSpan.Zero);
        using (var progress = new Progress(4000, "parallel", new NotebookProgressSink(notebook.Display, initial)))
        {
            Parallel.For(0, 4000, new ParallelOptions { MaxDegreeOfParallelism = 4 }, _ => progress.Advance());
            Assert.Equal(4000, progress.State.Done);
        }
        var done = notebook.Updates.Select(u => u.Done).ToArray();
        Assert.Equal(done.OrderBy(d => d), done);
        Assert.Equal(4000, done[^1]);
    }

    [Fact]
    public void Training_bar_moves_at_each_epoch_end_and_finishes_after_the_last()
    {
        var notebook = new FakeNotebook();
        var initial = new ProgressState("training", 0, 2, null, TimeSpan.Zero);
        var bar = new TrainingProgressBar(new Progress(2, "training", new NotebookProgressSink(notebook.Display, initial)));
        bar.Report(new CourseKit.Training.TrainingProgress(1, 2, 1, 2.0f, false));
        Assert.Equal(0, bar.State.Done);
        Assert.Equal("epoch 1: iteration 1, loss 2.0000", bar.State.Message);
        bar.Report(new CourseKit.Training.TrainingProgress(1, 2, 5, 1.5f, true, 0.5, 0.45));
        Assert.Equal(1, bar.State.Done);
        bar.Report(new CourseKit.Training.TrainingProgress(2, 2, 10, 0.9f, true, 0.8, 0.75));
        Assert.True(bar.State.Finished);
        Assert.Equal(2, notebook.Updates[^1].Done);
        Assert.Contains("test acc", notebook.Updates[^1].Message);
        bar.Dispose(); // finishing twice is harmless
    }

    [Fact]
    public void One_bar_follows_two_phases_of_training_and_finishes_at_its_own_total()
    {
        // 3-7 trains 22 epochs, lowers the learning rate and trains 8 more with the same bar: the first Fit's last
        // epoch (22 of 22) must not finish a bar of 30, or the second Fit's first report throws.
        var net = new CourseKit.Layers.Sequential(new CourseKit.Layers.Affine(2, 2, seed: 1));
        var bar = new TrainingProgressBar(new Progress(3, "two phases", new PlainTextProgressSink(TextWriter.Null)));
        var trainer = new CourseKit.Training.Trainer(net, new CourseKit.Losses.SoftmaxWithLoss(), new CourseKit.Optimizers.SGD(0.1f)) { Progress = bar };
        (CourseKit.Tensor, int[])[] batches = [(new CourseKit.Tensor([2, 2], [1f, 0f, 0f, 1f]), [0, 1])];
        trainer.Fit(batches, epochs: 2);
        Assert.Equal(2, bar.State.Done);
        Assert.False(bar.State.Finished);
        trainer.Fit(batches, epochs: 1);
        Assert.Equal(3, bar.State.Done);
        Assert.True(bar.State.Finished);
    }

    [Fact]
    public void Report_clips_to_the_total_and_reporting_after_finish_is_an_error()
    {
        var progress = new Progress(10, "x", new PlainTextProgressSink(TextWriter.Null));
        progress.Report(25);
        Assert.Equal(10, progress.State.Done);
        progress.Dispose();
        Assert.True(progress.State.Finished);
        var error = Assert.Throws<InvalidOperationException>(() => progress.Advance());
        Assert.Contains("already finished", error.Message);
    }
}
