using System.Net;
using System.Text;

namespace CourseKit.Display;

/// <summary>One cell of an <see cref="ImageGrid"/>: a picture, an optional caption, and whether it shows a mistake.</summary>
public sealed record GridItem(Image Image, string? Caption = null, bool Wrong = false);

/// <summary>
/// Many small images side by side with captions, e.g. test digits with "pred 3 / true 5" under each,
/// mistakes in red. Images are enlarged by whole pixels (nearest neighbour) so that 28x28 digits are visible.
/// </summary>
[TypeFormatterSource(typeof(DisplayFormatterSource), PreferredMimeTypes = [Formatting.Html])]
public sealed class ImageGrid
{
    /// <summary>The caption colour of a wrong prediction.</summary>
    public static readonly Rgb WrongColor = Rgb.Red;

    private readonly List<GridItem> items = [];

    /// <summary>A heading above the grid.</summary>
    public string? Title { get; init; }

    /// <summary>Enlargement factor; 0 (the default) picks one so that the longer side is at least <see cref="MinimumSize"/> pixels.</summary>
    public int Scale { get; init; }

    /// <summary>The smallest displayed side in pixels when <see cref="Scale"/> is automatic.</summary>
    public int MinimumSize { get; init; } = 84;

    public IReadOnlyList<GridItem> Items => items;

    public ImageGrid Add(Image image, string? caption = null, bool wrong = false)
    {
        items.Add(new GridItem(image, caption, wrong));
        return this;
    }

    public ImageGrid Add(Tensor image, string? caption = null, ValueRange range = ValueRange.Auto) =>
        Add(Image.FromTensor(image, range), caption);

    /// <summary>Adds an image captioned with the predicted and the true label; red when they differ.</summary>
    public ImageGrid AddPrediction(Image image, string predicted, string actual) =>
        Add(image, $"pred {predicted} / true {actual}", predicted != actual);

    /// <summary>A grid of a batch (N, C, H, W) or (N, H, W), with optional captions (one per image).</summary>
    public static ImageGrid FromBatch(Tensor images, IReadOnlyList<string>? captions = null, ValueRange range = ValueRange.Auto, string? title = null)
    {
        var split = Image.Split(images, range);
        if (captions is not null && captions.Count != split.Length)
            throw new ArgumentException($"ImageGrid.FromBatch: {split.Length} images (shape {images.Shape}) but {captions.Count} captions.");
        var grid = new ImageGrid { Title = title };
        for (int i = 0; i < split.Length; i++)
            grid.Add(split[i], captions?[i]);
        return grid;
    }

    /// <summary>
    /// A grid of a batch with "pred / true" captions, wrong predictions in red.
    /// <paramref name="classNames"/> turns class indices into words (e.g. "cat"); digits print as themselves.
    /// </summary>
    public static ImageGrid FromPredictions(Tensor images, IReadOnlyList<int> predicted, IReadOnlyList<int> actual,
        IReadOnlyList<string>? classNames = null, ValueRange range = ValueRange.Auto, string? title = null)
    {
        var split = Image.Split(images, range);
        if (predicted.Count != split.Length || actual.Count != split.Length)
            throw new ArgumentException($"ImageGrid.FromPredictions: {split.Length} images (shape {images.Shape}), {predicted.Count} predictions and {actual.Count} labels; all three counts must agree.");
        string Name(int k) => classNames is not null && k >= 0 && k < classNames.Count ? classNames[k] : k.ToString();
        var grid = new ImageGrid { Title = title };
        for (int i = 0; i < split.Length; i++)
            grid.AddPrediction(split[i], Name(predicted[i]), Name(actual[i]));
        return grid;
    }

    /// <summary>The enlargement used for an image of this size.</summary>
    public int ScaleFor(Image image) =>
        Scale > 0 ? Scale : Math.Max(1, (MinimumSize + Math.Max(image.Width, image.Height) - 1) / Math.Max(image.Width, image.Height));

    /// <summary>A flex box of figures, each an img (PNG data URI) over its caption.</summary>
    public string ToHtml()
    {
        var html = new StringBuilder();
        html.Append("<div class=\"coursekit-image-grid\">");
        if (Title is not null)
            html.Append("<div style=\"font:bold 14px sans-serif;margin:4px 0\">").Append(WebUtility.HtmlEncode(Title)).Append("</div>");
        html.Append("<div style=\"display:flex;flex-wrap:wrap;gap:8px;align-items:flex-start\">");
        foreach (var item in items)
        {
            html.Append("<figure style=\"margin:0;text-align:center;font:12px sans-serif\">");
            html.Append(item.Image.Scale(ScaleFor(item.Image)).ToHtml(item.Caption));
            if (item.Caption is not null)
            {
                string style = item.Wrong ? $" style=\"color:{WrongColor.ToCss()};font-weight:bold\"" : "";
                html.Append($"<figcaption{style}>").Append(WebUtility.HtmlEncode(item.Caption)).Append("</figcaption>");
            }
            html.Append("</figure>");
        }
        html.Append("</div></div>");
        return html.ToString();
    }

    public override string ToString() =>
        $"ImageGrid with {items.Count} image(s){(Title is null ? "" : $": {Title}")}, {items.Count(i => i.Wrong)} wrong";
}
