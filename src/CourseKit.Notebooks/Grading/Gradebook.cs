using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace CourseKit.Notebooks.Grading;

/// <summary>
/// The grader's results folder: one JSON result per graded submission (written last, so it marks the submission
/// as done for a resumed run), and grades.csv rebuilt from all of them. Every file is written to a temporary
/// name and renamed, so an interrupted run never leaves a half-written file. Each result is signed with a key
/// the grader keeps in the folder (<see cref="KeyFile"/>, readable by its owner only) and names the content it
/// graded (<see cref="NotebookGrade.ContentHash"/>): a result the grader did not write, or one for another
/// version of the submission or the source, is graded again.
/// </summary>
public sealed class Gradebook(string folder)
{
    public const string GradesFile = "grades.csv";

    /// <summary>The key that signs this folder's results (created on first use).</summary>
    public const string KeyFile = ".grader-key";

    private static readonly JsonSerializerOptions json = new() { WriteIndented = true };

    public string Folder { get; } = folder;

    public string GradesPath => Path.Combine(Folder, GradesFile);

    /// <summary>Where the result of a submission is kept.</summary>
    public string ResultPath(string student, string notebook) => Path.Combine(Folder, "results", student, notebook + ".json");

    /// <summary>The folder of a student's feedback (executed notebooks and HTML pages).</summary>
    public string FeedbackPath(string student, string notebook, string extension) =>
        Path.Combine(Folder, "feedback", student, Path.ChangeExtension(notebook, null) + extension);

    private byte[]? key;

    private byte[] Key
    {
        get
        {
            lock (keyGate)
            {
                if (key is not null) return key;
                string path = Path.Combine(Folder, KeyFile);
                Directory.CreateDirectory(Folder);
                if (!File.Exists(path))
                {
                    // written whole under another name, then renamed into place unless another grader was first
                    string temporary = $"{path}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp";
                    var create = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
                    if (!OperatingSystem.IsWindows()) create.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
                    using (var stream = new FileStream(temporary, create)) stream.Write(RandomNumberGenerator.GetBytes(32));
                    try { File.Move(temporary, path, overwrite: false); }
                    catch (IOException) when (File.Exists(path)) { File.Delete(temporary); }
                }
                return key = File.ReadAllBytes(path);
            }
        }
    }

    private readonly object keyGate = new();

    /// <summary>
    /// The result of a submission, if this grader wrote it (its signature checks) for the same content
    /// (<paramref name="contentHash"/>, null: any); else null, and the submission is graded again.
    /// </summary>
    public NotebookGrade? TryRead(string student, string notebook, string? contentHash = null)
    {
        string path = ResultPath(student, notebook);
        if (!File.Exists(path)) return null;
        try
        {
            var grade = ReadSigned(File.ReadAllText(path), Key);
            if (grade is null || grade.Student != student || grade.Notebook != notebook) return null;
            return contentHash is null || grade.ContentHash == contentHash ? grade : null;
        }
        catch (Exception e) when (e is JsonException or IOException or InvalidOperationException) { return null; } // unreadable: grade it again
    }

    /// <summary>Every result in this folder that its key signs (for <c>grade merge</c>), and the files that are not.</summary>
    public (List<NotebookGrade> Grades, List<string> Foreign) ReadAll()
    {
        var grades = new List<NotebookGrade>();
        var foreign = new List<string>();
        string results = Path.Combine(Folder, "results");
        if (!Directory.Exists(results)) return (grades, foreign);
        foreach (var path in Directory.GetFiles(results, "*.json", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            NotebookGrade? grade = null;
            try { grade = ReadSigned(File.ReadAllText(path), Key); }
            catch (Exception e) when (e is JsonException or IOException or InvalidOperationException) { }
            if (grade is not null && Path.GetFullPath(ResultPath(grade.Student, grade.Notebook)) == Path.GetFullPath(path)) grades.Add(grade);
            else foreign.Add(Path.GetRelativePath(Folder, path));
        }
        return (grades, foreign);
    }

    public void Write(NotebookGrade grade)
    {
        var signed = new JsonObject
        {
            ["signature"] = Signature(Key, grade),
            ["grade"] = JsonSerializer.SerializeToNode(grade, json),
        };
        WriteAtomically(ResultPath(grade.Student, grade.Notebook), signed.ToJsonString(json));
    }

    // the signature covers the grade as the serializer writes it, so reading it back and writing it again checks it
    private static string Signature(byte[] key, NotebookGrade grade) =>
        Convert.ToBase64String(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(JsonSerializer.Serialize(grade, json))));

    private static NotebookGrade? ReadSigned(string text, byte[] key)
    {
        var signed = JsonNode.Parse(text)?.AsObject();
        if (signed?["grade"] is not JsonObject node || signed["signature"] is not JsonValue signature) return null;
        var grade = node.Deserialize<NotebookGrade>(json);
        if (grade is null) return null;
        byte[] expected = Encoding.UTF8.GetBytes(Signature(key, grade)), given = Encoding.UTF8.GetBytes((string?)signature ?? "");
        return CryptographicOperations.FixedTimeEquals(expected, given) ? grade : null;
    }

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
