namespace CourseKit.Notebooks.Kernel;

/// <summary>A piece of HTML, shown as text/html (what <c>HTML("...")</c> returns, as in Polyglot).</summary>
public sealed class HtmlContent(string html)
{
    public string Html { get; } = html;

    public override string ToString() => Html;
}
