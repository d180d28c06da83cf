using System.Text.Json.Nodes;

namespace CourseKit.Display;

/// <summary>
/// A plot: traces from <see cref="Chart"/>, a title and axis titles, optionally stacked subplots.
/// Renders as plotly.js figure JSON ({ data, layout }) and as an HTML fragment that draws it.
/// </summary>
[TypeFormatterSource(typeof(DisplayFormatterSource), PreferredMimeTypes = [Formatting.Html])]
public sealed class Figure
{
    private readonly List<Trace> traces = [];
    private readonly Dictionary<int, (string? X, string? Y)> axisTitles = [];
    private readonly Dictionary<int, double> xTickSteps = [];

    public Figure(string? title = null, string? xTitle = null, string? yTitle = null)
    {
        Title = title;
        SetAxisTitles(1, xTitle, yTitle);
    }

    public string? Title { get; set; }

    /// <summary>Number of subplots stacked vertically, each with its own axes.</summary>
    public int Rows { get; set; } = 1;

    /// <summary>Height of the drawing in pixels.</summary>
    public int Height { get; set; } = 400;

    public IReadOnlyList<Trace> Traces => traces;

    /// <summary>Adds a trace to subplot <paramref name="row"/> (1 = top).</summary>
    public Figure Add(Trace trace, int row = 1)
    {
        if (row < 1 || row > Rows)
            throw new ArgumentException($"Figure.Add: row {row} does not exist; this figure has {Rows} row(s) (set Rows first).");
        if (traces.Contains(trace))
            throw new ArgumentException("Figure.Add: this trace is already in the figure.");
        trace.Row = row;
        traces.Add(trace);
        return this;
    }

    /// <summary>Titles of the x and y axes of subplot <paramref name="row"/>.</summary>
    public Figure SetAxisTitles(int row, string? xTitle, string? yTitle)
    {
        axisTitles[row] = (xTitle, yTitle);
        return this;
    }

    /// <summary>Puts x ticks of subplot <paramref name="row"/> every <paramref name="step"/> from 1 (whole epochs, not 1.5).</summary>
    public Figure SetXTickStep(int row, double step)
    {
        if (step <= 0) throw new ArgumentException($"Figure.SetXTickStep: the step must be positive, got {step}.");
        xTickSteps[row] = step;
        return this;
    }

    /// <summary>A figure with one line per series, all against the same x values.</summary>
    public static Figure Lines(IReadOnlyList<double> x, IReadOnlyDictionary<string, IReadOnlyList<double>> series,
        string? title = null, string? xTitle = null, string? yTitle = null)
    {
        var figure = new Figure(title, xTitle, yTitle);
        foreach (var (name, y) in series)
            figure.Add(Chart.Line(x, y, name));
        return figure;
    }

    /// <summary>The plotly.js figure: { "data": [traces], "layout": { title, axes, ... } }.</summary>
    public JsonObject ToJsonObject()
    {
        var data = new JsonArray();
        foreach (var trace in traces)
        {
            var json = trace.Json.DeepClone().AsObject();
            if (trace.Row > 1)
            {
                json["xaxis"] = $"x{trace.Row}";
                json["yaxis"] = $"y{trace.Row}";
            }
            data.Add(json);
        }

        var layout = new JsonObject { ["height"] = Height, ["margin"] = new JsonObject { ["t"] = Title is null ? 30 : 50 } };
        if (Title is not null) layout["title"] = new JsonObject { ["text"] = Title };
        if (Rows > 1)
            layout["grid"] = new JsonObject { ["rows"] = Rows, ["columns"] = 1, ["pattern"] = "independent" };
        for (int row = 1; row <= Rows; row++)
        {
            string suffix = row == 1 ? "" : row.ToString();
            var xAxis = new JsonObject();
            var yAxis = new JsonObject();
            if (axisTitles.TryGetValue(row, out var titles))
            {
                if (titles.X is not null) xAxis["title"] = new JsonObject { ["text"] = titles.X };
                if (titles.Y is not null) yAxis["title"] = new JsonObject { ["text"] = titles.Y };
            }
            if (xTickSteps.TryGetValue(row, out double step))
            {
                xAxis["tick0"] = 1;
                xAxis["dtick"] = step;
            }
            // Matrices read top-down (row 0 first), like images and confusion matrices.
            if (traces.Any(t => t.Row == row && t.Type == "heatmap"))
                yAxis["autorange"] = "reversed";
            layout["xaxis" + suffix] = xAxis;
            layout["yaxis" + suffix] = yAxis;
        }
        return new JsonObject { ["data"] = data, ["layout"] = layout };
    }

    /// <summary>The figure JSON as text. HTML-sensitive characters are escaped, so it is safe inside a script element.</summary>
    public string ToJson() => ToJsonObject().ToJsonString();

    /// <summary>
    /// A div with a fresh unique id and a script that draws the figure into it with Plotly.newPlot.
    /// plotly.js is taken from the page when already there (an embedded bundle), else loaded through
    /// require.js when the host has it (the Polyglot notebook webview), else through a plain script tag.
    /// </summary>
    public string ToHtml()
    {
        string id = "coursekit-plot-" + Guid.NewGuid().ToString("N");
        string amdPath = PlotlyJs.CdnUrl[..^".js".Length]; // require.js adds .js itself
        return $$"""
            <div id="{{id}}" class="coursekit-plot" style="width:100%;height:{{Height}}px"></div>
            <script type="text/javascript">
            (function () {
              var figure = {{ToJson()}};
              function draw(Plotly) { Plotly.newPlot('{{id}}', figure.data, figure.layout, { responsive: true }); }
              if (window.Plotly && window.Plotly.newPlot) { draw(window.Plotly); return; }
              if (typeof window.requirejs === 'function' && typeof window.requirejs.config === 'function') {
                window.requirejs.config({ context: 'coursekit-plotly', paths: { plotly: '{{amdPath}}' } })(['plotly'], draw);
                return;
              }
              window.courseKitPlotly = window.courseKitPlotly || new Promise(function (resolve, reject) {
                var script = document.createElement('script');
                script.src = '{{PlotlyJs.CdnUrl}}';
                script.onload = function () { resolve(window.Plotly); };
                script.onerror = reject;
                document.head.appendChild(script);
              });
              window.courseKitPlotly.then(draw);
            })();
            </script>
            """;
    }

    public override string ToString() =>
        $"Figure{(Title is null ? "" : $" \"{Title}\"")} with {traces.Count} trace(s): {string.Join(", ", traces.Select(t => t.Name ?? t.Type))}";
}
