using System.Net;
using System.Text;

namespace CourseKit.Display;

/// <summary>
/// A standalone HTML document from headings, text and display fragments (figures, image grids, images).
/// When a figure is on the page, plotly.js is embedded from a local bundle if there is one (see
/// <see cref="PlotlyJs.LocateBundle"/>), so the page also opens offline.
/// </summary>
public sealed class HtmlPage(string title)
{
    private readonly List<string> body = [];

    public string Title { get; } = title;

    public HtmlPage AddHeading(string text, int level = 2)
    {
        body.Add($"<h{level}>{WebUtility.HtmlEncode(text)}</h{level}>");
        return this;
    }

    public HtmlPage AddParagraph(string text)
    {
        body.Add($"<p>{WebUtility.HtmlEncode(text)}</p>");
        return this;
    }

    /// <summary>Adds an HTML fragment as it is (e.g. the ToHtml() of a figure or a grid).</summary>
    public HtmlPage AddHtml(string fragment)
    {
        body.Add(fragment);
        return this;
    }

    public HtmlPage Add(Figure figure) => AddHtml(figure.ToHtml());
    public HtmlPage Add(ImageGrid grid) => AddHtml(grid.ToHtml());
    public HtmlPage Add(Image image) => AddHtml(image.ToHtml());

    public string ToHtml()
    {
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n<title>")
            .Append(WebUtility.HtmlEncode(Title)).Append("</title>\n");
        html.Append("<style>body{font-family:sans-serif;max-width:1000px;margin:2em auto;padding:0 1em}</style>\n");
        if (body.Any(fragment => fragment.Contains("Plotly.newPlot", StringComparison.Ordinal)))
            html.Append(PlotlyJs.ScriptTag()).Append('\n');
        html.Append("</head>\n<body>\n<h1>").Append(WebUtility.HtmlEncode(Title)).Append("</h1>\n");
        foreach (var fragment in body)
            html.Append(fragment).Append('\n');
        html.Append("</body>\n</html>\n");
        return html.ToString();
    }

    public void Save(string path) => File.WriteAllText(path, ToHtml());
}
