using System.Collections.Concurrent;
using CourseKit.Notebooks;

namespace CourseKit.Tests.Notebooks;

/// <summary>
/// Each course notebook run once per test process by CourseKit's runner, shared by the tests that need the run
/// (CourseNotebooksTests asserts it passes; DotNetInteractiveNotebooksTests compares its outputs with the real
/// kernel's). Callers are in the notebook runner collection, so the runs happen one at a time.
/// </summary>
internal static class CourseNotebookRuns
{
    private static readonly ConcurrentDictionary<string, Lazy<NotebookRunResult>> Runs = new();

    /// <summary>The run of notebooks/<paramref name="name"/>.</summary>
    public static NotebookRunResult Get(string name) =>
        Runs.GetOrAdd(name, n => new Lazy<NotebookRunResult>(
            () => NotebookRunner.Run(Notebook.Load(Path.Combine(RepositoryPaths.NotebooksFolder, n))))).Value;
}
