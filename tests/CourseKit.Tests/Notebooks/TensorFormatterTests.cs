using CourseKit.Display;

namespace CourseKit.Tests.Notebooks;

public class TensorFormatterTests
{
    [Fact]
    public void SmallMatrixIsAnHtmlTableWithShapeCaptionAndEveryValue()
    {
        Tensor x = new float[,] { { 1.5f, -2 }, { 3, 40 }, { 0.25f, 6 } };

        Assert.True(Formatting.TryFormat(x, Formatting.Html, out var html));

        Assert.Contains("<table", html);
        Assert.Contains("(3, 2)", html);
        Assert.Contains("float32", html);
        Assert.Equal(3, html.Split("<tr>").Length - 1);
        foreach (var v in x.ToArray())
            Assert.Contains($">{v.ToString(System.Globalization.CultureInfo.InvariantCulture)}</td>", html);
    }

    [Fact]
    public void Rank4TensorGetsOneTablePerLeadingIndex()
    {
        var x = Tensor.Arange(2 * 3 * 2 * 2).Reshape([2, 3, 2, 2]);

        Assert.True(Formatting.TryFormat(x, Formatting.Html, out var html));

        Assert.Equal(6, html.Split("<table").Length - 1);
        Assert.Contains("slice [1, 2, :, :]", html);
    }

    [Fact]
    public void LargeTensorIsPreformattedTextNotATable()
    {
        var x = Tensor.Zeros([TensorFormatterSource.MaxTableElements + 1]);

        Assert.True(Formatting.TryFormat(x, Formatting.Html, out var html));

        Assert.DoesNotContain("<table", html);
        Assert.Contains("<pre>", html);
        Assert.Contains(x.Shape.ToString(), html);
    }

    [Fact]
    public void TensorPrefersHtmlAndPlainObjectsDeclareNothing()
    {
        Assert.Equal([Formatting.Html], Formatting.PreferredMimeTypes(typeof(Tensor)));
        Assert.Empty(Formatting.PreferredMimeTypes(typeof(string)));
        Assert.False(Formatting.TryFormat("text", Formatting.Html, out _));
    }
}
