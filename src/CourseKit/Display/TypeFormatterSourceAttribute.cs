namespace CourseKit.Display;

/// <summary>
/// Marks a type as displayable: notebooks show it through the formatters that
/// <see cref="FormatterSourceType"/> creates. This is the convention Polyglot Notebooks (.NET Interactive)
/// honours by name, so CourseKit needs no reference to .NET Interactive, and the CourseKit notebook
/// runner honours the very same convention: the same HTML appears in VS Code and in the runner's output.
/// </summary>
/// <remarks>
/// The convention, matched by name and shape (never by type identity):
/// <list type="bullet">
/// <item>an attribute class named <c>TypeFormatterSourceAttribute</c> with a <c>Type FormatterSourceType</c> property
/// and a <c>string[] PreferredMimeTypes</c> property;</item>
/// <item>the source type has a public parameterless constructor and <c>IEnumerable&lt;object&gt; CreateTypeFormatters()</c>;</item>
/// <item>each formatter has <c>string MimeType</c> and <c>bool Format(object instance, TextWriter writer)</c>
/// (see <see cref="TypeFormatter{T}"/>).</item>
/// </list>
/// </remarks>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Struct, AllowMultiple = false, Inherited = true)]
public sealed class TypeFormatterSourceAttribute : Attribute
{
    public TypeFormatterSourceAttribute(Type formatterSourceType)
    {
        FormatterSourceType = formatterSourceType;
    }

    /// <summary>The type whose <c>CreateTypeFormatters()</c> yields the formatters.</summary>
    public Type FormatterSourceType { get; }

    /// <summary>The MIME types a notebook should show by default, best first (for example <c>text/html</c>).</summary>
    public string[] PreferredMimeTypes { get; set; } = [];
}
