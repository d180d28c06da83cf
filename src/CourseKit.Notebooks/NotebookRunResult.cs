namespace CourseKit.Notebooks;

public enum CellStatus
{
    /// <summary>The cell ran to the end.</summary>
    Passed,
    /// <summary>It did not compile or threw; its error output says why.</summary>
    Failed,
    /// <summary>It ran longer than the per-cell timeout and was abandoned.</summary>
    TimedOut,
    /// <summary>An earlier cell failed, so it was not run.</summary>
    NotRun,
}

/// <summary>What happened to one code cell.</summary>
/// <param name="Index">Position of the cell in the notebook (0-based, counting markdown cells).</param>
/// <param name="ExecutionCount">The cell's execution count, or null when it did not run.</param>
public sealed record CellRun(int Index, int? ExecutionCount, CellStatus Status, TimeSpan Duration, CellError? Error);

/// <summary>The outcome of running a notebook; the notebook itself now holds the outputs.</summary>
public sealed record NotebookRunResult(Notebook Notebook, IReadOnlyList<CellRun> Cells, TimeSpan Duration)
{
    public bool Succeeded => Cells.All(c => c.Status == CellStatus.Passed);

    public int Count(CellStatus status) => Cells.Count(c => c.Status == status);
}
