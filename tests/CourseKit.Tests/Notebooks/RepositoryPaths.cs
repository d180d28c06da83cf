namespace CourseKit.Tests.Notebooks;

/// <summary>Where the repository's notebooks, fixtures and build outputs are, found from the test's own folder.</summary>
internal static class RepositoryPaths
{
    public static string Root { get; } = FindRoot();

    public static string Fixtures => Path.Combine(Root, "tests", "CourseKit.Tests", "Notebooks", "Fixtures");

    public static string NotebooksFolder => Path.Combine(Root, "notebooks");

    /// <summary>A fresh empty folder under the system temp folder.</summary>
    public static string NewTempFolder()
    {
        string folder = Path.Combine(Path.GetTempPath(), "coursekit-notebook-tests", Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(folder);
        return folder;
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "CourseKit.sln"))) return dir.FullName;
        throw new DirectoryNotFoundException($"No CourseKit.sln above {AppContext.BaseDirectory}.");
    }
}
