using CourseKit.Notebooks;
using CourseKit.Notebooks.Grading;
using CourseKit.Tests.Notebooks;

namespace CourseKit.Tests.Grading;

/// <summary>
/// Notebook 0-1's exercises on backpropagation (an Affine layer's backward, a two-layer network trained from it):
/// the mistakes students make, put in the place of the solution, fail the visible test (hidden tests removed, as the
/// student sees them), so the student learns of the mistake before grading; and an answer that hands the work to the
/// library's twin passes that test but scores nothing. The notebook runs with only its first two cells (the library
/// and the usings), the answers it needs and the test.
/// </summary>
public sealed class PlausibleMistakes01Tests
{
    private const string File01 = "0-1_NeuralNetworkBasics.ipynb";
    private const string Affine = "0-1.affine-backward", AffineCheck = "0-1.affine-backward-check";
    private const string TwoLayer = "0-1.two-layer", TwoLayerCheck = "0-1.two-layer-check";

    private static Notebook Load() => Notebook.Load(Path.Combine(RepositoryPaths.Root, "notebooks", File01));

    private static NotebookCell Cell(Notebook notebook, string gradeId) => notebook.Cells.Single(c => GradingMarks.Of(c)?.GradeId == gradeId);

    /// <summary>Runs the visible test <paramref name="testId"/> after the answers: <paramref name="answers"/> in place of the solutions they name, the others as the source has them.</summary>
    private static CellRun VisibleTest(string testId, params (string Id, string Source)[] answers)
    {
        GradingFixtures.RequireLibrary();
        var notebook = Load();
        int testIndex = -1;
        string[] answerIds = [Affine, TwoLayer];
        for (int i = 0, code = 0; i < notebook.Cells.Count; i++)
        {
            var cell = notebook.Cells[i];
            if (!cell.IsCode) continue;
            string? id = GradingMarks.Of(cell)?.GradeId;
            if (id == testId) { cell.Source = Regions.RemoveHiddenTests(cell.Source, out _); testIndex = i; }
            else if (id is not null && answerIds.Contains(id)) cell.Source = answers.FirstOrDefault(a => a.Id == id).Source ?? cell.Source;
            else if (code >= 2) cell.Source = "";
            code++;
        }
        var result = NotebookRunner.Run(notebook, new NotebookRunnerOptions { ContinueOnError = true });
        Assert.All(result.Cells.Where(c => c.Index < testIndex), c => Assert.Equal(CellStatus.Passed, c.Status));
        return result.Cells.Single(c => c.Index == testIndex);
    }

    /// <summary>The source's solution of <paramref name="answerId"/> with <paramref name="right"/> replaced by <paramref name="wrong"/>.</summary>
    private static string SolutionWith(string answerId, string right, string wrong)
    {
        string solution = Cell(Load(), answerId).Source;
        Assert.Contains(right, solution);
        return solution.Replace(right, wrong);
    }

    public static TheoryData<string, string, string> AffineMistakes => new()
    {
        { "dW = dYᵀ·X, the transposes swapped", "W.SetGrad(input.T.MatMul(dY))", "W.SetGrad(dY.T.MatMul(input))" },
        { "dX = W·dYᵀ, the transpose of dX", "return dY.MatMul(W.Value.T)", "return W.Value.MatMul(dY.T)" },
        { "db averaged over the batch, not summed", "B.SetGrad(dY.Sum(axis: 0))", "B.SetGrad(dY.Mean(axis: 0))" },
        { "db summed over the outputs, not the batch", "B.SetGrad(dY.Sum(axis: 0))", "B.SetGrad(dY.Sum(axis: 1))" },
        { "db of the first sample only", "B.SetGrad(dY.Sum(axis: 0))", "B.SetGrad(dY[0, ..])" },
        { "dX through W's gradient instead of W", "return dY.MatMul(W.Value.T)", "return dY.MatMul(W.Grad.T)" },
    };

    [Theory]
    [MemberData(nameof(AffineMistakes))]
    public void Notebook_0_1_affine_backward_mistakes_fail_the_visible_test(string mistake, string right, string wrong)
    {
        var test = VisibleTest(AffineCheck, (Affine, SolutionWith(Affine, right, wrong)));
        Assert.True(test.Status == CellStatus.Failed, $"{mistake}: the visible test passed");
    }

    public static TheoryData<string, string, string> TrainingMistakes => new()
    {
        { "gradient ascent: the update adds the gradient", "p.Set(p.Value - epsilon * p.Grad)", "p.Set(p.Value + epsilon * p.Grad)" },
        { "only the second layer is updated", "first.Parameters.Concat(second.Parameters)", "second.Parameters" },
        { "the first layer's backward never runs", "first.Backward(relu.Backward(second.Backward(loss.Backward())))", "second.Backward(loss.Backward())" },
    };

    [Theory]
    [MemberData(nameof(TrainingMistakes))]
    public void Notebook_0_1_two_layer_training_mistakes_fail_the_visible_test(string mistake, string right, string wrong)
    {
        var test = VisibleTest(TwoLayerCheck, (TwoLayer, SolutionWith(TwoLayer, right, wrong)));
        Assert.True(test.Status == CellStatus.Failed, $"{mistake}: the visible test passed");
        Assert.Contains(TwoLayerCheck[..^"-check".Length], test.Error!.Message);
    }

    // A wrong backward cannot train the network: the second exercise's test fails with the first one's mistake in it.
    [Fact]
    public void Notebook_0_1_two_layer_network_does_not_learn_from_a_backward_that_stops_at_the_second_layer()
    {
        var test = VisibleTest(TwoLayerCheck, (Affine, SolutionWith(Affine, "return dY.MatMul(W.Value.T)", "return Tensor.ZerosLike(input)")));
        Assert.Equal(CellStatus.Failed, test.Status);
        Assert.Contains("0-1.two-layer", test.Error!.Message);
    }

    // The mistakes above mean something only if the right answers pass the same visible tests run the same way.
    [Theory]
    [InlineData(AffineCheck)]
    [InlineData(TwoLayerCheck)]
    public void Notebook_0_1_solutions_pass_the_visible_tests_run_the_same_way(string testId) =>
        Assert.Equal(CellStatus.Passed, VisibleTest(testId).Status);

    private const string AffineByTheLibrary = """
        sealed class MyAffine : Layer
        {
            private readonly Affine inner;
            public MyAffine(Tensor w, Tensor b)
            {
                inner = new Affine(w.Shape[0], w.Shape[1]);
                inner.SetParameter("W", w);
                inner.SetParameter("b", b);
            }
            public Parameter W => inner.W;
            public Parameter B => inner.B;
            public override IReadOnlyList<Parameter> Parameters => inner.Parameters;
            public override Tensor Forward(Tensor x, bool training = false) => inner.Forward(x, training);
            public override Tensor Backward(Tensor dY) => inner.Backward(dY);
        }
        """;

    private const string TrainingBySequential = """
        (MyAffine First, MyAffine Second) TrainTwoLayerNetwork(Tensor x, int[] t, int hidden, int iterations, float epsilon)
        {
            int inputs = x.Shape[1];
            var first = new MyAffine(WeightInitializer.Create([inputs, hidden], WeightInit.He, inputs, hidden, seed: 1), Tensor.Zeros(hidden));
            var second = new MyAffine(WeightInitializer.Create([hidden, 2], WeightInit.Xavier, hidden, 2, seed: 2), Tensor.Zeros(2));
            var network = new Sequential { first, new ReLU(), second };
            var loss = new SoftmaxWithLoss();
            for (int m = 0; m < iterations; m++)
            {
                loss.Forward(network.Forward(x), t);
                network.Backward(loss.Backward());
                foreach (var p in network.Parameters) p.Set(p.Value - epsilon * p.Grad);
            }
            return (first, second);
        }
        """;

    // The twin answers are right, so the visible test passes them; the grader's static check must stop them.
    [Theory]
    [InlineData(Affine, AffineCheck, "CourseKit.Layers.Affine", AffineByTheLibrary)]
    [InlineData(TwoLayer, TwoLayerCheck, "CourseKit.Layers.Sequential", TrainingBySequential)]
    public void Notebook_0_1_an_answer_by_the_library_twin_passes_the_visible_test_but_scores_nothing(string answerId, string testId, string twin, string answer)
    {
        Assert.Equal(CellStatus.Passed, VisibleTest(testId, (answerId, answer)).Status);

        var source = Load();
        Assert.Contains(twin, StaticChecks.Twins(Cell(source, answerId)));
        var student = Load();
        Cell(student, answerId).Source = answer;
        var graded = SubmissionRestore.Restore(source, student);
        var incidents = StaticChecks.Find(source, graded);
        Assert.Contains(incidents, i => i.Reason == StaticChecks.TwinReason && i.Message.Contains(twin));
        var score = Scoring.Score(graded, [], incidents).Single(s => s.GradeId == testId);
        Assert.Equal(0, score.Points);
        Assert.Equal(StaticChecks.TwinReason, score.Reason);

        // the instructor's own answer is not taken for a twin
        Assert.DoesNotContain(StaticChecks.Find(source, SubmissionRestore.Restore(source, Load())), i => i.Reason == StaticChecks.TwinReason);
    }
}
