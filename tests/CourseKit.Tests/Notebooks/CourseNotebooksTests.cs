using System.Text.RegularExpressions;
using CourseKit.Notebooks;

namespace CourseKit.Tests.Notebooks;

/// <summary>Every course notebook under notebooks/ must run from top to bottom without a failing cell.</summary>
[Collection(NotebookRunnerCollection.Name)]
public class CourseNotebooksTests
{
    // the notebooks' first cell references the library where `dotnet build src/CourseKit -c Release` puts it
    private static string LibraryPath => Path.Combine(RepositoryPaths.Root, "artifacts", "bin", "CourseKit", "release", "CourseKit.dll");

    private static IEnumerable<string> NotebookNames() =>
        Directory.Exists(RepositoryPaths.NotebooksFolder)
            ? Directory.GetFiles(RepositoryPaths.NotebooksFolder, "*.ipynb", SearchOption.AllDirectories)
                .Select(path => Path.GetRelativePath(RepositoryPaths.NotebooksFolder, path)).Order()
            : [];

    public static TheoryData<string> CourseNotebooks() => new(NotebookNames());

    [Fact]
    public void NotebooksFolderHoldsAtLeastTheWelcomeNotebook()
    {
        Assert.True(Directory.Exists(RepositoryPaths.NotebooksFolder), $"{RepositoryPaths.NotebooksFolder} is missing.");
        Assert.Contains("0-0_Welcome.ipynb", NotebookNames());
    }

    [Fact]
    public void EveryNotebookStartsWithTheSameLibraryReferenceCell()
    {
        // notebooks/README.md documents this cell; the same text works in VS Code and in the runner
        var firstCells = NotebookNames()
            .Select(name => (Name: name, Source: Notebook.Load(Path.Combine(RepositoryPaths.NotebooksFolder, name)).Cells[0].Source))
            .ToList();
        string reference = firstCells.Single(c => c.Name == "0-0_Welcome.ipynb").Source;
        Assert.StartsWith("#r \"../artifacts/bin/CourseKit/release/CourseKit.dll\"", reference);
        Assert.Contains("Output.Attach(o => display(o));", reference);
        Assert.All(firstCells, c => Assert.True(c.Source == reference, $"{c.Name} starts with another first cell:\n{c.Source}"));
    }

    [Fact]
    public void LibraryBuildFolderHoldsEveryAssemblyTheLibraryNeeds()
    {
        // VS Code's kernel does not know the library's NuGet packages: #r finds them only beside CourseKit.dll
        string folder = Path.GetDirectoryName(LibraryPath)!;
        string depsPath = Path.Combine(folder, "CourseKit.deps.json");
        Assert.True(File.Exists(depsPath), $"{depsPath} is missing: build with `dotnet build src/CourseKit -c Release`.");
        var targets = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(depsPath))!["targets"]!.AsObject().Single().Value!.AsObject();

        var runtimeFiles = targets.SelectMany(library => library.Value?["runtime"]?.AsObject().Select(file => Path.GetFileName(file.Key)) ?? []).ToList();

        Assert.Contains("CourseKit.dll", runtimeFiles);
        Assert.All(runtimeFiles, file => Assert.True(File.Exists(Path.Combine(folder, file)), $"{file} is not beside CourseKit.dll in {folder}."));
    }

    [Theory]
    [MemberData(nameof(CourseNotebooks))]
    public void EveryCellHasItsOwnId(string name)
    {
        // nbformat 4.5 requires ids; the grader, the kernels' comparison and editors' diffs find cells by them
        // read the file itself: Notebook.Load gives a cell without one a fresh id
        var file = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(Path.Combine(RepositoryPaths.NotebooksFolder, name)))!;
        var ids = file["cells"]!.AsArray().Select(cell => (string?)cell!["id"]).ToList();
        var missing = ids.Select((id, index) => (id, index)).Where(c => c.id is null).Select(c => $"cell {c.index + 1}");
        Assert.True(!missing.Any(), $"{name}: cells without an id: {string.Join(", ", missing)}");
        var repeated = ids.GroupBy(id => id).Where(g => g.Count() > 1).Select(g => g.Key);
        Assert.True(!repeated.Any(), $"{name}: ids used twice: {string.Join(", ", repeated)}");
    }

    [Theory]
    [MemberData(nameof(CourseNotebooks))]
    public void EveryProgressBarIsFinishedInTheCellThatCreatesIt(string name)
    {
        // an unfinished bar never prints its last line where the output is plain text (Jupyter's kernels, CI)
        var unfinished =
            from cell in Notebook.Load(Path.Combine(RepositoryPaths.NotebooksFolder, name)).Cells.Where(c => c.IsCode)
            from Match created in Regex.Matches(cell.Source, @"(using\s*\(?\s*)?var\s+(\w+)\s*=\s*Progress\.Create")
            let variable = created.Groups[2].Value
            where !created.Groups[1].Success && !Regex.IsMatch(cell.Source, $@"\b{variable}\.(Finish|Dispose)\(")
            select $"{variable} in cell {cell.Id}";
        Assert.True(!unfinished.Any(), $"{name}: progress bars never finished: {string.Join(", ", unfinished)}");
    }

    [Theory]
    [MemberData(nameof(CourseNotebooks))]
    public void CourseNotebookRunsWithoutAFailingCell(string name)
    {
        Assert.True(File.Exists(LibraryPath), $"{LibraryPath} is missing: build it with `dotnet build src/CourseKit -c Release` (as README says).");
        var result = CourseNotebookRuns.Get(name);

        var failures = result.Cells.Where(c => c.Status != CellStatus.Passed)
            .Select(c => $"cell {c.Index + 1}: {c.Status} {c.Error?.Summary}");
        Assert.True(result.Succeeded, $"{name}:\n" + string.Join("\n", failures));
        Assert.NotEmpty(result.Cells);
    }
}
