using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace CourseKit.Notebooks;

/// <summary>
/// A Jupyter notebook (nbformat 4.5) as VS Code Polyglot Notebooks writes it. The JSON tree is kept as read,
/// so metadata the runner does not know (grading marks, editor state) survives a read/write round trip.
/// </summary>
public sealed class Notebook
{
    private readonly JsonObject root;

    private Notebook(JsonObject root, string? path)
    {
        this.root = root;
        Path = path;
        Cells = root["cells"]!.AsArray().Select(c => new NotebookCell(c!.AsObject())).ToList();
    }

    /// <summary>Where the notebook was read from (null for a new one).</summary>
    public string? Path { get; }

    public IReadOnlyList<NotebookCell> Cells { get; private set; }

    /// <summary>Notebook-level metadata (kernelspec, language_info, polyglot_notebook, and anything else).</summary>
    public JsonObject Metadata => root["metadata"]!.AsObject();

    /// <summary>A new, empty notebook with the Polyglot C# kernel metadata.</summary>
    public static Notebook Create()
    {
        var root = new JsonObject
        {
            ["cells"] = new JsonArray(),
            ["metadata"] = new JsonObject
            {
                ["kernelspec"] = new JsonObject { ["display_name"] = ".NET (C#)", ["language"] = "C#", ["name"] = ".net-csharp" },
                ["language_info"] = new JsonObject { ["name"] = "polyglot-notebook" },
                ["polyglot_notebook"] = new JsonObject
                {
                    ["kernelInfo"] = new JsonObject
                    {
                        ["defaultKernelName"] = "csharp",
                        ["items"] = new JsonArray(new JsonObject { ["aliases"] = new JsonArray(), ["name"] = "csharp" }),
                    },
                },
            },
            ["nbformat"] = 4,
            ["nbformat_minor"] = 5,
        };
        return new Notebook(root, null);
    }

    /// <summary>Reads a notebook file; throws <see cref="NotebookFormatException"/> naming the file when it is not one.</summary>
    public static Notebook Load(string path)
    {
        if (!File.Exists(path)) throw new NotebookFormatException($"{path}: no such file.");
        string text;
        try { text = File.ReadAllText(path); }
        catch (IOException e) { throw new NotebookFormatException($"{path}: cannot read it ({e.Message}).", e); }
        return Parse(text, path);
    }

    /// <summary>Parses notebook JSON; <paramref name="path"/> only names the source in error messages.</summary>
    public static Notebook Parse(string json, string? path = null)
    {
        string name = path ?? "notebook";
        JsonNode? node;
        try { node = JsonNode.Parse(json, documentOptions: new JsonDocumentOptions { AllowTrailingCommas = true }); }
        catch (JsonException e) { throw new NotebookFormatException($"{name}: not a notebook, the file is not valid JSON ({e.Message}).", e); }

        if (node is not JsonObject root) throw new NotebookFormatException($"{name}: not a notebook, the JSON is not an object.");
        if (root["nbformat"] is not JsonValue major || !major.TryGetValue(out int version))
            throw new NotebookFormatException($"{name}: not a notebook, it has no \"nbformat\" number.");
        if (version != 4) throw new NotebookFormatException($"{name}: nbformat {version} is not supported; the runner reads nbformat 4 notebooks.");
        if (root["cells"] is not JsonArray cells) throw new NotebookFormatException($"{name}: not a notebook, it has no \"cells\" list.");
        if (cells.Count == 0) throw new NotebookFormatException($"{name}: the notebook has no cells.");
        for (int i = 0; i < cells.Count; i++)
        {
            if (cells[i] is not JsonObject cell || cell["cell_type"] is not JsonValue type || !type.TryGetValue(out string? _))
                throw new NotebookFormatException($"{name}: cell {i + 1} has no \"cell_type\".");
            if (cell["source"] is not (JsonValue or JsonArray))
                throw new NotebookFormatException($"{name}: cell {i + 1} has no \"source\".");
        }
        root["metadata"] ??= new JsonObject();
        var notebook = new Notebook(root, path);
        notebook.UpgradeToCellIds();
        return notebook;
    }

    /// <summary>Appends a markdown cell.</summary>
    public NotebookCell AddMarkdown(string source) => Add(NotebookCell.NewMarkdown(source, NewCellId()));

    /// <summary>Appends a C# code cell with the Polyglot kernel metadata.</summary>
    public NotebookCell AddCode(string source) => Add(NotebookCell.NewCode(source, NewCellId()));

    /// <summary>The notebook as JSON the way VS Code writes it: one-space indent, non-ASCII kept, final newline.</summary>
    public string ToJson() => root.ToJsonString(WriteOptions) + "\n";

    /// <summary>Writes the notebook, replacing the file only once the new text is complete.</summary>
    public void Save(string path)
    {
        string? folder = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path));
        if (folder is not null) Directory.CreateDirectory(folder);
        string temporary = path + ".tmp";
        File.WriteAllText(temporary, ToJson());
        File.Move(temporary, path, overwrite: true);
    }

    private static readonly JsonSerializerOptions WriteOptions = new()
    {
        WriteIndented = true,
        IndentSize = 1,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    private NotebookCell Add(NotebookCell cell)
    {
        root["cells"]!.AsArray().Add(cell.Json);
        Cells = [.. Cells, cell];
        return cell;
    }

    /// <summary>nbformat 4.5 gives every cell an id; older 4.x notebooks get ids when read.</summary>
    private void UpgradeToCellIds()
    {
        int minor = root["nbformat_minor"] is JsonValue v && v.TryGetValue(out int m) ? m : 0;
        if (minor >= 5 && Cells.All(c => c.Id is not null)) return;
        foreach (var cell in Cells)
            cell.Id ??= NewCellId();
        root["nbformat_minor"] = 5;
    }

    private string NewCellId()
    {
        string id;
        do id = Guid.NewGuid().ToString("N")[..8];
        while (Cells.Any(c => c.Id == id));
        return id;
    }
}
