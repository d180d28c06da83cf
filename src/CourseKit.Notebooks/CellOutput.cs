using System.Text.Json.Nodes;

namespace CourseKit.Notebooks;

/// <summary>The four Jupyter output types a cell can record (nbformat 4 "output" schema).</summary>
public static class CellOutput
{
    /// <summary>Text written to the console: name is "stdout" or "stderr".</summary>
    public static JsonObject Stream(string name, string text) => new()
    {
        ["name"] = name,
        ["output_type"] = "stream",
        ["text"] = MultilineText.Write(text),
    };

    /// <summary>A value shown with display(...): one entry per MIME type.</summary>
    public static JsonObject DisplayData(IReadOnlyDictionary<string, string> data) => new()
    {
        ["data"] = Bundle(data),
        ["metadata"] = new JsonObject(),
        ["output_type"] = "display_data",
    };

    /// <summary>The value of a cell's trailing expression.</summary>
    public static JsonObject ExecuteResult(int executionCount, IReadOnlyDictionary<string, string> data) => new()
    {
        ["data"] = Bundle(data),
        ["execution_count"] = executionCount,
        ["metadata"] = new JsonObject(),
        ["output_type"] = "execute_result",
    };

    /// <summary>A failed cell: exception type name, message, and the trace lines.</summary>
    public static JsonObject Error(string ename, string evalue, IEnumerable<string> traceback) => new()
    {
        ["ename"] = ename,
        ["evalue"] = evalue,
        ["output_type"] = "error",
        ["traceback"] = new JsonArray([.. traceback.Select(line => (JsonNode)line)]),
    };

    /// <summary>The text of one MIME type in a display_data or execute_result output, or null.</summary>
    public static string? Data(JsonObject output, string mimeType) =>
        output["data"]?[mimeType] is { } node ? MultilineText.Read(node) : null;

    internal static JsonObject Bundle(IReadOnlyDictionary<string, string> data)
    {
        var bundle = new JsonObject();
        // nbformat keeps text as lines; JSON MIME types (application/json, ...) would be objects, which we never produce.
        foreach (var (mime, text) in data) bundle[mime] = MultilineText.Write(text);
        return bundle;
    }
}
