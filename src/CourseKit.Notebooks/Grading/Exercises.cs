namespace CourseKit.Notebooks.Grading;

/// <summary>
/// Which cells make one exercise: an answer cell and the test cells after it, up to the next answer cell (the
/// layout every course notebook uses: exercise, then its tests). Cells a student added belong to the exercise
/// whose answer they follow.
/// </summary>
public static class Exercises
{
    /// <summary>The index of the answer cell the cell at <paramref name="index"/> belongs to (the last one before it), or null.</summary>
    public static int? AnswerOf(Notebook notebook, int index)
    {
        for (int i = index; i >= 0; i--)
            if (GradingMarks.Of(notebook.Cells[i]) is { IsAnswer: true }) return i;
        return null;
    }

    /// <summary>The test cells of the exercise whose answer cell is at <paramref name="answer"/> (null: the tests before the first answer).</summary>
    public static IEnumerable<int> TestsOf(Notebook notebook, int? answer)
    {
        for (int i = (answer ?? -1) + 1; i < notebook.Cells.Count; i++)
        {
            var marks = GradingMarks.Of(notebook.Cells[i]);
            if (marks is { IsAnswer: true }) yield break;
            if (marks is { IsTest: true }) yield return i;
        }
    }
}
