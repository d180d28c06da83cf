namespace CourseKit.Notebooks.Grading;

/// <summary>
/// A cell that ended or hung the grading process, or went past a limit: it scores nothing, and the notebook was
/// run again without it (up to <see cref="GradingLimits.Restarts"/> times).
/// </summary>
/// <param name="Cell">The cell's index in the graded notebook (0-based).</param>
/// <param name="Reason">Short category: timeout, stack overflow, memory limit, time limit, process exit, crash.</param>
/// <param name="RanAgain">The notebook was run again without this cell (so the exercises after it were still graded).</param>
public sealed record Incident(int Cell, string Reason, string Message, bool RanAgain = false);
