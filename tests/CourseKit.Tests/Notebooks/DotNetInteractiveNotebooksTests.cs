using System.Text.Json.Nodes;
using CourseKit.Notebooks;
using Xunit.Abstractions;

namespace CourseKit.Tests.Notebooks;

/// <summary>
/// Every course notebook also runs in the real .NET Interactive kernel (what VS Code's Polyglot Notebooks and
/// Jupyter extensions start), through Jupyter's own client, and shows the same rich outputs there as in
/// CourseKit's runner. Notebooks are found in notebooks/, as CourseNotebooksTests finds them.
/// </summary>
[Collection(NotebookRunnerCollection.Name)]
public class DotNetInteractiveNotebooksTests(ITestOutputHelper output)
{
    private static string FixturePath => Path.Combine(RepositoryPaths.Fixtures, "RichOutputs.ipynb");

    [Theory]
    [MemberData(nameof(CourseNotebooksTests.CourseNotebooks), MemberType = typeof(CourseNotebooksTests))]
    public void CourseNotebookRunsInDotNetInteractiveWithoutAFailingCell(string name)
    {
        var run = RunInKernel(Path.Combine(RepositoryPaths.NotebooksFolder, name));

        Assert.True(run.Failure is null, run.Failure);
        Assert.Equal(run.Executed.Cells.Count(c => c.IsCode), run.CellsRun);
    }

    [Theory]
    [MemberData(nameof(CourseNotebooksTests.CourseNotebooks), MemberType = typeof(CourseNotebooksTests))]
    public void CourseNotebookShowsTheSameRichOutputsInBothKernels(string name)
    {
        var kernel = RunInKernel(Path.Combine(RepositoryPaths.NotebooksFolder, name));
        var runner = CourseNotebookRuns.Get(name);
        Assert.True(kernel.Failure is null, kernel.Failure);
        Assert.True(runner.Succeeded, $"{name} fails in CourseKit's runner (CourseNotebooksTests says where).");

        var differences = Differences(runner.Notebook, kernel.Executed);

        Assert.True(differences.Count == 0, $"{name} shows other rich outputs in .NET Interactive than in CourseKit's runner:\n" + string.Join("\n", differences.Select(d => d.Text)));
        Assert.Contains(kernel.Executed.Cells, cell => RichOutputs.Of(cell).Count > 0);
    }

    [Fact]
    public void KernelShowsTheTensorTableAFigureACheckCardAndImagesAsHtml()
    {
        var run = RunInKernel(FixturePath);
        Assert.True(run.Failure is null, run.Failure);
        string Html(string cellId) => string.Concat(Cell(run.Executed, cellId).Outputs
            .Select(o => o!.AsObject()).Select(o => o["data"] is null ? "" : CellOutput.Data(o, "text/html") ?? ""));

        Assert.Equal("C#", (string?)run.Summary["language"]);
        Assert.Equal(["tensor as text/html"], RichOutputs.Of(Cell(run.Executed, "tensor")));
        Assert.Contains("<table", Html("tensor"));
        Assert.Equal(["figure as text/html"], RichOutputs.Of(Cell(run.Executed, "figure")));
        Assert.Contains("Plotly.newPlot", Html("figure"));
        Assert.Equal(["check as text/html"], RichOutputs.Of(Cell(run.Executed, "check")));
        Assert.Contains("✔ passed", Html("check"));
        Assert.Equal(["image grid as text/html"], RichOutputs.Of(Cell(run.Executed, "grid")));
        Assert.Equal(2, Html("grid").Split("class=\"coursekit-image\"").Length - 1);
    }

    [Fact]
    public void KernelUnderJupyterLosesDisplayUpdatesSoProgressWritesPlainLines()
    {
        var run = RunInKernel(FixturePath);
        Assert.True(run.Failure is null, run.Failure);

        // .NET Interactive's Jupyter bridge sends display(...) under one display id and Update(...) under another:
        // the update never arrives (if this starts to fail, the kernel was fixed: Output.HostUpdatesInPlace can go)
        Assert.Equal([], RichOutputs.Of(Cell(run.Executed, "update")));
        Assert.Contains(Cell(run.Executed, "update").Outputs, o => CellOutput.Data(o!.AsObject(), "text/plain") == "first");
        // so a progress bar there is plain lines on stdout, ending with the finished state
        Assert.Equal([], RichOutputs.Of(Cell(run.Executed, "progress")));
        Assert.Matches(@"four steps: 4/4 \(100%\) \[\d\d:\d\d:\d\d\] done\n$", Stdout(Cell(run.Executed, "progress")));
    }

    [Fact]
    public void RunnerShowsTheFixturesRichOutputsAsTheKernelDoes()
    {
        var kernel = RunInKernel(FixturePath);
        Assert.True(kernel.Failure is null, kernel.Failure);

        var runner = NotebookRunner.Run(Notebook.Load(FixturePath));

        Assert.True(runner.Succeeded, string.Join("\n", runner.Cells.Select(c => c.Error?.Summary)));
        // only display(...).Update(...) differs (the kernel under Jupyter loses the update; course notebooks don't use it)
        Assert.Equal(["update"], Differences(runner.Notebook, kernel.Executed).Select(d => d.Id));
        // where the runner updates in place (as Polyglot Notebooks does), the final state replaces the first
        Assert.Equal(["image as text/html"], RichOutputs.Of(Cell(runner.Notebook, "update")));
        Assert.Equal(["progress as text/html"], RichOutputs.Of(Cell(runner.Notebook, "progress")));
    }

    [Fact]
    public void AFailingCellIsReportedWithTheNotebookTheCellAndTheKernelsError()
    {
        var run = RunInKernel(Path.Combine(RepositoryPaths.Fixtures, "Failing.ipynb"));

        Assert.NotNull(run.Failure);
        Assert.StartsWith("tests/CourseKit.Tests/Notebooks/Fixtures/Failing.ipynb fails in .NET Interactive at cell 2 (id fails):", run.Failure);
        Assert.Contains("throw new InvalidOperationException", run.Failure);          // the cell's source
        Assert.Contains("InvalidOperationException: a deliberate failure after 2 sizes", run.Failure); // the kernel's error
        Assert.Equal(2, run.CellsRun);                                                  // the run stopped there
        Assert.Equal(1, run.ExitCode);
    }

    [Fact]
    public void KernelspecIsTheToolVersionPinnedInTheManifest()
    {
        var manifest = JsonNode.Parse(File.ReadAllText(Path.Combine(RepositoryPaths.Root, ".config", "dotnet-tools.json")))!;
        string pinned = (string)manifest["tools"]!["microsoft.dotnet-interactive"]!["version"]!;
        string versionFile = Path.Combine(DotNetInteractive.JupyterFolder, "version");
        Assert.True(File.Exists(versionFile), DotNetInteractive.Missing() ?? $"{versionFile} is missing: run `bash ci/install-dotnet-interactive.sh`.");

        Assert.Equal("1.0.712001", pinned);
        Assert.StartsWith(pinned + "+", File.ReadAllText(versionFile).Trim());
        string spec = File.ReadAllText(DotNetInteractive.KernelSpec);
        Assert.Contains("\"interactive\"", spec);
        // no web server on a port of every interface (ci/install-dotnet-interactive.sh says why)
        Assert.DoesNotContain("--http-port-range", spec);
    }

    private KernelRun RunInKernel(string notebookPath)
    {
        Assert.True(DotNetInteractive.Missing() is null, DotNetInteractive.Missing());
        var run = DotNetInteractive.Run(notebookPath);
        var cells = run.Summary["cells"]!.AsArray().Select(c => $"{(int)c!["index"]! + 1}: {(double)c["seconds"]!:F1} s");
        output.WriteLine($"{run.Name}: {run.Seconds:F1} s in .NET Interactive ({(string?)run.Summary["implementation"]}), " +
                         $"kernel start {(double?)run.Summary["startup_seconds"]:F1} s; cells {string.Join(", ", cells)}");
        return run;
    }

    /// <summary>
    /// Cells whose CourseKit rich outputs differ between the two executed copies of one notebook. Progress is the one
    /// intended difference: an HTML bar in the runner, plain lines ending in "done" in the kernel under Jupyter.
    /// </summary>
    private static List<(string? Id, string Text)> Differences(Notebook runner, Notebook kernel) =>
    [
        .. from index in Enumerable.Range(0, runner.Cells.Count)
           where runner.Cells[index].IsCode
           let ours = RichOutputs.Of(runner.Cells[index])
           let theirs = RichOutputs.Of(kernel.Cells[index])
           let bars = ours.Count(kind => kind == "progress as text/html")
           let finishedLines = Stdout(kernel.Cells[index]).Split('\n').Count(line => line.EndsWith("] done"))
           where !ours.Where(kind => kind != "progress as text/html").SequenceEqual(theirs) || finishedLines != bars
           select (runner.Cells[index].Id,
                   $"  cell {index + 1} (id {runner.Cells[index].Id}): runner [{string.Join(", ", ours)}], " +
                   $".NET Interactive [{string.Join(", ", theirs)}] and {finishedLines} finished progress line(s)"),
    ];

    private static string Stdout(NotebookCell cell) => string.Concat(cell.Outputs.Select(o => o!.AsObject())
        .Where(o => (string?)o["output_type"] == "stream" && (string?)o["name"] == "stdout")
        .Select(o => o["text"] switch
        {
            JsonArray lines => string.Concat(lines.Select(line => (string?)line)),
            JsonValue text => (string?)text,
            _ => "",
        }));

    private static NotebookCell Cell(Notebook notebook, string id) => notebook.Cells.Single(c => c.Id == id);
}
