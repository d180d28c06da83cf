using CourseKit.Display;

namespace CourseKit.Tests.Display;

/// <summary>Images, grids, figures and progress show as HTML through the rich-output convention.</summary>
public sealed class DisplayFormatterSourceTests
{
    public static TheoryData<object> Displayables => new()
    {
        TestImages.Random(3, 2, 1, seed: 70),
        new ImageGrid().Add(TestImages.Random(4, 4, 3, seed: 71), "one"),
        new Figure("f").Add(Chart.Line([1.0, 2.0], "x")),
        new ProgressState("epoch", 3, 10, "loss 0.1", TimeSpan.FromSeconds(2)),
    };

    [Theory]
    [MemberData(nameof(Displayables))]
    public void Displayable_types_prefer_html_and_format_as_their_ToHtml_and_ToString(object value)
    {
        Assert.Equal([Formatting.Html], Formatting.PreferredMimeTypes(value.GetType()));
        Assert.True(Formatting.TryFormat(value, Formatting.Html, out var html));
        Assert.True(Formatting.TryFormat(value, Formatting.PlainText, out var text));
        Assert.Equal(value.ToString(), text);
        switch (value)
        {
            case Figure: Assert.Contains("Plotly.newPlot('coursekit-plot-", html); break; // a fresh id each time
            case Image image: Assert.Equal(image.ToHtml(), html); break;
            case ImageGrid grid: Assert.Equal(grid.ToHtml(), html); break;
            case ProgressState state: Assert.Equal(state.ToHtml(), html); break;
        }
    }
}
