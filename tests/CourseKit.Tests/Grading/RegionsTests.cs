using CourseKit.Notebooks.Grading;

namespace CourseKit.Tests.Grading;

public class RegionsTests
{
    [Fact]
    public void SolutionRegionBecomesTheStubIndentedLikeItsBeginLineAndTheCodeAroundStays()
    {
        string source = "int F(int x)\n{\n    int y = 1;\n    // BEGIN SOLUTION\n    y = x * 2;\n    // END SOLUTION\n    return y;\n}";
        string released = Regions.ReplaceSolutions(source, out int regions);
        Assert.Equal(1, regions);
        Assert.Equal("int F(int x)\n{\n    int y = 1;\n    // YOUR CODE HERE\n    throw new NotImplementedException();\n    return y;\n}", released);
    }

    [Fact]
    public void EverySolutionRegionOfACellIsReplaced()
    {
        string source = "// BEGIN SOLUTION\na();\n// END SOLUTION\nb();\n  // BEGIN SOLUTION\n  c();\n  // END SOLUTION";
        Assert.Equal("// YOUR CODE HERE\nthrow new NotImplementedException();\nb();\n  // YOUR CODE HERE\n  throw new NotImplementedException();",
            Regions.ReplaceSolutions(source, out int regions));
        Assert.Equal(2, regions);
    }

    [Fact]
    public void HiddenTestsAreRemovedWithTheirMarkers()
    {
        string source = "Check.True(\"a\", true, \"\");\n// BEGIN HIDDEN TESTS\nCheck.True(\"b\", true, \"\");\n// END HIDDEN TESTS\nConsole.WriteLine();";
        Assert.Equal("Check.True(\"a\", true, \"\");\nConsole.WriteLine();", Regions.RemoveHiddenTests(source, out int regions));
        Assert.Equal(1, regions);
    }

    [Fact]
    public void CodeWithoutRegionsIsLeftExactlyAsItIs()
    {
        string source = "var x = 1;\r\n\r\n  x++;\n";
        Assert.Equal(source, Regions.ReplaceSolutions(source, out int solutions));
        Assert.Equal(source, Regions.RemoveHiddenTests(source, out int hidden));
        Assert.Equal((0, 0), (solutions, hidden));
    }

    [Theory]
    [InlineData("// BEGIN SOLUTION\nx();", "line 1: BEGIN SOLUTION has no END SOLUTION")]
    [InlineData("x();\n// END SOLUTION", "line 2: END SOLUTION without a BEGIN SOLUTION")]
    [InlineData("// BEGIN SOLUTION\n// BEGIN SOLUTION\n// END SOLUTION", "line 2: BEGIN SOLUTION again before the END SOLUTION of the region opened at line 1")]
    [InlineData("// BEGIN HIDDEN TESTS\nx();", "line 1: BEGIN HIDDEN TESTS has no END HIDDEN TESTS")]
    public void UnbalancedMarkersAreReportedWithTheirLine(string source, string message)
    {
        var error = Assert.Throws<FormatException>(() => Regions.Count(source));
        Assert.Contains(message, error.Message);
    }
}
