using System.Globalization;
using System.Text.Json.Nodes;

namespace CourseKit.Notebooks.Grading;

/// <summary>
/// A cell's nbgrader marks (cell metadata "nbgrader", schema_version 3), exactly as nbgrader defines them:
/// <list type="bullet">
/// <item>autograded answer (the student's code): solution = true, grade = false;</item>
/// <item>autograder tests: grade = true, solution = false, locked = true, with points;</item>
/// <item>manually graded answer: grade = true, solution = true, with points (not scored by the autograder);</item>
/// <item>read-only: locked = true, grade = false, solution = false.</item>
/// </list>
/// </summary>
public sealed record GradingMarks(string GradeId, bool Grade, bool Solution, bool Locked, double? Points, int SchemaVersion)
{
    public const string MetadataKey = "nbgrader";

    public const int CurrentSchemaVersion = 3;

    /// <summary>Autograder tests: the cell passes (and scores its points) when it runs without error.</summary>
    public bool IsTest => Grade && !Solution;

    /// <summary>An answer the student writes; its solution regions are replaced in the student version.</summary>
    public bool IsAnswer => Solution;

    /// <summary>Cells the grader restores from the source before running: tests and read-only cells (never answers).</summary>
    public bool IsRestored => IsTest || (Locked && !Solution);

    /// <summary>The marks of <paramref name="cell"/>, or null when it has no "nbgrader" metadata.</summary>
    public static GradingMarks? Of(NotebookCell cell)
    {
        if (cell.Metadata[MetadataKey] is not JsonObject marks) return null;
        return new GradingMarks(
            Text(marks["grade_id"]) ?? "",
            Flag(marks["grade"]),
            Flag(marks["solution"]),
            Flag(marks["locked"]),
            Number(marks["points"]),
            (int)(Number(marks["schema_version"]) ?? CurrentSchemaVersion));
    }

    /// <summary>The "nbgrader" metadata object for these marks, keys in nbgrader's order.</summary>
    public JsonObject ToJson()
    {
        var json = new JsonObject
        {
            ["grade"] = Grade,
            ["grade_id"] = GradeId,
            ["locked"] = Locked,
        };
        if (Points is { } points) json["points"] = points == Math.Floor(points) ? JsonValue.Create((long)points) : JsonValue.Create(points);
        json["schema_version"] = SchemaVersion;
        json["solution"] = Solution;
        return json;
    }

    public override string ToString() =>
        IsTest ? $"autograder tests '{GradeId}' ({Points?.ToString(CultureInfo.InvariantCulture) ?? "no"} points)"
        : Solution && Grade ? $"manually graded answer '{GradeId}'"
        : Solution ? $"answer '{GradeId}'"
        : Locked ? $"read-only cell '{GradeId}'"
        : $"cell '{GradeId}'";

    private static bool Flag(JsonNode? node) => node is JsonValue v && v.TryGetValue(out bool b) && b;

    private static string? Text(JsonNode? node) => node is JsonValue v && v.TryGetValue(out string? s) ? s : null;

    // a number written by any JSON writer (1, 1.0, 1e0) or, leniently, a numeric string
    private static double? Number(JsonNode? node) => node switch
    {
        JsonValue v when v.GetValueKind() == System.Text.Json.JsonValueKind.Number =>
            double.Parse(v.ToJsonString(), CultureInfo.InvariantCulture),
        JsonValue v when v.TryGetValue(out string? s) && double.TryParse(s, CultureInfo.InvariantCulture, out double d) => d,
        _ => null,
    };
}
