using System.Reflection;

namespace CourseKit.Display;

/// <summary>
/// Formats a value the way a notebook shows it, through the <see cref="TypeFormatterSourceAttribute"/> convention.
/// The notebook runner does the same by reflection on names (it must also work for types of other libraries).
/// </summary>
public static class Formatting
{
    public const string Html = "text/html";
    public const string PlainText = "text/plain";

    /// <summary>
    /// Writes <paramref name="value"/> as <paramref name="mimeType"/> with the formatters its type declares;
    /// false when the type declares none for that MIME type (or they all decline).
    /// </summary>
    public static bool TryFormat(object value, string mimeType, out string text)
    {
        foreach (var formatter in FormattersOf(value.GetType()))
        {
            if (formatter.MimeType != mimeType) continue;
            using var writer = new StringWriter(System.Globalization.CultureInfo.InvariantCulture);
            if (formatter.Format(value, writer))
            {
                text = writer.ToString();
                return true;
            }
        }
        text = "";
        return false;
    }

    /// <summary>The MIME types a type prefers to be shown as (empty when it declares no formatter source).</summary>
    public static IReadOnlyList<string> PreferredMimeTypes(Type type) =>
        type.GetCustomAttribute<TypeFormatterSourceAttribute>(inherit: true)?.PreferredMimeTypes ?? [];

    private static IEnumerable<(string MimeType, Func<object, TextWriter, bool> Format)> FormattersOf(Type type)
    {
        var attribute = type.GetCustomAttribute<TypeFormatterSourceAttribute>(inherit: true);
        if (attribute is null) yield break;
        var source = Activator.CreateInstance(attribute.FormatterSourceType)
            ?? throw new InvalidOperationException($"Formatting {type.Name}: cannot create its formatter source {attribute.FormatterSourceType.Name}.");
        var create = attribute.FormatterSourceType.GetMethod("CreateTypeFormatters", Type.EmptyTypes)
            ?? throw new InvalidOperationException($"Formatting {type.Name}: {attribute.FormatterSourceType.Name} has no CreateTypeFormatters() method.");
        foreach (var formatter in (IEnumerable<object>)create.Invoke(source, null)!)
        {
            var formatterType = formatter.GetType();
            var mime = formatterType.GetProperty("MimeType")?.GetValue(formatter) as string;
            var format = formatterType.GetMethod("Format", [typeof(object), typeof(TextWriter)]);
            if (mime is null || format is null) continue;
            yield return (mime, (value, writer) => (bool)format.Invoke(formatter, [value, writer])!);
        }
    }
}
