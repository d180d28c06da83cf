namespace CourseKit.Notebooks.Grading;

/// <summary>
/// The student version of a source notebook, as nbgrader's release: each solution region becomes
/// <c>// YOUR CODE HERE</c> + <c>throw new NotImplementedException();</c> (the code around it stays), hidden tests
/// are removed, outputs and execution counts are cleared; everything else (markdown, visible tests, grading
/// metadata, cell ids) is kept as it is.
/// </summary>
public static class StudentRelease
{
    /// <summary>What a student finds in a markdown answer cell.</summary>
    public const string MarkdownStub = "YOUR ANSWER HERE";

    /// <summary>The student version of <paramref name="source"/> (validated first; the source is not changed).</summary>
    public static Notebook Release(Notebook source)
    {
        Markup.Validate(source);
        var student = Notebook.Parse(source.ToJson(), source.Path);
        foreach (var cell in student.Cells)
        {
            cell.ClearOutputs();
            var marks = GradingMarks.Of(cell);
            if (marks is null) continue;
            if (marks.Solution) cell.Source = StudentAnswer(cell);
            if (marks.IsTest) cell.Source = Regions.RemoveHiddenTests(cell.Source, out _);
        }
        return student;
    }

    /// <summary>
    /// A solution cell as released: its regions replaced, or, as nbgrader does, the whole cell replaced by the stub
    /// when it has no region.
    /// </summary>
    public static string StudentAnswer(NotebookCell cell)
    {
        string answer = Regions.ReplaceSolutions(cell.Source, out int regions);
        if (regions > 0) return answer;
        return cell.IsCode ? string.Join('\n', Regions.Stub) : MarkdownStub;
    }

    /// <summary>
    /// Releases every notebook under <paramref name="sourceFolder"/> (sub-folders kept) into <paramref name="outputFolder"/>;
    /// other files are ignored. Every notebook is validated before any is written. Returns the written paths.
    /// </summary>
    public static IReadOnlyList<string> ReleaseFolder(string sourceFolder, string outputFolder)
    {
        if (!Directory.Exists(sourceFolder)) throw new DirectoryNotFoundException($"release: the source folder {sourceFolder} does not exist.");
        var released = new List<(string Path, Notebook Notebook)>();
        var problems = new List<string>();
        foreach (var path in SourceNotebooks(sourceFolder))
        {
            try { released.Add((Path.Combine(outputFolder, Path.GetRelativePath(sourceFolder, path)), Release(Notebook.Load(path)))); }
            catch (Exception e) when (e is NotebookFormatException or GradingMarkupException) { problems.Add(e.Message); }
        }
        if (problems.Count > 0) throw new GradingMarkupException(string.Join("\n", problems) + "\nNothing was released.");
        foreach (var (path, notebook) in released) notebook.Save(path);
        return [.. released.Select(r => r.Path)];
    }

    /// <summary>The .ipynb files under a folder in a stable order, skipping checkpoints and build output.</summary>
    public static IEnumerable<string> SourceNotebooks(string folder) =>
        Directory.GetFiles(folder, "*.ipynb", SearchOption.AllDirectories)
            // judged below the folder only: a course kept under some ".../artifacts/..." path still has its notebooks found
            .Where(p => !Path.GetRelativePath(folder, p).Split(Path.DirectorySeparatorChar).Any(part => part is ".ipynb_checkpoints" or "artifacts"))
            .Order(StringComparer.Ordinal);
}
