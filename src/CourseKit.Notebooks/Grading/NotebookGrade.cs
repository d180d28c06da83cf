using System.Security.Cryptography;
using System.Text.Json.Serialization;

namespace CourseKit.Notebooks.Grading;

/// <summary>One student's grade for one notebook: every autograder test's result and what went wrong on the way.</summary>
/// <param name="Notebook">The notebook's path relative to the source folder, with '/' separators.</param>
/// <param name="Incidents">Cells that ended or hung the process or went past a limit.</param>
/// <param name="Problem">Why the notebook could not run at all (missing, not valid JSON), else null.</param>
/// <param name="ProblemReason">Short category of <paramref name="Problem"/> for the summary.</param>
/// <param name="ContentHash">What was graded: <see cref="HashOf"/> of the submission and the source notebook.</param>
/// <param name="Notes">What the student should know beyond the cells (processes killed at the end).</param>
public sealed record NotebookGrade(
    string Student, string Notebook, IReadOnlyList<ExerciseResult> Exercises, IReadOnlyList<Incident> Incidents,
    string? Problem = null, string? ProblemReason = null, string? ContentHash = null, IReadOnlyList<string>? Notes = null)
{
    /// <summary>SHA-256 of the source notebook's file and the submission's (none when it is missing), in hex.</summary>
    public static string HashOf(string sourcePath, string? submissionPath)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var path in new[] { sourcePath, submissionPath })
        {
            byte[] bytes = path is not null && File.Exists(path) ? File.ReadAllBytes(path) : [];
            hash.AppendData(BitConverter.GetBytes((long)bytes.Length));
            hash.AppendData(bytes);
        }
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    public const string MissingNotebook = "missing notebook";
    public const string InvalidNotebook = "invalid notebook";
    public const string GraderError = "grader error";

    [JsonIgnore] public double Total => Exercises.Sum(e => e.Points);

    [JsonIgnore] public double Max => Exercises.Sum(e => e.MaxPoints);

    /// <summary>
    /// Every reason something went wrong, with a message: the notebook's problem alone when it could not run,
    /// else the incidents and the failed tests.
    /// </summary>
    [JsonIgnore]
    public IEnumerable<(string Reason, string What)> Failures => Problem is not null
        ? [(ProblemReason ?? InvalidNotebook, Problem)]
        : Incidents.Select(i => (i.Reason, $"cell {i.Cell + 1}: {i.Message}"))
            .Concat(Exercises.Where(e => !e.Passed).Select(e => (e.Reason!, $"{e.GradeId}: {e.Message.Split('\n')[0]}")));

    /// <summary>What kept the notebook from running normally (not wrong answers): its problem and the incidents' reasons.</summary>
    [JsonIgnore]
    public IEnumerable<string> Problems =>
        (ProblemReason is null ? [] : new[] { ProblemReason }).Concat(Incidents.Select(i => i.Reason)).Distinct();
}
