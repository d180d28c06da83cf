using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace CourseKit.Notebooks.Grading;

/// <summary>
/// The notebook the grader runs for one submission, as nbgrader's autograde builds it: test cells and read-only
/// cells come from the source (hidden tests included), answers from the student, matched by grade_id. A test or
/// read-only cell the student deleted is put back at its source position, an answer the student deleted becomes
/// the released stub, and cells the student added stay after the graded cell they followed.
/// </summary>
public static partial class SubmissionRestore
{
    /// <summary>
    /// The fully qualified check API that restored test cells call, so that a student's own <c>class Check</c>
    /// (or a using alias) cannot stand in for it.
    /// </summary>
    public const string QualifiedCheck = "global::CourseKit.Grading.Check";

    public static Notebook Restore(Notebook source, Notebook submission)
    {
        Markup.Validate(source);
        var graded = source.Cells
            .Select(c => (Cell: c, Marks: GradingMarks.Of(c)))
            .Where(c => c.Marks is { GradeId.Length: > 0 })
            .ToDictionary(c => c.Marks!.GradeId, c => (c.Cell, Marks: c.Marks!));

        // the student's answers by grade_id, and the cells they wrote, kept after the graded cell they followed
        var answers = new Dictionary<string, NotebookCell>();
        var added = new Dictionary<string, List<JsonObject>>();
        string anchor = "";
        foreach (var cell in submission.Cells)
        {
            string? id = GradingMarks.Of(cell)?.GradeId;
            if (id is not null && graded.ContainsKey(id))
            {
                if (answers.TryAdd(id, cell)) anchor = id; // a duplicated graded cell is dropped
                continue;
            }
            var copy = cell.Json.DeepClone().AsObject();
            copy["metadata"]?.AsObject().Remove(GradingMarks.MetadataKey); // an unknown grade_id scores nothing
            (added.TryGetValue(anchor, out var list) ? list : added[anchor] = []).Add(copy);
        }

        var cells = new JsonArray();
        foreach (var extra in added.GetValueOrDefault("") ?? []) cells.Add(extra);
        foreach (var sourceCell in source.Cells)
        {
            if (GradingMarks.Of(sourceCell) is not { GradeId.Length: > 0 } marks) continue;
            var restored = sourceCell.Json.DeepClone().AsObject();
            if (marks.IsTest)
                restored["source"] = MultilineText.Write(QualifyCheck(sourceCell.Source));
            else if (!marks.IsRestored)
                restored["source"] = answers.TryGetValue(marks.GradeId, out var answer)
                    ? MultilineText.Write(answer.Source)
                    : MultilineText.Write(StudentRelease.StudentAnswer(sourceCell));
            cells.Add(restored);
            foreach (var extra in added.GetValueOrDefault(marks.GradeId) ?? []) cells.Add(extra);
        }

        var root = JsonNode.Parse(source.ToJson())!.AsObject();
        root["cells"] = cells;
        return Notebook.Parse(root.ToJsonString(), source.Path);
    }

    /// <summary>Rewrites <c>Check.X(...)</c> calls to <c>global::CourseKit.Grading.Check.X(...)</c>.</summary>
    public static string QualifyCheck(string code) => CheckCall().Replace(code, QualifiedCheck);

    [GeneratedRegex(@"(?<![\w.:@""])Check(?=\s*\.)")]
    private static partial Regex CheckCall();
}
