using System.Text.Json.Nodes;
using CourseKit.Notebooks;
using CourseKit.Tests.Notebooks;
using Xunit.Abstractions;

namespace CourseKit.Tests.Kernel;

/// <summary>
/// Every course notebook runs in CourseKit's kernel through Jupyter's own client (nbclient, as VS Code's Jupyter
/// extension and JupyterLab run it; ci/execute-in-dotnet-interactive.py with --kernel coursekit-csharp), one kernel
/// per notebook, in quick mode when the suite is, and shows the same outputs as CourseKit's runner: same cells
/// passing, the same CourseKit rich outputs, progress bars included (updated in place there too).
/// </summary>
[Collection(NotebookRunnerCollection.Name)]
public class CourseKitKernelNotebooksTests(ITestOutputHelper output)
{
    [Theory]
    [MemberData(nameof(CourseNotebooksTests.CourseNotebooks), MemberType = typeof(CourseNotebooksTests))]
    public void CourseNotebookShowsTheSameOutputsInCourseKitsKernelAsInItsRunner(string name)
    {
        var (kernel, summary) = RunInKernel(Path.Combine(RepositoryPaths.NotebooksFolder, name));
        var runner = CourseNotebookRuns.Get(name);
        Assert.True(runner.Succeeded, $"{name} fails in CourseKit's runner (CourseNotebooksTests says where).");
        Assert.True(summary["error"] is null, $"{name} fails in CourseKit's kernel: {summary["error"]?.ToJsonString()}");
        Assert.Equal("C#", (string?)summary["language"]);

        var codeCells = Enumerable.Range(0, runner.Notebook.Cells.Count).Where(i => runner.Notebook.Cells[i].IsCode).ToList();
        Assert.Equal(codeCells.Count, summary["cells"]!.AsArray().Count);
        var differences = codeCells
            .Where(i => !RichOutputs.Of(runner.Notebook.Cells[i]).SequenceEqual(RichOutputs.Of(kernel.Cells[i]))
                        || !OutputTypes(runner.Notebook.Cells[i]).SequenceEqual(OutputTypes(kernel.Cells[i])))
            .Select(i => $"cell {i + 1}: runner [{string.Join(", ", RichOutputs.Of(runner.Notebook.Cells[i]).Concat(OutputTypes(runner.Notebook.Cells[i])))}], "
                         + $"kernel [{string.Join(", ", RichOutputs.Of(kernel.Cells[i]).Concat(OutputTypes(kernel.Cells[i])))}]")
            .ToList();

        Assert.True(differences.Count == 0, $"{name} shows other outputs in CourseKit's kernel than in its runner:\n" + string.Join("\n", differences));
        Assert.Equal(Enumerable.Range(1, codeCells.Count), codeCells.Select(i => kernel.Cells[i].ExecutionCount ?? 0));
    }

    // the kinds of output a cell shows, in order (stream text may differ: timings). The runner merges a stream's
    // consecutive writes into one output, nbclient keeps one per message: both read as one block of text
    private static List<string> OutputTypes(NotebookCell cell)
    {
        var types = new List<string>();
        foreach (var o in cell.Outputs)
        {
            string type = (string)o!["output_type"]! + ((string?)o["name"] is { } stream ? ":" + stream : "");
            if (types.Count == 0 || types[^1] != type || !type.StartsWith("stream", StringComparison.Ordinal)) types.Add(type);
        }
        return types;
    }

    private (Notebook Executed, JsonObject Summary) RunInKernel(string notebook)
    {
        Assert.True(CourseKitKernel.Missing() is null, CourseKitKernel.Missing());
        string folder = Path.Combine(RepositoryPaths.Root, "artifacts", "notebooks-coursekit-kernel");
        Directory.CreateDirectory(folder);
        string stem = Path.Combine(folder, Path.GetFileNameWithoutExtension(notebook));
        string executed = stem + ".ipynb", summary = stem + ".json";
        File.Delete(summary);
        string script = Path.Combine(RepositoryPaths.Root, "ci", "execute-in-dotnet-interactive.py");
        var (code, log) = CourseKitKernel.RunPython(
            [script, notebook, "--out", executed, "--summary", summary, "--kernel", "coursekit-csharp"],
            TimeSpan.FromMinutes(20), CourseKitKernel.JupyterPath);
        Assert.True(File.Exists(summary), $"no summary for {notebook} (exit code {code}):\n{log}");
        var result = JsonNode.Parse(File.ReadAllText(summary))!.AsObject();
        output.WriteLine($"{Path.GetFileName(notebook)}: {(double?)result["seconds"]:F1} s in CourseKit's kernel, start {(double?)result["startup_seconds"]:F1} s");
        return (Notebook.Load(executed), result);
    }
}
