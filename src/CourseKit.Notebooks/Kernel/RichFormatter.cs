using System.Collections;
using System.Collections.Concurrent;
using System.Globalization;
using System.Reflection;

namespace CourseKit.Notebooks.Kernel;

/// <summary>
/// Turns a value into a MIME bundle ({"text/html": ..., "text/plain": ...}) the way Polyglot's formatter does for
/// library types: through the TypeFormatterSourceAttribute convention, matched by name and shape with reflection,
/// so any library's attribute works (CourseKit's among them) without a shared assembly. Plain objects get text/plain.
/// </summary>
internal static class RichFormatter
{
    public const string Html = "text/html";
    public const string PlainText = "text/plain";

    private sealed record Formatter(string MimeType, Func<object, TextWriter, bool> Format);

    private sealed record Convention(string[] PreferredMimeTypes, Formatter[] Formatters);

    private static readonly ConcurrentDictionary<Type, Convention?> conventions = new();

    /// <summary>
    /// The bundle for <paramref name="value"/>: the requested MIME types, or else the type's preferred ones,
    /// always with a text/plain fallback.
    /// </summary>
    public static Dictionary<string, string> Format(object? value, IReadOnlyList<string> mimeTypes)
    {
        var bundle = new Dictionary<string, string>();
        if (value is null)
        {
            bundle[PlainText] = "<null>";
            return bundle;
        }
        if (value is HtmlContent html)
        {
            bundle[Html] = html.Html;
            return bundle;
        }

        var convention = conventions.GetOrAdd(value.GetType(), FindConvention);
        IEnumerable<string> wanted = mimeTypes.Count > 0 ? mimeTypes
            : convention is null ? []
            : convention.PreferredMimeTypes.Length > 0 ? convention.PreferredMimeTypes
            : convention.Formatters.Select(f => f.MimeType).Distinct();
        foreach (var mime in wanted)
        {
            if (TryFormat(convention, value, mime, out var text)) bundle[mime] = text;
            // as in Polyglot, a string shown with an explicit MIME type is that content (display("<b>hi</b>", "text/html"))
            else if (value is string s && mimeTypes.Count > 0) bundle[mime] = s;
        }
        if (!bundle.ContainsKey(PlainText))
            bundle[PlainText] = TryFormat(convention, value, PlainText, out var plain) ? plain : PlainTextOf(value);
        return bundle;
    }

    /// <summary>ToString, except that collections list their first items instead of printing their type name.</summary>
    public static string PlainTextOf(object value)
    {
        const int shown = 20;
        if (value is string s) return s;
        if (value is IFormattable formattable) return formattable.ToString(null, CultureInfo.InvariantCulture);
        if (value is IEnumerable items && value.GetType().GetMethod("ToString", Type.EmptyTypes)?.DeclaringType == typeof(object))
        {
            var texts = items.Cast<object?>().Take(shown + 1).Select(i => i is null ? "null" : PlainTextOf(i)).ToList();
            return "[" + string.Join(", ", texts.Take(shown)) + (texts.Count > shown ? ", ..." : "") + "]";
        }
        return value.ToString() ?? "";
    }

    private static bool TryFormat(Convention? convention, object value, string mimeType, out string text)
    {
        foreach (var formatter in convention?.Formatters ?? [])
        {
            if (formatter.MimeType != mimeType) continue;
            using var writer = new StringWriter(CultureInfo.InvariantCulture);
            if (formatter.Format(value, writer))
            {
                text = writer.ToString();
                return true;
            }
        }
        text = "";
        return false;
    }

    /// <summary>The formatters declared by a TypeFormatterSourceAttribute on the type or one of its base types.</summary>
    private static Convention? FindConvention(Type type)
    {
        for (var t = type; t is not null; t = t.BaseType)
        {
            foreach (var attribute in t.GetCustomAttributes(inherit: false))
            {
                var attributeType = attribute.GetType();
                if (attributeType.Name != "TypeFormatterSourceAttribute") continue;
                if (attributeType.GetProperty("FormatterSourceType")?.GetValue(attribute) is not Type sourceType) continue;
                var preferred = attributeType.GetProperty("PreferredMimeTypes")?.GetValue(attribute) as string[] ?? [];
                return new Convention(preferred, CreateFormatters(sourceType));
            }
        }
        return null;
    }

    private static Formatter[] CreateFormatters(Type sourceType)
    {
        var source = Activator.CreateInstance(sourceType, nonPublic: true);
        var create = sourceType.GetMethod("CreateTypeFormatters", BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance, Type.EmptyTypes);
        if (source is null || create?.Invoke(source, null) is not IEnumerable formatters) return [];

        var result = new List<Formatter>();
        foreach (var formatter in formatters)
        {
            var formatterType = formatter.GetType();
            var mime = formatterType.GetProperty("MimeType")?.GetValue(formatter) as string;
            var format = formatterType.GetMethod("Format", [typeof(object), typeof(TextWriter)]);
            if (mime is null || format is null || format.ReturnType != typeof(bool)) continue;
            result.Add(new Formatter(mime, (value, writer) => (bool)format.Invoke(formatter, [value, writer])!));
        }
        return [.. result];
    }
}
