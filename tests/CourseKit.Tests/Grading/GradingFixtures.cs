using CourseKit.Notebooks;
using CourseKit.Notebooks.Grading;
using CourseKit.Tests.Notebooks;

namespace CourseKit.Tests.Grading;

/// <summary>The grading fixtures: a small solution notebook with three exercises, and how to start the grader's child.</summary>
internal static class GradingFixtures
{
    public static string SourceFolder => Path.Combine(RepositoryPaths.Root, "tests", "CourseKit.Tests", "Grading", "Fixtures", "source");

    public static string SourcePath => Path.Combine(SourceFolder, "Exercises.ipynb");

    /// <summary>The solution notebook's test cells and their points.</summary>
    public static readonly IReadOnlyDictionary<string, double> Points = new Dictionary<string, double>
    {
        ["conv-size"] = 1, ["im2col"] = 2, ["patch-length"] = 1,
    };

    public static Notebook Source() => Notebook.Load(SourcePath);

    /// <summary>The cell with this grade_id.</summary>
    public static NotebookCell Cell(this Notebook notebook, string gradeId) =>
        notebook.Cells.Single(c => GradingMarks.Of(c)?.GradeId == gradeId);

    /// <summary>coursekit (built with the tests, same configuration) run by the same dotnet as the tests.</summary>
    public static ChildCommand Child
    {
        get
        {
            string configuration = new DirectoryInfo(AppContext.BaseDirectory).Name; // artifacts/bin/CourseKit.Tests/<release|debug>
            string cli = Path.Combine(RepositoryPaths.Root, "artifacts", "bin", "CourseKit.Cli", configuration, "CourseKit.Cli.dll");
            Assert.True(File.Exists(cli), $"{cli} is missing: the test project builds it (ProjectReference).");
            return new ChildCommand(Environment.ProcessPath!, [cli]);
        }
    }

    public static string LibraryPath => Path.Combine(RepositoryPaths.Root, "artifacts", "bin", "CourseKit", "release", "CourseKit.dll");

    public static void RequireLibrary() =>
        Assert.True(File.Exists(LibraryPath), $"{LibraryPath} is missing: build it with `dotnet build src/CourseKit -c Release` (as README says).");
}
