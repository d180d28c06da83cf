using CourseKit.Notebooks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using CourseKit.Notebooks.Grading;
using CourseKit.Tests.Notebooks;

namespace CourseKit.Tests.Grading;

/// <summary>
/// Set-up cells the tests read are locked, and grading restores them from the source: a student who edits one (sets
/// <c>target</c> to what suits them, counts positions their own way) gets the grade of the unedited notebook.
/// The notebooks of chapters 1–2 are graded here as submissions, with the grader's restore, static checks and child.
/// </summary>
public sealed class LockedSetupCellsTests
{
    private static readonly GradingLimits Limits = new()
    {
        CellTimeout = TimeSpan.FromMinutes(5),
        SubmissionTime = TimeSpan.FromMinutes(15),
        Restarts = 0,
    };

    public static TheoryData<string> ChapterOneAndTwo => new(
        "3-1_ConvolutionOperation.ipynb", "3-3_ConvolutionLayer.ipynb", "3-4_PoolingLayer.ipynb", "3-5-1_CNN.ipynb", "3-5-2_CNN_GPU.ipynb");

    private static Notebook Load(string file) => Notebook.Load(Path.Combine(RepositoryPaths.Root, "notebooks", file));

    /// <summary>Grades the instructor's notebook, edited by <paramref name="edit"/>, as the grader grades a submission.</summary>
    private static IReadOnlyList<ExerciseResult> Grade(string file, Action<Notebook> edit)
    {
        GradingFixtures.RequireLibrary();
        var source = Load(file);
        var submission = Load(file);
        edit(submission);
        var restored = SubmissionRestore.Restore(source, submission);
        var found = StaticChecks.Find(source, restored).ToList();
        found.AddRange(Shadowing.Find(source, restored).Where(s => found.All(f => f.Cell != s.Cell)));
        string work = Directory.CreateTempSubdirectory("coursekit-locked-").FullName;
        try
        {
            var outcome = SubmissionRun.Run(restored, source.Path!, work, Limits, GradingFixtures.Child, [.. found.OrderBy(f => f.Cell)]);
            return Scoring.Score(restored, outcome.Runs, outcome.Incidents);
        }
        finally { if (Directory.Exists(work)) Directory.Delete(work, recursive: true); }
    }

    private static string Describe(IReadOnlyList<ExerciseResult> grade) =>
        string.Join("\n", grade.Select(e => $"{e.GradeId}: {ExerciseResult.Format(e.Points)}/{ExerciseResult.Format(e.MaxPoints)} {e.Reason} {e.Message}"));

    private static IEnumerable<(string GradeId, double Points)> PointsOf(IReadOnlyList<ExerciseResult> grade) => grade.Select(e => (e.GradeId, e.Points));

    // The answer forgets the padding; the student makes the check's position counter forget it too, so that an
    // unrestored check would count the same wrong numbers and pass.
    [Fact]
    public void Editing_3_1_CountPositions_does_not_change_the_grade()
    {
        const string file = "3-1_ConvolutionOperation.ipynb";
        const string forgotPadding = "int OutputLength(int size, int filter, int pad, int stride) => (size - filter) / stride + 1;";
        const string counterToMatch = "int CountPositions(int size, int filter, int pad, int stride) => (size - filter) / stride + 1;";
        void Answer(Notebook n) => n.Cell("3-1.output-size").Source = forgotPadding;

        var edited = Load(file);
        Answer(edited);
        edited.Cell("3-1.setup-5").Source = counterToMatch;
        Assert.Equal(Load(file).Cell("3-1.setup-5").Source, SubmissionRestore.Restore(Load(file), edited).Cell("3-1.setup-5").Source);

        var honest = Grade(file, Answer);
        var cheating = Grade(file, n => { Answer(n); n.Cell("3-1.setup-5").Source = counterToMatch; });
        Assert.True(honest.Single(e => e.GradeId == "3-1.output-size-check").Points == 0, Describe(honest));
        Assert.True(PointsOf(honest).SequenceEqual(PointsOf(cheating)), $"honest:\n{Describe(honest)}\nedited CountPositions:\n{Describe(cheating)}");
    }

    // The correct solution with 3-5-1's accuracy target edited: were the edit kept, no network could reach it and the
    // problem's check would fail; restored, the grade is the unedited one (full marks).
    [Fact]
    public void Editing_3_5_1_target_does_not_change_the_grade()
    {
        const string file = "3-5-1_CNN.ipynb";
        static void RaiseTarget(Notebook n)
        {
            var setUp = n.Cell("3-5-1.setup-3");
            Assert.Contains("double target = quick ? 0.70 : 0.96;", setUp.Source);
            setUp.Source = setUp.Source.Replace("double target = quick ? 0.70 : 0.96;", "double target = 1.01;");
        }

        var honest = Grade(file, _ => { });
        var edited = Grade(file, RaiseTarget);
        Assert.True(honest.All(e => e.Passed), Describe(honest));
        Assert.True(PointsOf(honest).SequenceEqual(PointsOf(edited)), $"unedited:\n{Describe(honest)}\nedited target:\n{Describe(edited)}");
    }

    // The release check (Markup) names a test's input declared in a cell students may edit: unlocking the set-up
    // cells the issue lists makes it fail with that name.
    [Theory]
    [InlineData("3-1_ConvolutionOperation.ipynb", "3-1.setup-5", "CountPositions")]
    [InlineData("3-1_ConvolutionOperation.ipynb", "3-1.setup-3", "lecturePadded")]
    [InlineData("3-1_ConvolutionOperation.ipynb", "3-1.setup-2", "X4")]
    [InlineData("3-1_ConvolutionOperation.ipynb", "3-1.setup-4", "X7")]
    [InlineData("3-3_ConvolutionLayer.ipynb", "3-3.setup-3", "dXNumerical")]
    [InlineData("3-4_PoolingLayer.ipynb", "3-4.setup-2", "dXLecture")]
    [InlineData("3-4_PoolingLayer.ipynb", "3-4.setup-3", "Distinct")]
    [InlineData("3-5-1_CNN.ipynb", "3-5-1.setup-2", "epochs")]
    [InlineData("3-5-1_CNN.ipynb", "3-5-1.setup-3", "target")]
    [InlineData("3-5-2_CNN_GPU.ipynb", "3-5-2.setup-1", "cl")]
    public void The_release_check_fails_when_a_set_up_cell_a_test_reads_is_unlocked(string file, string setUpId, string name)
    {
        var locked = Load(file);
        Assert.Empty(Markup.Problems(locked));

        var withMarks = Load(file);
        var marks = GradingMarks.Of(withMarks.Cell(setUpId))!;
        withMarks.Cell(setUpId).Metadata[GradingMarks.MetadataKey] = (marks with { Locked = false }).ToJson();
        Assert.Contains(Markup.Problems(withMarks), p => p.Contains($"reads '{name}'"));

        var unmarked = Load(file);
        unmarked.Cell(setUpId).Metadata.Remove(GradingMarks.MetadataKey);
        Assert.Contains(Markup.Problems(unmarked), p => p.Contains($"reads '{name}'"));
    }

    // Names a test reads lead to the cells that declare them; a locked cell's own inputs are followed in turn (a
    // restored cell computed from an editable one is no safer than that one). Every path must end in a locked cell,
    // an answer or the library.
    [Theory]
    [MemberData(nameof(ChapterOneAndTwo))]
    public void Every_cell_a_test_depends_on_is_locked_or_an_answer(string file)
    {
        var problems = UnlockedDependencies(Load(file));
        Assert.True(problems.Count == 0, $"{file}:\n" + string.Join("\n", problems));
    }

    // No test reads `quick` itself: it reaches 3-5-1's tests through the locked `target` and `epochs`.
    [Theory]
    [InlineData("3-5-1_CNN.ipynb", "3-5-1.setup-0", "quick")]
    [InlineData("3-5-1_CNN.ipynb", "3-5-1.setup-data", "mnist")]
    [InlineData("3-1_ConvolutionOperation.ipynb", "3-1.setup-1", "X")]
    public void An_unlocked_cell_a_test_reaches_through_a_locked_one_is_found(string file, string setUpId, string name)
    {
        var notebook = Load(file);
        notebook.Cell(setUpId).Metadata.Remove(GradingMarks.MetadataKey);
        Assert.Contains(UnlockedDependencies(notebook), p => p.Contains($"reads '{name}'"));
    }

    private static List<string> UnlockedDependencies(Notebook notebook)
    {
        var cells = notebook.Cells;
        var declared = cells.Select(c => c.IsCode ? Shadowing.DeclaredNames(c.Source).ToHashSet() : []).ToList();
        int? DeclaringCell(string name, int before)
        {
            for (int i = before - 1; i >= 0; i--) if (declared[i].Contains(name)) return i;
            return null;
        }
        var problems = new List<string>();
        for (int t = 0; t < cells.Count; t++)
        {
            if (GradingMarks.Of(cells[t]) is not { IsTest: true } test) continue;
            var seen = new HashSet<int> { t };
            var readers = new Queue<int>([t]);
            while (readers.TryDequeue(out int reader))
                foreach (string name in Shadowing.UsedNames(cells[reader].Source).Except(OwnNames(cells[reader].Source)))
                {
                    if (DeclaringCell(name, reader) is not { } at || !seen.Add(at)) continue;
                    var marks = GradingMarks.Of(cells[at]);
                    if (marks is { IsAnswer: true }) continue;
                    if (marks is { IsRestored: true }) readers.Enqueue(at);
                    else problems.Add($"{test.GradeId} reads '{name}' (in cell {reader + 1}), declared in cell {at + 1} ('{cells[at].Id}'), which is not locked");
                }
        }
        return problems;
    }

    // Every name a cell declares anywhere (top-level members, locals, parameters, lambda and loop variables): a
    // cell that uses such a name means its own.
    private static IEnumerable<string> OwnNames(string code)
    {
        var root = CSharpSyntaxTree.ParseText(code, new CSharpParseOptions(LanguageVersion.Latest, kind: SourceCodeKind.Script)).GetRoot();
        return Shadowing.DeclaredNames(code).Concat(root.DescendantNodes().SelectMany(node => node switch
        {
            VariableDeclaratorSyntax v => [v.Identifier.ValueText],
            ParameterSyntax p => [p.Identifier.ValueText],
            SingleVariableDesignationSyntax d => [d.Identifier.ValueText],
            ForEachStatementSyntax f => [f.Identifier.ValueText],
            LocalFunctionStatementSyntax l => [l.Identifier.ValueText],
            _ => Enumerable.Empty<string>(),
        }));
    }
}
