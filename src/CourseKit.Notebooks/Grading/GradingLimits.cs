namespace CourseKit.Notebooks.Grading;

/// <summary>What one submission may use; past a limit its process is stopped and the cell it was running scores 0.</summary>
public sealed record GradingLimits
{
    /// <summary>A cell running longer is abandoned (the runner's per-cell timeout).</summary>
    public TimeSpan CellTimeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Wall-clock time for the whole submission, restarts included.</summary>
    public TimeSpan SubmissionTime { get; init; } = TimeSpan.FromMinutes(30);

    /// <summary>
    /// Memory of the child process: its GC heap is capped just below (DOTNET_GCHeapHardLimit, so an allocation
    /// beyond throws OutOfMemoryException in the cell), and a watchdog stops it when its working set goes beyond.
    /// </summary>
    public long MemoryBytes { get; init; } = 2L << 30;

    /// <summary>
    /// How often a notebook is run again after a cell ended or hung the process (that cell disabled), so that
    /// one runaway exercise does not cost the exercises after it.
    /// </summary>
    public int Restarts { get; init; } = 3;
}
