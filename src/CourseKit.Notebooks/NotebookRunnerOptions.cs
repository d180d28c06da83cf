namespace CourseKit.Notebooks;

public sealed record NotebookRunnerOptions
{
    /// <summary>A cell running longer is abandoned and the notebook stops (generous by default: training cells are slow).</summary>
    public TimeSpan CellTimeout { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>Run the remaining cells after a failing one (by default the run stops there, like nbconvert).</summary>
    public bool ContinueOnError { get; init; }

    /// <summary>Run with the notebook's folder as working directory, as VS Code starts the Polyglot kernel.</summary>
    public bool UseNotebookFolderAsWorkingDirectory { get; init; } = true;

    /// <summary>Called after each code cell (for progress lines).</summary>
    public Action<CellRun>? CellFinished { get; init; }
}
