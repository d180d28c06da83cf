using CourseKit.Notebooks;

namespace CourseKit.Tests.Notebooks;

[Collection(NotebookRunnerCollection.Name)]
public class NotebookErrorTests
{
    private static Notebook NotebookOf(params string[] cells)
    {
        var notebook = Notebook.Create();
        foreach (var source in cells) notebook.AddCode(source);
        return notebook;
    }

    private static string ErrorText(NotebookCell cell)
    {
        var error = Assert.Single(cell.Outputs, o => (string?)o!["output_type"] == "error")!;
        return $"{error["ename"]}: {error["evalue"]}\n" + string.Join("\n", error["traceback"]!.AsArray().Select(l => (string?)l));
    }

    [Fact]
    public void CompileErrorFailsTheCellWithItsDiagnosticAndStopsTheRun()
    {
        var notebook = NotebookOf("int x = 1;", "int y = x +;", "x + 1");

        var result = NotebookRunner.Run(notebook);

        Assert.Equal([CellStatus.Passed, CellStatus.Failed, CellStatus.NotRun], result.Cells.Select(c => c.Status));
        Assert.False(result.Succeeded);
        Assert.Contains("CS1525", ErrorText(notebook.Cells[1]));
        Assert.Contains("(1,12)", ErrorText(notebook.Cells[1]));
        Assert.Empty(notebook.Cells[2].Outputs);
        Assert.Null(notebook.Cells[2].ExecutionCount);
    }

    [Fact]
    public void RuntimeErrorShowsTypeMessageAndOnlyTheNotebooksFramesAndContinueOnErrorRunsTheRest()
    {
        var notebook = NotebookOf(
            "int x = 1;\nvoid Check(int n) { if (n > 0) throw new InvalidOperationException($\"n = {n} is too big\"); }",
            "x = 2;\nCheck(x);",
            "x + 1");

        var result = NotebookRunner.Run(notebook, new NotebookRunnerOptions { ContinueOnError = true });

        Assert.Equal([CellStatus.Passed, CellStatus.Failed, CellStatus.Passed], result.Cells.Select(c => c.Status));
        string error = ErrorText(notebook.Cells[1]);
        Assert.StartsWith("System.InvalidOperationException: n = 2 is too big", error);
        Assert.Contains("at Check(Int32 n) in notebook cell 1:line 2", error);
        Assert.Contains("at <cell> in notebook cell 2:line 2", error);
        Assert.DoesNotContain("Microsoft.CodeAnalysis", error);
        Assert.DoesNotContain("CourseKit.Notebooks", error);
        // the failing cell's assignment happened before the throw, as in Polyglot
        Assert.Equal("3", CellOutput.Data(Assert.Single(notebook.Cells[2].Outputs)!.AsObject(), "text/plain"));
    }

    [Fact]
    public void TimeoutAbandonsARunawayCellAndStopsTheNotebook()
    {
        // the loop never ends; it sleeps so that the abandoned thread does not burn a CI core until the process exits
        var notebook = NotebookOf("int x = 1;", "while (true) System.Threading.Thread.Sleep(20);", "x");

        var result = NotebookRunner.Run(notebook, new NotebookRunnerOptions { CellTimeout = TimeSpan.FromSeconds(1), ContinueOnError = true });

        Assert.Equal([CellStatus.Passed, CellStatus.TimedOut, CellStatus.NotRun], result.Cells.Select(c => c.Status));
        Assert.StartsWith("CellTimeoutException", ErrorText(notebook.Cells[1]));
    }

    [Fact]
    public void MissingReferencedLibraryFailsWithTheSetUpHint()
    {
        var notebook = NotebookOf("#r \"../no-such-folder/CourseKit.dll\"\nusing CourseKit;");

        var result = NotebookRunner.Run(notebook);

        Assert.Equal(CellStatus.Failed, Assert.Single(result.Cells).Status);
        string error = ErrorText(notebook.Cells[0]);
        Assert.Contains("CS0006", error);
        Assert.Contains("dotnet build src/CourseKit -c Release", error);
    }

    [Fact]
    public void PolyglotKernelSelectorLineIsIgnoredAndOtherMagicCommandsFailClearly()
    {
        var notebook = NotebookOf("#!csharp\nint y = 2;\ny * 21", "#!time\ny");

        var result = NotebookRunner.Run(notebook, new NotebookRunnerOptions { ContinueOnError = true });

        Assert.Equal([CellStatus.Passed, CellStatus.Failed], result.Cells.Select(c => c.Status));
        Assert.Equal("42", CellOutput.Data(Assert.Single(notebook.Cells[0].Outputs)!.AsObject(), "text/plain"));
        Assert.Contains("#!time", ErrorText(notebook.Cells[1]));
    }

    [Fact]
    public void CellForAnotherPolyglotKernelFailsWithAClearMessage()
    {
        var notebook = NotebookOf("1 + 1");
        notebook.Cells[0].Metadata["polyglot_notebook"]!["kernelName"] = "pwsh";

        var result = NotebookRunner.Run(notebook);

        Assert.Equal(CellStatus.Failed, Assert.Single(result.Cells).Status);
        Assert.Contains("'pwsh'", ErrorText(notebook.Cells[0]));
    }
}
