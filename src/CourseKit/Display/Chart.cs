using System.Text.Json.Nodes;

namespace CourseKit.Display;

/// <summary>One data series of a <see cref="Figure"/> (a plotly.js trace): its kind, name and values.</summary>
public sealed class Trace
{
    internal Trace(string type, string? name, JsonObject json)
    {
        Type = type;
        Name = name;
        Json = json;
        json["type"] = type;
        if (name is not null) json["name"] = name;
    }

    /// <summary>The plotly.js trace type: scatter (lines and points), bar, heatmap.</summary>
    public string Type { get; }

    public string? Name { get; }

    /// <summary>The subplot row this trace is drawn in (1 = top); set by <see cref="Figure.Add"/>.</summary>
    public int Row { get; internal set; } = 1;

    internal JsonObject Json { get; }

    /// <summary>Numbers as a JSON array; NaN and infinities become null (a gap in the line).</summary>
    internal static JsonArray Numbers(IEnumerable<double> values) =>
        new(values.Select(v => double.IsFinite(v) ? JsonValue.Create(v) : null).ToArray<JsonNode?>());

    internal static JsonArray Strings(IEnumerable<string> values) =>
        new(values.Select(v => (JsonNode?)JsonValue.Create(v)).ToArray());
}

/// <summary>Factories for the traces of a <see cref="Figure"/>: line, scatter, bar and heatmap.</summary>
public static class Chart
{
    /// <summary>
    /// A line through the points (x[i], y[i]). A point with no finite neighbour (a series of one epoch, or a value
    /// between two gaps) draws no line segment, so such a series is drawn with markers too: otherwise it is invisible.
    /// </summary>
    public static Trace Line(IEnumerable<double> x, IEnumerable<double> y, string? name = null)
    {
        var ys = y.ToArray();
        return XY(HasIsolatedPoint(ys) ? "lines+markers" : "lines", x, ys, name, "Chart.Line");
    }

    /// <summary>A line through y[0], y[1], ... at x = 1, 2, ... (epochs, steps).</summary>
    public static Trace Line(IReadOnlyList<double> y, string? name = null) =>
        Line(Enumerable.Range(1, y.Count).Select(i => (double)i), y, name);

    /// <summary>Unconnected markers at (x[i], y[i]), optionally with a hover text per point.</summary>
    public static Trace Scatter(IEnumerable<double> x, IEnumerable<double> y, string? name = null, IEnumerable<string>? text = null)
    {
        var trace = XY("markers", x, y, name, "Chart.Scatter");
        if (text is not null) trace.Json["text"] = Trace.Strings(text);
        return trace;
    }

    /// <summary>One bar per category.</summary>
    public static Trace Bar(IEnumerable<string> categories, IEnumerable<double> values, string? name = null)
    {
        var x = categories.ToArray();
        var y = values.ToArray();
        if (x.Length != y.Length)
            throw new ArgumentException($"Chart.Bar: {x.Length} categories but {y.Length} values; give one value per category.");
        return new Trace("bar", name, new JsonObject { ["x"] = Trace.Strings(x), ["y"] = Trace.Numbers(y) });
    }

    /// <summary>A colour-coded matrix z[row, column]; row 0 is drawn at the top, like an image or a confusion matrix.</summary>
    public static Trace Heatmap(double[,] z, IReadOnlyList<string>? columnLabels = null, IReadOnlyList<string>? rowLabels = null,
        string? name = null, string colorscale = "Viridis")
    {
        int rows = z.GetLength(0), cols = z.GetLength(1);
        if (columnLabels is not null && columnLabels.Count != cols)
            throw new ArgumentException($"Chart.Heatmap: a {rows}x{cols} matrix needs {cols} column labels, got {columnLabels.Count}.");
        if (rowLabels is not null && rowLabels.Count != rows)
            throw new ArgumentException($"Chart.Heatmap: a {rows}x{cols} matrix needs {rows} row labels, got {rowLabels.Count}.");
        var matrix = new JsonArray();
        for (int r = 0; r < rows; r++)
            matrix.Add(Trace.Numbers(Enumerable.Range(0, cols).Select(c => z[r, c])));
        var json = new JsonObject { ["z"] = matrix, ["colorscale"] = colorscale };
        if (columnLabels is not null) json["x"] = Trace.Strings(columnLabels);
        if (rowLabels is not null) json["y"] = Trace.Strings(rowLabels);
        return new Trace("heatmap", name, json);
    }

    /// <summary>A heatmap of a tensor of shape (H, W).</summary>
    public static Trace Heatmap(Tensor z, string? name = null, string colorscale = "Viridis")
    {
        if (z.Rank != 2)
            throw new ArgumentException($"Chart.Heatmap: expected a matrix of shape (H, W), but the tensor has shape {z.Shape}.");
        var values = z.ToArray();
        int h = z.Shape[0], w = z.Shape[1];
        var matrix = new double[h, w];
        for (int r = 0; r < h; r++)
            for (int c = 0; c < w; c++)
                matrix[r, c] = values[r * w + c];
        return Heatmap(matrix, name: name, colorscale: colorscale);
    }

    private static bool HasIsolatedPoint(double[] y)
    {
        for (int i = 0; i < y.Length; i++)
            if (double.IsFinite(y[i]) && (i == 0 || !double.IsFinite(y[i - 1])) && (i == y.Length - 1 || !double.IsFinite(y[i + 1])))
                return true;
        return false;
    }

    private static Trace XY(string mode, IEnumerable<double> x, IEnumerable<double> y, string? name, string operation)
    {
        var xs = x.ToArray();
        var ys = y.ToArray();
        if (xs.Length != ys.Length)
            throw new ArgumentException($"{operation}: {xs.Length} x values but {ys.Length} y values; they must pair up.");
        return new Trace("scatter", name, new JsonObject { ["mode"] = mode, ["x"] = Trace.Numbers(xs), ["y"] = Trace.Numbers(ys) });
    }
}
