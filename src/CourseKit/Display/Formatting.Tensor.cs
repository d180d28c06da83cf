using System.Globalization;
using System.Net;

namespace CourseKit.Display;

/// <summary>
/// How a notebook shows a <see cref="Tensor"/>: a small one as an HTML table (one table per 2-D slice)
/// under a caption with its shape and dtype, a large one as NumPy-like text in a &lt;pre&gt; block.
/// </summary>
public sealed class TensorFormatterSource
{
    /// <summary>At most this many elements are drawn as tables; larger tensors are printed as text.</summary>
    public const int MaxTableElements = 400;

    /// <summary>At most this many columns fit in a readable table.</summary>
    public const int MaxTableColumns = 24;

    public IEnumerable<object> CreateTypeFormatters()
    {
        yield return new TypeFormatter<Tensor>(Formatting.Html, WriteHtml);
        yield return new TypeFormatter<Tensor>(Formatting.PlainText, (tensor, writer) => { writer.Write(tensor.ToString()); return true; });
    }

    /// <summary>The caption above the values: <c>Tensor (2, 3) float32 on CPU</c>.</summary>
    public static string Caption(Tensor tensor) => $"Tensor {tensor.Shape} float32 on {tensor.Device.Name}";

    private static bool WriteHtml(Tensor tensor, TextWriter writer)
    {
        int columns = tensor.Rank == 0 ? 1 : tensor.Shape[tensor.Rank - 1];
        if (tensor.Length > MaxTableElements || columns > MaxTableColumns)
        {
            writer.Write($"<div class=\"coursekit-tensor\"><div><b>{Escape(Caption(tensor))}</b></div><pre>{Escape(tensor.ToString() ?? "")}</pre></div>");
            return true;
        }

        var values = tensor.ToArray();
        int rows = tensor.Rank >= 2 ? tensor.Shape[tensor.Rank - 2] : 1;
        int slices = rows * columns == 0 ? 0 : values.Length / (rows * columns);
        writer.Write("<div class=\"coursekit-tensor\">");
        for (int s = 0; s < slices; s++)
        {
            writer.Write("<table style=\"border-collapse:collapse;text-align:right;font-family:monospace;margin-bottom:0.5em\">");
            string caption = slices == 1 ? Caption(tensor) : $"{Caption(tensor)}, slice [{SliceIndex(tensor, s)}, :, :]";
            writer.Write($"<caption style=\"text-align:left;white-space:nowrap\">{Escape(caption)}</caption>");
            for (int r = 0; r < rows; r++)
            {
                writer.Write("<tr>");
                for (int c = 0; c < columns; c++)
                {
                    float v = values[(s * rows + r) * columns + c];
                    writer.Write($"<td style=\"border:1px solid #ccc;padding:2px 6px\">{v.ToString("G6", CultureInfo.InvariantCulture)}</td>");
                }
                writer.Write("</tr>");
            }
            writer.Write("</table>");
        }
        if (slices == 0) writer.Write($"<div><b>{Escape(Caption(tensor))}</b> (no elements)</div>");
        writer.Write("</div>");
        return true;
    }

    /// <summary>The leading indices of 2-D slice number <paramref name="slice"/>, for example <c>1, 0</c>.</summary>
    private static string SliceIndex(Tensor tensor, int slice)
    {
        var index = new int[tensor.Rank - 2];
        for (int d = index.Length - 1; d >= 0; d--)
        {
            index[d] = slice % tensor.Shape[d];
            slice /= tensor.Shape[d];
        }
        return string.Join(", ", index);
    }

    private static string Escape(string text) => WebUtility.HtmlEncode(text);
}
