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

    [Theory]
    [MemberData(nameof(CourseNotebooks))]
    public void CourseNotebookRunsWithoutAFailingCell(string name)
    {
        Assert.True(File.Exists(LibraryPath), $"{LibraryPath} is missing: build it with `dotnet build src/CourseKit -c Release` (as README says).");
        var notebook = Notebook.Load(Path.Combine(RepositoryPaths.NotebooksFolder, name));

        var result = NotebookRunner.Run(notebook);

        var failures = result.Cells.Where(c => c.Status != CellStatus.Passed)
            .Select(c => $"cell {c.Index + 1}: {c.Status} {c.Error?.Summary}");
        Assert.True(result.Succeeded, $"{name}:\n" + string.Join("\n", failures));
        Assert.NotEmpty(result.Cells);
    }
}
