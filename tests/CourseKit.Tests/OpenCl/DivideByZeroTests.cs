namespace CourseKit.Tests.OpenCl;

/// <summary>PoCL's SIGFPE handler must not swallow C#'s integer division by zero once OpenCL has been used.</summary>
[Collection(OpenClCollection.Name)]
public sealed class DivideByZeroTests(OpenClFixture fixture)
{
    [Fact]
    public void IntegerDivisionByZeroStillThrowsAfterAnOpenClComputation()
    {
        var x = Tensor.Ones(8).To(fixture.Device);
        Assert.Equal(16f, (x + x).ToArray().Sum());

        int zero = int.Parse("0");
        int result = -1;
        var thrown = Record.Exception(() => result = 5 / zero);
        Assert.True(thrown is DivideByZeroException, $"5 / 0 gave {result} without an exception: a SIGFPE handler is skipping the division");
    }
}
