namespace CourseKit.Display;

/// <summary>
/// One formatter of the <see cref="TypeFormatterSourceAttribute"/> convention: writes a <typeparamref name="T"/>
/// as <see cref="MimeType"/>. A formatter source returns these from <c>CreateTypeFormatters()</c>.
/// </summary>
public sealed class TypeFormatter<T>
{
    private readonly Func<T, TextWriter, bool> write;

    /// <param name="mimeType">What the formatter writes, for example <c>text/html</c> or <c>text/plain</c>.</param>
    /// <param name="write">Writes the value; returns false when it cannot (the notebook then tries another formatter).</param>
    public TypeFormatter(string mimeType, Func<T, TextWriter, bool> write)
    {
        MimeType = mimeType;
        this.write = write;
    }

    public string MimeType { get; }

    /// <summary>The convention's entry point (called by reflection from the notebook): false for other types.</summary>
    public bool Format(object instance, TextWriter writer) => instance is T value && write(value, writer);
}
