namespace CourseKit.Notebooks.Grading;

/// <summary>What to grade and where the results go.</summary>
public sealed record GraderOptions
{
    /// <summary>One folder per student, each holding the student's notebooks (same names as the source).</summary>
    public required string SubmissionsFolder { get; init; }

    /// <summary>The instructor's notebooks, with solutions and hidden tests.</summary>
    public required string SourceFolder { get; init; }

    /// <summary>grades.csv, results/ (one JSON per submission) and feedback/ go here.</summary>
    public required string OutputFolder { get; init; }

    /// <summary>Grade again the submissions that already have a result (by default a rerun resumes).</summary>
    public bool Regrade { get; init; }

    public GradingLimits Limits { get; init; } = new();

    public ChildCommand Child { get; init; } = ChildCommand.CurrentProcess();

    /// <summary>Submissions graded at the same time (each in its own sandbox): one per core by default.</summary>
    public int Parallelism { get; init; } = Environment.ProcessorCount;

    /// <summary>
    /// Grade without a sandbox: student code then runs with the grader's rights and could read the solutions
    /// and the other submissions. Only for submissions the instructor trusts, on a machine without one.
    /// </summary>
    public bool WithoutSandbox { get; init; }

    /// <summary>Further files or folders the sandboxed notebooks may read (data they load), besides what they #r.</summary>
    public IReadOnlyList<string> ReadOnly { get; init; } = [];

    /// <summary>Grade only slice Index of Count (1-based; students dealt out in name order), see <see cref="ShardManifest"/>.</summary>
    public (int Index, int Count)? Shard { get; init; }

    /// <summary>Called when a submission is done (or skipped because it had a result: then the flag is true).</summary>
    public Action<NotebookGrade, bool>? Graded { get; init; }
}
