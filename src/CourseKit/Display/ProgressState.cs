using System.Net;

namespace CourseKit.Display;

/// <summary>Where a long piece of work stands: what it is, how far it got, and an optional message (e.g. the loss).</summary>
[TypeFormatterSource(typeof(DisplayFormatterSource), PreferredMimeTypes = [Formatting.Html])]
public sealed record ProgressState(string Label, long Done, long Total, string? Message, TimeSpan Elapsed, bool Finished = false)
{
    /// <summary>Done / Total in [0, 1] (1 when there is nothing to do).</summary>
    public double Fraction => Total <= 0 ? 1 : Math.Clamp((double)Done / Total, 0, 1);

    /// <summary>Whole percent, the granularity at which displays are refreshed.</summary>
    public int Percent => (int)Math.Floor(Fraction * 100);

    /// <summary>One line: "epoch 1: 30/100 (30%) loss 0.52 [00:12]".</summary>
    public string ToText() =>
        $"{Label}: {Done}/{Total} ({Percent}%){(Message is null ? "" : " " + Message)} [{Elapsed.ToString(@"hh\:mm\:ss")}]{(Finished ? " done" : "")}";

    /// <summary>An HTML progress bar with the same text, for notebooks.</summary>
    public string ToHtml() =>
        $"<div class=\"coursekit-progress\" style=\"font:13px sans-serif\"><progress value=\"{Done}\" max=\"{Math.Max(Total, 1)}\" style=\"width:300px;vertical-align:middle\"></progress> {WebUtility.HtmlEncode(ToText())}</div>";

    public override string ToString() => ToText();
}
