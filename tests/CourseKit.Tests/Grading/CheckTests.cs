using CourseKit.Display;
using CourseKit.Grading;

namespace CourseKit.Tests.Grading;

[Collection("Output")]
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
