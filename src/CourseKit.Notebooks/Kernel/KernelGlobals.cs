namespace CourseKit.Notebooks.Kernel;

/// <summary>
/// The members every cell sees, named as in the Polyglot C# kernel so a notebook runs unchanged in both
/// (hence the lower-case <c>display</c>).
/// </summary>
public sealed class KernelGlobals
{
    /// <summary>Shows a value below the cell, formatted as the given MIME types (default: what its type prefers).</summary>
    public DisplayedValue display(object? value, params string[] mimeTypes) => KernelContext.Display(value, mimeTypes);

    /// <summary>HTML to show: as a cell's last expression or through display(...).</summary>
    public HtmlContent HTML(string html) => new(html);
}
