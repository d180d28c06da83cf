using System.Text.Json.Nodes;

namespace CourseKit.Notebooks;

/// <summary>One cell of a <see cref="Notebook"/>, a view over its JSON (unknown fields are left as they are).</summary>
public sealed class NotebookCell
{
    internal NotebookCell(JsonObject json) => Json = json;

    internal JsonObject Json { get; }

    /// <summary>"code", "markdown" or "raw".</summary>
    public string CellType => (string)Json["cell_type"]!;

    public bool IsCode => CellType == "code";

    /// <summary>The nbformat 4.5 cell id (null only before a notebook is upgraded).</summary>
    public string? Id
    {
        get => Json["id"] is JsonValue v && v.TryGetValue(out string? id) ? id : null;
        set
        {
            if (Json.ContainsKey("id")) { Json["id"] = value; return; }
            // keep the key order VS Code writes: cell_type, execution_count, id, metadata, ...
            int at = Json.IndexOf("metadata");
            Json.Insert(at < 0 ? Json.Count : at, "id", value);
        }
    }

    /// <summary>The cell's text; nbformat stores it as one string or as a list of lines, both are read.</summary>
    public string Source
    {
        get => MultilineText.Read(Json["source"]);
        set => Json["source"] = MultilineText.Write(value);
    }

    public JsonObject Metadata => (Json["metadata"] ??= new JsonObject()).AsObject();

    /// <summary>
    /// The kernel a code cell runs in: Polyglot's polyglot_notebook.kernelName, then the older
    /// dotnet_interactive.language, else the notebook's default (C#).
    /// </summary>
    public string KernelName =>
        (string?)Metadata["polyglot_notebook"]?["kernelName"]
        ?? (string?)Metadata["dotnet_interactive"]?["language"]
        ?? "csharp";

    /// <summary>The outputs of a code cell (empty for other cells).</summary>
    public JsonArray Outputs => IsCode ? (Json["outputs"] ??= new JsonArray()).AsArray() : [];

    public int? ExecutionCount
    {
        get => Json["execution_count"] is JsonValue v && v.TryGetValue(out int n) ? n : null;
        set => Json["execution_count"] = value;
    }

    /// <summary>Removes the outputs and the execution count, as before a fresh run.</summary>
    public void ClearOutputs()
    {
        if (!IsCode) return;
        Json["outputs"] = new JsonArray();
        Json["execution_count"] = null;
    }

    internal static NotebookCell NewMarkdown(string source, string id) => new(new JsonObject
    {
        ["cell_type"] = "markdown",
        ["id"] = id,
        ["metadata"] = new JsonObject(),
        ["source"] = MultilineText.Write(source),
    });

    internal static NotebookCell NewCode(string source, string id) => new(new JsonObject
    {
        ["cell_type"] = "code",
        ["execution_count"] = null,
        ["id"] = id,
        ["metadata"] = new JsonObject
        {
            ["dotnet_interactive"] = new JsonObject { ["language"] = "csharp" },
            ["polyglot_notebook"] = new JsonObject { ["kernelName"] = "csharp" },
        },
        ["outputs"] = new JsonArray(),
        ["source"] = MultilineText.Write(source),
    });
}
