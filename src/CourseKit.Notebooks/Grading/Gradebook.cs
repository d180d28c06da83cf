using System.Text;
using System.Text.Json;

namespace CourseKit.Notebooks.Grading;

/// <summary>
/// The grader's results folder: one JSON result per graded submission (written last, so it marks the submission
/// as done for a resumed run), and grades.csv rebuilt from all of them. Every file is written to a temporary
/// name and renamed, so an interrupted run never leaves a half-written file.
/// </summary>
public sealed class Gradebook(string folder)
{
    public const string GradesFile = "grades.csv";

    private static readonly JsonSerializerOptions json = new() { WriteIndented = true };

    public string Folder { get; } = folder;

    public string GradesPath => Path.Combine(Folder, GradesFile);

    /// <summary>Where the result of a submission is kept.</summary>
    public string ResultPath(string student, string notebook) => Path.Combine(Folder, "results", student, notebook + ".json");

    /// <summary>The folder of a student's feedback (executed notebooks and HTML pages).</summary>
    public string FeedbackPath(string student, string notebook, string extension) =>
        Path.Combine(Folder, "feedback", student, Path.ChangeExtension(notebook, null) + extension);

    public NotebookGrade? TryRead(string student, string notebook)
    {
        string path = ResultPath(student, notebook);
        if (!File.Exists(path)) return null;
        try { return JsonSerializer.Deserialize<NotebookGrade>(File.ReadAllText(path), json); }
        catch (JsonException) { return null; } // unreadable: grade it again
    }

    public void Write(NotebookGrade grade) => WriteAtomically(ResultPath(grade.Student, grade.Notebook), JsonSerializer.Serialize(grade, json));

    /// <summary>
    /// Rewrites grades.csv: a row per (student, notebook) graded so far, a column per autograder test (grade_id) of
    /// the source notebooks in their order, then total, max, and what kept the notebook from running normally (an invalid
    /// notebook, a stack overflow, a timeout...).
    /// </summary>
    public void WriteGrades(IEnumerable<NotebookGrade> grades, IReadOnlyList<string> exerciseIds)
    {
        var csv = new StringBuilder();
        csv.AppendLine(string.Join(",", new[] { "student", "notebook" }.Concat(exerciseIds).Concat(["total", "max", "problems"]).Select(Quote)));
        foreach (var grade in grades)
        {
            var points = grade.Exercises.ToDictionary(e => e.GradeId, e => ExerciseResult.Format(e.Points));
            var row = new[] { grade.Student, grade.Notebook }
                .Concat(exerciseIds.Select(id => points.GetValueOrDefault(id, "")))
                .Concat([ExerciseResult.Format(grade.Total), ExerciseResult.Format(grade.Max), string.Join("; ", grade.Problems)]);
            csv.AppendLine(string.Join(",", row.Select(Quote)));
        }
        WriteAtomically(GradesPath, csv.ToString());
    }

    /// <summary>Writes the whole text to a temporary file and renames it over <paramref name="path"/>.</summary>
    public static void WriteAtomically(string path, string text)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        string temporary = $"{path}.{Environment.ProcessId}.tmp";
        File.WriteAllText(temporary, text);
        File.Move(temporary, path, overwrite: true);
    }

    private static string Quote(string field) =>
        field.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? "\"" + field.Replace("\"", "\"\"") + "\"" : field;
}
