using System.Text;
using System.Text.Json.Nodes;

namespace CourseKit.Notebooks.Kernel;

/// <summary>
/// The outputs of the running cell, in the order they happen: console text is merged into the preceding
/// stream output of the same name, displays and the result are appended. Safe to call from several threads.
/// </summary>
internal sealed class CellOutputCollector(ICellOutputListener? listener = null)
{
    private readonly List<object> entries = []; // (string Name, StringBuilder Text) for streams, JsonObject otherwise
    private readonly object gate = new();
    private volatile bool interrupted;

    /// <summary>Who sees the outputs live (a Jupyter kernel), or null (the runner records them only).</summary>
    public ICellOutputListener? Listener => listener;

    /// <summary>
    /// Asks the cell to stop: its next console write or display throws <see cref="OperationCanceledException"/>,
    /// which is how a training loop (which prints or shows progress every step) ends cleanly when interrupted.
    /// </summary>
    public void Interrupt() => interrupted = true;

    /// <summary>Throws when the cell was interrupted; called on the cell's own output paths.</summary>
    public void ThrowIfInterrupted()
    {
        if (interrupted) throw new OperationCanceledException("The cell was interrupted (Jupyter's interrupt, the ■ button).");
    }

    public void Write(string streamName, string text)
    {
        if (text.Length == 0) return;
        ThrowIfInterrupted();
        listener?.Added(CellOutput.Stream(streamName, text));
        lock (gate)
        {
            if (entries.Count > 0 && entries[^1] is (string name, StringBuilder last) && name == streamName)
                last.Append(text);
            else
                entries.Add((streamName, new StringBuilder(text)));
        }
    }

    public void Add(JsonObject output)
    {
        lock (gate) entries.Add(output);
        listener?.Added(output);
    }

    /// <summary>
    /// The outputs as nbformat JSON, called once when the cell ends. Display outputs are moved, not copied,
    /// so a display handle updated by a later cell changes the recorded output (as in Polyglot).
    /// </summary>
    public JsonArray Finish()
    {
        lock (gate)
        {
            var outputs = new JsonArray();
            foreach (var entry in entries)
            {
                outputs.Add(entry is (string name, StringBuilder text)
                    ? CellOutput.Stream(name, text.ToString())
                    : (JsonObject)entry);
            }
            return outputs;
        }
    }
}
