namespace CourseKit.Display;

/// <summary>
/// How notebooks show CourseKit's pictures (the <see cref="TypeFormatterSourceAttribute"/> convention):
/// images, image grids and figures as HTML (an img with a PNG data URI, a flex box of them, a plotly.js div),
/// progress as an HTML bar; each also as plain text.
/// </summary>
public sealed class DisplayFormatterSource
{
    public IEnumerable<object> CreateTypeFormatters()
    {
        yield return Html<Image>(image => image.ToHtml());
        yield return Html<ImageGrid>(grid => grid.ToHtml());
        yield return Html<Figure>(figure => figure.ToHtml());
        yield return Html<ModelGraph>(graph => graph.ToHtml());
        yield return Html<ProgressState>(state => state.ToHtml());
        yield return new TypeFormatter<object>(Formatting.PlainText, (value, writer) => { writer.Write(value.ToString()); return true; });
    }

    private static TypeFormatter<T> Html<T>(Func<T, string> html) =>
        new(Formatting.Html, (value, writer) => { writer.Write(html(value)); return true; });
}
