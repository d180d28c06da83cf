using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Markdig;

namespace CourseKit.Notebooks;

/// <summary>
/// A notebook as one standalone HTML page: markdown rendered (Markdig), LaTeX typeset by KaTeX (embedded from the
/// npm package when found, see <see cref="Katex"/>), code with its outputs inline (HTML outputs as they are, images
/// embedded, text preformatted), and plotly.js embedded when a figure needs it.
/// </summary>
public static class NotebookHtml
{
    /// <summary>
    /// The page's fonts: the system's, then fonts with Japanese glyphs by name (the notebooks' titles are partly Japanese;
    /// without such a font a browser draws empty boxes), then any sans-serif.
    /// </summary>
    public const string FontFamily = "system-ui, \"Noto Sans CJK JP\", \"Noto Sans JP\", \"Hiragino Sans\", \"Yu Gothic UI\", \"Yu Gothic\", Meiryo, sans-serif";

    // UseMathematics (in the advanced extensions) keeps $...$ away from markdown and wraps it as \( \) / \[ \] for KaTeX
    private static readonly MarkdownPipeline markdown = new MarkdownPipelineBuilder().UseAdvancedExtensions().Build();

    /// <param name="plotlyScript">
    /// Makes the figures' <c>Plotly.newPlot</c> work: a script element defining <c>window.Plotly</c>, put in the head when an
    /// output needs it. The CLI passes CourseKit's <c>PlotlyJs.ScriptTag()</c> (the npm bundle inline, so the page works offline);
    /// the runner itself does not reference the library it runs notebooks against.
    /// </param>
    public static string Render(Notebook notebook, string title, Func<string>? plotlyScript = null)
    {
        var html = new StringBuilder();
        html.Append($$"""
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <title>{{Escape(title)}}</title>
            {{Katex.HeadElements()}}
            <style>
              body { font-family: {{FontFamily}}; max-width: 60rem; margin: 2rem auto; padding: 0 1rem; line-height: 1.5; }
              .cell { margin: 1rem 0; }
              .prompt { color: #888; font-family: monospace; font-size: 0.85em; }
              pre { background: #f6f8fa; padding: 0.6rem; overflow-x: auto; margin: 0.2rem 0; }
              .output pre { background: #fff; border-left: 3px solid #ddd; }
              .output pre.stderr { border-left-color: #e0a000; }
              .output pre.error { border-left-color: #d00; color: #a00; }
            </style>
            </head>
            <body>

            """);
        foreach (var cell in notebook.Cells)
        {
            if (cell.CellType == "markdown")
            {
                html.Append("<div class=\"cell markdown\">").Append(Markdown.ToHtml(DisplayMathOnOwnLines(cell.Source), markdown)).Append("</div>\n");
                continue;
            }
            if (!cell.IsCode)
            {
                html.Append($"<div class=\"cell raw\"><pre>{Escape(cell.Source)}</pre></div>\n");
                continue;
            }
            string prompt = cell.ExecutionCount is { } n ? $"In [{n}]:" : "In [ ]:";
            html.Append($"<div class=\"cell code\"><div class=\"prompt\">{prompt}</div><pre><code class=\"language-csharp\">{Escape(cell.Source)}</code></pre>");
            foreach (var output in cell.Outputs.OfType<JsonObject>())
                html.Append("<div class=\"output\">").Append(RenderOutput(output)).Append("</div>");
            html.Append("</div>\n");
        }
        html.Append("</body>\n</html>\n");
        // Figures call Plotly.newPlot: give the page plotly.js.
        if (plotlyScript is not null && html.ToString().Contains("Plotly.newPlot", StringComparison.Ordinal))
            html.Replace("</head>", plotlyScript() + "\n</head>", 0, HeadEnd(html));
        return html.ToString();
    }

    private static string RenderOutput(JsonObject output)
    {
        switch ((string?)output["output_type"])
        {
            case "stream":
                return $"<pre class=\"{Escape((string?)output["name"] ?? "stdout")}\">{Escape(MultilineText.Read(output["text"]))}</pre>";
            case "error":
                var traceback = output["traceback"] is JsonArray lines ? lines.Select(l => (string?)l) : [];
                return $"<pre class=\"error\">{Escape($"{output["ename"]}: {output["evalue"]}")}\n{Escape(string.Join("\n", traceback))}</pre>";
            default: // display_data, execute_result: the richest MIME type we can show
                if (CellOutput.Data(output, "text/html") is { } html) return html;
                if (CellOutput.Data(output, "image/png") is { } png) return $"<img src=\"data:image/png;base64,{png.Trim()}\">";
                if (CellOutput.Data(output, "image/svg+xml") is { } svg) return svg;
                if (CellOutput.Data(output, "text/markdown") is { } md) return Markdown.ToHtml(md, markdown);
                return $"<pre>{Escape(CellOutput.Data(output, "text/plain") ?? "")}</pre>";
        }
    }

    /// <summary>
    /// Jupyter shows a line <c>$$ ... $$</c> as display math; Markdig only does so when the dollars stand on their own lines.
    /// </summary>
    private static string DisplayMathOnOwnLines(string source) =>
        Regex.Replace(source, @"^[ \t]*\$\$(?<math>[^\n]+?)\$\$[ \t]*$", "$$$$\n${math}\n$$$$", RegexOptions.Multiline);

    private static int HeadEnd(StringBuilder html) => html.ToString().IndexOf("</head>", StringComparison.Ordinal) + "</head>".Length;

    private static string Escape(string text) => WebUtility.HtmlEncode(text);
}
