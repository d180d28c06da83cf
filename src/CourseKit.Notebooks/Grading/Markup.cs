namespace CourseKit.Notebooks.Grading;

/// <summary>Checks a source notebook's grading marks with nbgrader's rules before anything is released or graded.</summary>
public static class Markup
{
    /// <summary>
    /// The notebook's problems, one message each naming the notebook and the cell: missing or duplicate grade_id,
    /// points on a cell that is not graded, a graded cell without points, a locked answer cell, regions that do not pair up, a solution
    /// region outside a solution cell, hidden tests outside a test cell.
    /// </summary>
    public static IReadOnlyList<string> Problems(Notebook notebook)
    {
        string name = notebook.Path is null ? "notebook" : Path.GetFileName(notebook.Path);
        var problems = new List<string>();
        var seen = new Dictionary<string, int>();
        for (int i = 0; i < notebook.Cells.Count; i++)
        {
            var cell = notebook.Cells[i];
            var marks = GradingMarks.Of(cell);
            string where = marks is { GradeId.Length: > 0 } ? $"{name}, cell {i + 1} ('{marks.GradeId}')" : $"{name}, cell {i + 1}";
            void Problem(string text) => problems.Add($"{where}: {text}");

            (int Solutions, int HiddenTests) regions = (0, 0);
            try { regions = Regions.Count(cell.Source); }
            catch (FormatException e) { Problem(e.Message); }

            if (marks is null)
            {
                if (regions.Solutions > 0) Problem("a solution region in a cell that is not a solution cell (mark it nbgrader solution = true).");
                if (regions.HiddenTests > 0) Problem("hidden tests in a cell that is not an autograder test cell (mark it grade = true with points).");
                continue;
            }
            if (marks.SchemaVersion != GradingMarks.CurrentSchemaVersion)
                Problem($"nbgrader schema_version {marks.SchemaVersion}; CourseKit reads schema_version {GradingMarks.CurrentSchemaVersion}.");
            if (marks.GradeId.Length == 0)
                Problem("nbgrader cell without a grade_id.");
            else if (seen.TryGetValue(marks.GradeId, out int first))
                Problem($"grade_id '{marks.GradeId}' is already used by cell {first + 1}; every grade_id must be unique.");
            else
                seen[marks.GradeId] = i;

            if (marks.Points is not null && !marks.Grade)
                Problem($"{marks.Points} points on a cell that is not graded (grade = false); give points only to grade cells.");
            if (marks.Grade && marks.Points is not ( >= 0))
                Problem("a graded cell (grade = true) needs points ≥ 0.");
            if (regions.Solutions > 0 && !marks.Solution)
                Problem("a solution region in a cell that is not a solution cell (solution = false).");
            if (regions.HiddenTests > 0 && !marks.IsTest)
                Problem("hidden tests in a cell that is not an autograder test cell (grade = true, solution = false).");
            if (marks.Solution && marks.Locked)
                Problem("an answer cell (solution = true) cannot be locked: students must be able to edit it.");
            if (marks.IsTest && !cell.IsCode)
                Problem("autograder tests must be a code cell.");
        }
        problems.AddRange(UnlockedInputs(notebook, name));
        return problems;
    }

    /// <summary>
    /// Tests that read a name declared only in a cell students may edit (no nbgrader marks, or marks that neither lock it
    /// nor make it an answer): such a set-up cell
    /// must be locked (read-only), so that grading restores it from the source.
    /// </summary>
    private static IEnumerable<string> UnlockedInputs(Notebook notebook, string name)
    {
        if (!HasGradingMarks(notebook)) yield break;
        var safe = new HashSet<string>();
        var unlocked = new Dictionary<string, int>();
        for (int i = 0; i < notebook.Cells.Count; i++)
        {
            var cell = notebook.Cells[i];
            if (!cell.IsCode) continue;
            var declared = Shadowing.DeclaredNames(cell.Source);
            // restored at grading (tests, read-only cells) or the student's own answer; any other cell, marked or not, is editable
            if (GradingMarks.Of(cell) is { IsRestored: true } or { IsAnswer: true }) safe.UnionWith(declared);
            else foreach (var n in declared) unlocked.TryAdd(n, i);
        }
        for (int i = 0; i < notebook.Cells.Count; i++)
        {
            if (GradingMarks.Of(notebook.Cells[i]) is not { IsTest: true } marks) continue;
            foreach (var used in Shadowing.UsedNames(notebook.Cells[i].Source).Where(n => unlocked.ContainsKey(n) && !safe.Contains(n)).Order(StringComparer.Ordinal))
                yield return $"{name}, cell {i + 1} ('{marks.GradeId}'): the test reads '{used}', declared in cell {unlocked[used] + 1}, which students may edit; "
                    + "lock that cell (nbgrader grade = false, solution = false, locked = true, with a grade_id) so that grading restores it.";
        }
    }

    /// <summary>Throws <see cref="GradingMarkupException"/> listing every problem, if there is any.</summary>
    public static void Validate(Notebook notebook)
    {
        var problems = Problems(notebook);
        if (problems.Count > 0) throw new GradingMarkupException(string.Join("\n", problems));
    }

    /// <summary>True when the notebook has any nbgrader marks.</summary>
    public static bool HasGradingMarks(Notebook notebook) => notebook.Cells.Any(c => GradingMarks.Of(c) is not null);
}
