using System.Text.Json.Nodes;

namespace CourseKit.Notebooks;

/// <summary>nbformat's multiline strings: one string, or a list of lines each keeping its "\n" (the form written).</summary>
internal static class MultilineText
{
    public static string Read(JsonNode? node) => node switch
    {
        JsonArray lines => string.Concat(lines.Select(l => (string?)l)),
        JsonValue value when value.TryGetValue(out string? text) => text,
        _ => "",
    };

    public static JsonArray Write(string text)
    {
        var lines = new JsonArray();
        int start = 0;
        while (start < text.Length)
        {
            int end = text.IndexOf('\n', start);
            end = end < 0 ? text.Length : end + 1;
            lines.Add(text[start..end]);
            start = end;
        }
        return lines;
    }
}
