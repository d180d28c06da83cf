using CourseKit.Display;
using CourseKit.Grading;
using CourseKit.Layers;
using CourseKit.Tests.Notebooks;

namespace CourseKit.Tests.Grading;

// Output's sink is one per process, and notebooks run by the runner tests attach theirs: not at the same time
[Collection(NotebookRunnerCollection.Name)]
public class CheckTests : IDisposable
{
    private readonly List<object> shown = [];

    public CheckTests() => Output.Attach(o => { shown.Add(o); return null; });

    public void Dispose() => Output.Detach();

    [Fact]
    public void CloseTensorsPassesAndShowsAGreenCard()
    {
        Tensor expected = new float[,] { { 4, 8 }, { 20, 24 } };
        var result = Check.Close("3-1.conv", expected, expected.Clone());
        Assert.True(result.Passed);
        var card = Assert.IsType<CheckResult>(Assert.Single(shown));
        Assert.Contains("passed", card.ToHtml());
    }

    [Fact]
    public void CloseTensorsNamesTheFirstDifferingIndexAndBothValues()
    {
        Tensor expected = new float[,] { { 4, 8 }, { 20, 24 } };
        Tensor actual = new float[,] { { 4, 8 }, { 21, 24 } };
        var error = Assert.Throws<CheckFailedException>(() => Check.Close("3-1.conv", expected, actual));
        Assert.False(error.Result.Passed);
        Assert.Contains("index [1, 0]", error.Message);
        Assert.Contains("expected 20", error.Message);
        Assert.Contains("yours is 21", error.Message);
        Assert.Contains("1 of 4 values differ", error.Message);
        Assert.Contains("failed", ((CheckResult)Assert.Single(shown)).ToHtml());
    }

    [Fact]
    public void CloseTensorsExplainsAShapeMismatchInWords()
    {
        var error = Assert.Throws<CheckFailedException>(() => Check.Close("x", Tensor.Zeros(2, 3), Tensor.Zeros(3, 2)));
        Assert.Contains("shape (3, 2)", error.Message);
        Assert.Contains("expected shape is (2, 3)", error.Message);
        Assert.Contains("transpose", error.Message);
    }

    [Fact]
    public void ShapeCheckNamesTheAxesThatDiffer()
    {
        Assert.True(Check.Shape("s", new Shape(2, 3), Tensor.Zeros(2, 3)).Passed);
        var error = Assert.Throws<CheckFailedException>(() => Check.Shape("s", new Shape(2, 3, 4), Tensor.Zeros(2, 5, 4)));
        Assert.Contains("Axis 1 differs", error.Message);
    }

    [Fact]
    public void ScalarCloseUsesTheTolerance()
    {
        Assert.True(Check.Close("n", 1.0, 1.0 + 1e-9).Passed);
        Assert.Throws<CheckFailedException>(() => Check.Close("n", 1.0, 1.1, 1e-3));
    }

    [Fact]
    public void TrueAndEqualFailWithTheGivenExplanation()
    {
        Assert.True(Check.True("t", true, "fine").Passed);
        Assert.Contains("OH must be 3", Assert.Throws<CheckFailedException>(() => Check.True("t", false, "OH must be 3")).Message);
        Assert.Contains("expected 3, but yours is 4", Assert.Throws<CheckFailedException>(() => Check.Equal("e", 3, 4)).Message);
    }

    /// <summary>Forward is 3x, but backward forgets the factor 3.</summary>
    private sealed class ForgetsTheFactor : Layer
    {
        public override Tensor Forward(Tensor x, bool training = false) => x * 3f;
        public override Tensor Backward(Tensor dout) => dout;
    }

    [Fact]
    public void GradientPassesForACorrectLayerAndNamesEveryGradient()
    {
        var result = Check.Gradient("2-1.affine", new Affine(4, 3, seed: 1), Tensor.Arange(0, 2, 0.1f).Reshape(5, 4));
        Assert.True(result.Passed);
        Assert.Contains("Affine.Backward agrees with numerical differentiation", result.Message);
        Assert.Contains("dx ", result.Message);
        Assert.Contains("dW ", result.Message);
        Assert.Contains("db ", result.Message);
    }

    [Fact]
    public void GradientFailsNamingTheWrongGradient()
    {
        var error = Assert.Throws<CheckFailedException>(() => Check.Gradient("times3", new ForgetsTheFactor(), Tensor.Arange(1, 7).Reshape(2, 3)));
        Assert.Contains("ForgetsTheFactor.Backward disagrees with numerical differentiation for dx", error.Message);
        Assert.Contains("Check the formula for dx", error.Message);
        Assert.False(((CheckResult)Assert.Single(shown)).Passed);
    }

    [Fact]
    public void WithoutAHostTheCardGoesToTheConsoleAsText()
    {
        Output.Detach();
        var writer = new StringWriter();
        var original = Console.Out;
        Console.SetOut(writer);
        try { Check.True("console", true, "shown as text"); }
        finally { Console.SetOut(original); }
        Assert.Contains("✔ PASS console: shown as text", writer.ToString());
    }
}

public class CheckResultFormattingTests
{
    [Fact]
    public void CheckResultIsShownAsItsCardThroughTheRichOutputConvention()
    {
        var failed = new CheckResult("3-1.im2col", false, "expected 20, but yours is 21.");
        Assert.True(Formatting.TryFormat(failed, Formatting.Html, out var html));
        Assert.Equal(failed.ToHtml(), html);
        Assert.True(Formatting.TryFormat(failed, Formatting.PlainText, out var text));
        Assert.Equal("✘ FAIL 3-1.im2col: expected 20, but yours is 21.", text);
        Assert.Equal(Formatting.Html, Formatting.PreferredMimeTypes(typeof(CheckResult))[0]);
    }

    [Fact]
    public void CloseAcceptsTwoFloatsSuchAsTensorElements()
    {
        Tensor y = new float[,] { { 4, 8 }, { 20, 24 } };
        Assert.True(Check.Close("element", 8f, y[0, 1]).Passed);
        Assert.Throws<CheckFailedException>(() => Check.Close("element", 9f, y[0, 1]));
    }
}
