using System.Globalization;
using System.Net;
using System.Text;
using CourseKit.Layers;

namespace CourseKit.Display;

/// <summary>
/// The picture of a <see cref="Model"/> (lecture 4.3, "visualising the model"), like Keras' <c>plot_model</c>: one box
/// per node with its name and output shape, top to bottom in the order data flows, branches side by side, and an
/// arrow for every input. Joins (⊕, Concat) are drawn as round boxes. Shown as an SVG in a notebook.
/// </summary>
[TypeFormatterSource(typeof(DisplayFormatterSource), PreferredMimeTypes = [Formatting.Html])]
public sealed class ModelGraph
{
    private const int BoxWidth = 230, BoxHeight = 40, RowGap = 22, ColumnGap = 30, Margin = 20;

    /// <summary>Lays out <paramref name="model"/>; computes its output shapes with one inference forward of one sample.</summary>
    public ModelGraph(Model model)
    {
        Rows = model.SummaryRows();
        var index = Rows.Select((r, i) => (r.Name, i)).ToDictionary(p => p.Name, p => p.i);
        Inputs = [.. Rows.Select(r => r.Inputs.Select(n => index[n]).ToArray())];
        // a node sits one rank below the lowest of its inputs: parallel branches share ranks and stand side by side
        var rank = new int[Rows.Count];
        for (int i = 0; i < Rows.Count; i++) rank[i] = Inputs[i].Length == 0 ? 0 : Inputs[i].Max(j => rank[j]) + 1;
        Rank = rank;
        Column = new int[Rows.Count];
        foreach (var group in Enumerable.Range(0, Rows.Count).GroupBy(i => rank[i]))
        {
            int c = 0;
            foreach (int i in group) Column[i] = c++;
        }
        Title = model.Name;
    }

    public string Title { get; }
    public IReadOnlyList<ModelSummaryRow> Rows { get; }

    /// <summary>For each node, the indices of its inputs.</summary>
    public IReadOnlyList<int[]> Inputs { get; }

    /// <summary>Row of each node in the picture (0 = top) and its place within the row.</summary>
    public IReadOnlyList<int> Rank { get; }
    public int[] Column { get; }

    private int Columns => Column.Length == 0 ? 1 : Column.Max() + 1;

    private (double X, double Y) Position(int i)
    {
        int inRow = Rank.Count(r => r == Rank[i]);
        double rowWidth = inRow * BoxWidth + (inRow - 1) * ColumnGap;
        double totalWidth = Columns * BoxWidth + (Columns - 1) * ColumnGap;
        double x = Margin + (totalWidth - rowWidth) / 2 + Column[i] * (BoxWidth + ColumnGap);
        return (x, Margin + 24 + Rank[i] * (BoxHeight + RowGap));
    }

    /// <summary>The picture as an SVG document.</summary>
    public string ToSvg()
    {
        var inv = CultureInfo.InvariantCulture;
        int rows = Rank.Count == 0 ? 1 : Rank.Max() + 1;
        double width = 2 * Margin + Columns * BoxWidth + (Columns - 1) * ColumnGap + 60;
        double height = 2 * Margin + 24 + rows * (BoxHeight + RowGap);
        var svg = new StringBuilder();
        svg.Append(inv, $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width:F0}\" height=\"{height:F0}\" font-family=\"sans-serif\" font-size=\"12\">");
        svg.Append("<defs><marker id=\"arrow\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"6\" markerHeight=\"6\" orient=\"auto\">" +
                   "<path d=\"M0,0 L10,5 L0,10 z\" fill=\"#555\"/></marker></defs>");
        svg.Append(inv, $"<text x=\"{Margin}\" y=\"{Margin + 8}\" font-weight=\"bold\" font-size=\"14\">{WebUtility.HtmlEncode(Title)}</text>");
        for (int i = 0; i < Rows.Count; i++)
        {
            var (x2, y2) = Position(i);
            foreach (int j in Inputs[i])
            {
                var (x1, y1) = Position(j);
                double sx = x1 + BoxWidth / 2.0, sy = y1 + BoxHeight, ex = x2 + BoxWidth / 2.0, ey = y2;
                if (Rank[i] - Rank[j] > 1 && Math.Abs(sx - ex) < 1)
                {
                    // a skip connection past boxes in between: bend out to the right of them
                    double bend = BoxWidth / 2.0 + 25;
                    svg.Append(inv, $"<path d=\"M{sx + BoxWidth / 2.0 - 10:F1},{sy - BoxHeight / 2.0:F1} C{sx + bend:F1},{sy:F1} {ex + bend:F1},{ey:F1} {ex + BoxWidth / 2.0 - 10:F1},{ey + BoxHeight / 2.0 - 6:F1}\" fill=\"none\" stroke=\"#c33\" stroke-width=\"1.5\" marker-end=\"url(#arrow)\"/>");
                }
                else
                    svg.Append(inv, $"<path d=\"M{sx:F1},{sy:F1} C{sx:F1},{sy + RowGap / 2.0:F1} {ex:F1},{ey - RowGap / 2.0:F1} {ex:F1},{ey:F1}\" fill=\"none\" stroke=\"#555\" stroke-width=\"1.2\" marker-end=\"url(#arrow)\"/>");
            }
        }
        for (int i = 0; i < Rows.Count; i++)
        {
            var r = Rows[i];
            var (x, y) = Position(i);
            bool join = r.Kind is "Add" or "Concat";
            string fill = r.Kind == "Input" ? "#e8e8e8" : join ? "#fde2c8" : r.Parameters > 0 ? "#d6e6f5" : "#eef5e9";
            string label = r.Kind == "Add" ? $"⊕ {r.Name}" : r.Kind == r.Name || r.Name.StartsWith(r.Kind, StringComparison.Ordinal) ? r.Name : $"{r.Name} ({r.Kind})";
            string shape = "(" + string.Join(", ", r.OutputShape.Select((d, k) => k == 0 ? "N" : d.ToString(inv))) + ")";
            string detail = r.Parameters > 0 ? $"{shape}   {r.Parameters.ToString("N0", inv)} params" : shape;
            svg.Append(inv, $"<rect x=\"{x:F1}\" y=\"{y:F1}\" width=\"{BoxWidth}\" height=\"{BoxHeight}\" rx=\"{(join ? 18 : 4)}\" fill=\"{fill}\" stroke=\"#666\"/>");
            svg.Append(inv, $"<text x=\"{x + BoxWidth / 2.0:F1}\" y=\"{y + 16:F1}\" text-anchor=\"middle\">{WebUtility.HtmlEncode(label)}</text>");
            svg.Append(inv, $"<text x=\"{x + BoxWidth / 2.0:F1}\" y=\"{y + 31:F1}\" text-anchor=\"middle\" fill=\"#444\" font-size=\"11\">{WebUtility.HtmlEncode(detail)}</text>");
        }
        svg.Append("</svg>");
        return svg.ToString();
    }

    public string ToHtml() => $"<div class=\"coursekit-model-graph\">{ToSvg()}</div>";

    /// <summary>One line per node: "Convolution1 ← Input", for a plain-text view.</summary>
    public override string ToString() =>
        string.Join("\n", Rows.Select((r, i) => r.Inputs.Count == 0 ? r.Name : $"{r.Name} ← {string.Join(", ", r.Inputs)}"));
}
