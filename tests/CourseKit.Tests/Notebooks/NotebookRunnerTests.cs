using System.Text.Json.Nodes;
using CourseKit.Notebooks;

namespace CourseKit.Tests.Notebooks;

/// <summary>
/// Runs the Features fixture once (Roslyn's first cell costs seconds) in a folder laid out like the repository:
/// the notebook in nb/, a built CourseKit.dll in lib/, so that its first cell's relative #r is really resolved.
/// </summary>
public sealed class FeaturesRun
{
    public FeaturesRun()
    {
        string workspace = RepositoryPaths.NewTempFolder();
        Directory.CreateDirectory(Path.Combine(workspace, "nb"));
        Directory.CreateDirectory(Path.Combine(workspace, "lib"));
        File.Copy(typeof(Tensor).Assembly.Location, Path.Combine(workspace, "lib", "CourseKit.dll"));
        File.Copy(Path.Combine(RepositoryPaths.Fixtures, "data.txt"), Path.Combine(workspace, "nb", "data.txt"));
        NotebookPath = Path.Combine(workspace, "nb", "Features.ipynb");
        File.Copy(Path.Combine(RepositoryPaths.Fixtures, "Features.ipynb"), NotebookPath);

        Result = NotebookRunner.Run(Notebook.Load(NotebookPath));
        ExecutedPath = Path.Combine(workspace, "Features.executed.ipynb");
        Result.Notebook.Save(ExecutedPath);
    }

    public string NotebookPath { get; }

    public string ExecutedPath { get; }

    public NotebookRunResult Result { get; }

    public JsonArray OutputsOf(string cellId) => Result.Notebook.Cells.Single(c => c.Id == cellId).Outputs;
}

[Collection(NotebookRunnerCollection.Name)]
public class NotebookRunnerTests(FeaturesRun run) : IClassFixture<FeaturesRun>
{
    [Fact]
    public void EveryCodeCellOfTheFeaturesNotebookPassesWithConsecutiveExecutionCounts()
    {
        Assert.All(run.Result.Cells, c => Assert.True(c.Status == CellStatus.Passed, $"cell {c.Index + 1}: {c.Error?.Summary}"));
        Assert.Equal([1, 2, 3, 4, 5], run.Result.Cells.Select(c => c.ExecutionCount ?? 0));
        Assert.Null(run.Result.Notebook.Cells[1].ExecutionCount); // the markdown cell
    }

    [Fact]
    public void VariablesAndTypesPersistAcrossCells()
    {
        var result = Assert.Single(run.OutputsOf("console"), o => (string?)o!["output_type"] == "execute_result")!.AsObject();

        Assert.Equal("Point { X = 42, Y = 2 }", CellOutput.Data(result, "text/plain"));
        Assert.Equal(3, (int?)result["execution_count"]);
    }

    [Fact]
    public void ConsoleOutputIsRecordedAsStdoutAndStderrStreamsInOrder()
    {
        var outputs = run.OutputsOf("console");

        Assert.Equal(["stream", "stream", "execute_result"], outputs.Select(o => (string?)o!["output_type"]));
        Assert.Equal("stdout", (string?)outputs[0]!["name"]);
        Assert.Equal("counter=42\n", string.Concat(outputs[0]!["text"]!.AsArray().Select(l => (string?)l)));
        Assert.Equal("stderr", (string?)outputs[1]!["name"]);
        Assert.Equal("a warning\n", string.Concat(outputs[1]!["text"]!.AsArray().Select(l => (string?)l)));
    }

    [Fact]
    public void DisplayHtmlAndUpdateProduceDisplayDataAndTheTrailingTensorIsAnHtmlTable()
    {
        var outputs = run.OutputsOf("display").Select(o => o!.AsObject()).ToList();

        Assert.Equal(["display_data", "display_data", "execute_result"], outputs.Select(o => (string?)o["output_type"]));
        Assert.Equal("<b>bold</b>", CellOutput.Data(outputs[0], "text/html"));
        Assert.Equal("final", CellOutput.Data(outputs[1], "text/plain"));
        string tensorHtml = CellOutput.Data(outputs[2], "text/html")!;
        Assert.Contains("<table", tensorHtml);
        Assert.Contains("(2, 2)", tensorHtml);
        Assert.Contains(">4</td>", tensorHtml);
        Assert.NotNull(CellOutput.Data(outputs[2], "text/plain"));
    }

    [Fact]
    public void ConsoleIsWrappedOnlyOnceAcrossRuns()
    {
        NotebookRunner.Run(NotebookOfOneCell("1"));
        var before = Console.Out;
        var again = NotebookRunner.Run(NotebookOfOneCell("Console.Write(\"inside\");"));

        Assert.Same(before, Console.Out); // a second run does not wrap the console again
        Assert.Equal("inside", MultilineTextOf(Assert.Single(again.Notebook.Cells[0].Outputs)!["text"]));
    }

    [Fact]
    public void DisplayOutsideARunningCellWritesToTheConsoleInsteadOfFailing()
    {
        // a library may keep a notebook's display function (CourseKit.Display.Output.Attach(o => display(o)))
        // and call it after the notebook ended
        var console = Console.Out;
        var written = new StringWriter();
        Console.SetOut(written);
        try
        {
            var handle = new CourseKit.Notebooks.Kernel.KernelGlobals().display("after the notebook");
            handle.Update("updated");
        }
        finally { Console.SetOut(console); }

        Assert.Contains("after the notebook", written.ToString());
    }

    private static Notebook NotebookOfOneCell(string source)
    {
        var notebook = Notebook.Create();
        notebook.AddCode(source);
        return notebook;
    }

    private static string MultilineTextOf(System.Text.Json.Nodes.JsonNode? node) =>
        string.Concat(node!.AsArray().Select(l => (string?)l));

    [Fact]
    public void CellsRunWithTheNotebookFolderAsWorkingDirectory()
    {
        var result = Assert.Single(run.OutputsOf("workdir"))!.AsObject();

        Assert.Equal(File.ReadAllText(Path.Combine(RepositoryPaths.Fixtures, "data.txt")).Trim(), CellOutput.Data(result, "text/plain"));
    }

    [Fact]
    public void ExecutedNotebookKeepsUnknownMetadataAndValidatesWithNbformat()
    {
        var json = JsonNode.Parse(File.ReadAllText(run.ExecutedPath))!;
        Assert.Equal(2, (int?)json["cells"]![3]!["metadata"]!["coursekit"]!["grading"]!["points"]);
        Assert.Equal("0.1", (string?)json["metadata"]!["coursekit"]!["chapter"]);

        var (exitCode, output) = Nbformat.Validate(run.ExecutedPath);

        Assert.True(exitCode == 0, output);
    }
}

[CollectionDefinition(Name)]
public sealed class NotebookRunnerCollection
{
    // runner tests share the process's working directory, console and display sink (Output): they run one at a time
    public const string Name = "notebook runner";
}
