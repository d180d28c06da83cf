using CourseKit.Notebooks;
using CourseKit.Notebooks.Grading;
using CourseKit.Tests.Notebooks;

namespace CourseKit.Tests.Grading;

/// <summary>
/// Answers with the mistakes students make, put in the place of an exercise's solution: the exercise's visible tests
/// (hidden tests removed, as the student sees them) must fail, so that the student learns of the mistake before grading.
/// The notebook runs with only its first cells (the library and the usings), the answer and the test.
/// </summary>
public sealed class PlausibleMistakesTests
{
    private static CellRun VisibleTestOf(string file, int setUpCells, string answerId, string testId, string? answer, params string[] keep)
    {
        GradingFixtures.RequireLibrary();
        var notebook = Notebook.Load(Path.Combine(RepositoryPaths.Root, "notebooks", file));
        int answerIndex = -1, testIndex = -1;
        for (int i = 0; i < notebook.Cells.Count; i++)
        {
            var cell = notebook.Cells[i];
            if (!cell.IsCode) continue;
            string? id = GradingMarks.Of(cell)?.GradeId;
            if (id == answerId) { cell.Source = answer ?? cell.Source; answerIndex = i; }
            else if (id == testId) { cell.Source = Regions.RemoveHiddenTests(cell.Source, out _); testIndex = i; }
            else if (notebook.Cells.Take(i).Count(c => c.IsCode) >= setUpCells && !keep.Contains(id)) cell.Source = "";
        }
        Assert.True(answerIndex >= 0 && testIndex > answerIndex, $"{file}: no cells {answerId} and {testId}");
        var result = NotebookRunner.Run(notebook, new NotebookRunnerOptions { ContinueOnError = true });
        Assert.Equal(CellStatus.Passed, result.Cells.Single(c => c.Index == answerIndex).Status);
        return result.Cells.Single(c => c.Index == testIndex);
    }

    public static TheoryData<string, string> BottleneckMistakes => new()
    {
        { "batch normalization forgotten", """
            long ConvolutionParameters(int inChannels, int outChannels, int kernel, bool bias) => (long)outChannels * inChannels * kernel * kernel + (bias ? outChannels : 0);
            long BottleneckParameters(int inChannels, int channels, int stride) =>
                ConvolutionParameters(inChannels, channels, 1, false) + ConvolutionParameters(channels, channels, 3, false) + ConvolutionParameters(channels, 4 * channels, 1, false)
                + (stride != 1 || inChannels != 4 * channels ? ConvolutionParameters(inChannels, 4 * channels, 1, false) : 0);
            """ },
        { "running mean and variance counted as parameters", """
            long ConvolutionParameters(int inChannels, int outChannels, int kernel, bool bias) => (long)outChannels * inChannels * kernel * kernel + (bias ? outChannels : 0);
            long BottleneckParameters(int inChannels, int channels, int stride) =>
                ConvolutionParameters(inChannels, channels, 1, false) + 4 * channels + ConvolutionParameters(channels, channels, 3, false) + 4 * channels
                + ConvolutionParameters(channels, 4 * channels, 1, false) + 16 * channels
                + (stride != 1 || inChannels != 4 * channels ? ConvolutionParameters(inChannels, 4 * channels, 1, false) + 16 * channels : 0);
            """ },
        { "projection only when the channels change", """
            long ConvolutionParameters(int inChannels, int outChannels, int kernel, bool bias) => (long)outChannels * inChannels * kernel * kernel + (bias ? outChannels : 0);
            long BottleneckParameters(int inChannels, int channels, int stride) =>
                ConvolutionParameters(inChannels, channels, 1, false) + 2 * channels + ConvolutionParameters(channels, channels, 3, false) + 2 * channels
                + ConvolutionParameters(channels, 4 * channels, 1, false) + 8 * channels
                + (inChannels != 4 * channels ? ConvolutionParameters(inChannels, 4 * channels, 1, false) + 8 * channels : 0);
            """ },
        { "the bias counted once per weight", """
            long ConvolutionParameters(int inChannels, int outChannels, int kernel, bool bias) => (long)outChannels * inChannels * kernel * kernel * (bias ? 2 : 1);
            long BottleneckParameters(int inChannels, int channels, int stride) =>
                ConvolutionParameters(inChannels, channels, 1, false) + 2 * channels + ConvolutionParameters(channels, channels, 3, false) + 2 * channels
                + ConvolutionParameters(channels, 4 * channels, 1, false) + 8 * channels
                + (stride != 1 || inChannels != 4 * channels ? ConvolutionParameters(inChannels, 4 * channels, 1, false) + 8 * channels : 0);
            """ },
    };

    [Theory]
    [MemberData(nameof(BottleneckMistakes))]
    public void Notebook_3_7_parameter_count_mistakes_fail_the_visible_test(string mistake, string answer)
    {
        var test = VisibleTestOf("3-7_ResNet.ipynb", setUpCells: 2, "3-7.parameters", "3-7.parameters-check", answer);
        Assert.True(test.Status == CellStatus.Failed, $"{mistake}: the visible test passed");
        Assert.Contains("3-7.parameters", test.Error!.Message);
    }

    /// <summary>The source's own solution of <paramref name="answerId"/> with one mistake put in: <paramref name="right"/> replaced by <paramref name="wrong"/>.</summary>
    private static string SolutionWith(string file, string answerId, string right, string wrong)
    {
        var notebook = Notebook.Load(Path.Combine(RepositoryPaths.Root, "notebooks", file));
        string solution = notebook.Cells.Single(c => GradingMarks.Of(c)?.GradeId == answerId).Source;
        Assert.Contains(right, solution);
        return solution.Replace(right, wrong);
    }

    // The lecture's example has each maximum on its frame's diagonal, where row and column cannot be told apart.
    [Fact]
    public void Notebook_3_4_route_with_row_and_column_swapped_fails_the_visible_test()
    {
        string answer = SolutionWith("3-4_PoolingLayer.ipynb", "3-4.route",
            "dx[i * size + k / size, j * size + k % size]", "dx[i * size + k % size, j * size + k / size]");
        var test = VisibleTestOf("3-4_PoolingLayer.ipynb", setUpCells: 4, "3-4.route", "3-4.route-check", answer);
        Assert.True(test.Status == CellStatus.Failed, "k / size and k % size swapped: the visible test passed");
        Assert.Contains("3-4.route", test.Error!.Message);
    }

    // With frames that do not overlap (Stride = Size, the default) the two cannot be told apart.
    [Fact]
    public void Notebook_3_4_layer_with_size_for_stride_fails_the_visible_test()
    {
        string answer = SolutionWith("3-4_PoolingLayer.ipynb", "3-4.layer",
            "Im2Col.ViaXHat(x.Reshape(n * c, 1, h, w), Size, Size, Stride)", "Im2Col.ViaXHat(x.Reshape(n * c, 1, h, w), Size, Size, Size)");
        answer = answer.Replace("[1, 1, Size, Size], Stride)", "[1, 1, Size, Size], Size)");
        var test = VisibleTestOf("3-4_PoolingLayer.ipynb", setUpCells: 4, "3-4.layer", "3-4.layer-check", answer, "3-4.setup-3");
        Assert.True(test.Status == CellStatus.Failed, "Size where Stride belongs: the visible test passed");
        Assert.Contains("3-4.layer", test.Error!.Message);
    }

    // The check of the mistakes above means something only if the right answer passes the same visible test.
    [Theory]
    [InlineData("3-4.route", "3-4.route-check")]
    [InlineData("3-4.layer", "3-4.layer-check")]
    public void Notebook_3_4_solution_passes_the_visible_test_run_the_same_way(string answerId, string testId)
    {
        var test = VisibleTestOf("3-4_PoolingLayer.ipynb", setUpCells: 4, answerId, testId, answer: null, "3-4.setup-3");
        Assert.Equal(CellStatus.Passed, test.Status);
    }
}
