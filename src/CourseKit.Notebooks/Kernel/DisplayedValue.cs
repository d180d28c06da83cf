using System.Text.Json.Nodes;

namespace CourseKit.Notebooks.Kernel;

/// <summary>
/// The handle display(...) returns: <see cref="Update"/> replaces what was shown, as Polyglot's DisplayedValue does.
/// A live notebook redraws the output (a Jupyter kernel sends update_display_data); the runner records the final state.
/// </summary>
public sealed class DisplayedValue
{
    private readonly JsonObject output;
    private readonly string[] mimeTypes;
    private readonly ICellOutputListener? listener;

    internal DisplayedValue(JsonObject output, string[] mimeTypes, ICellOutputListener? listener)
    {
        this.output = output;
        this.mimeTypes = mimeTypes;
        this.listener = listener;
    }

    /// <summary>Shows <paramref name="value"/> in place of the displayed one, with the same MIME types.</summary>
    public void Update(object? value)
    {
        KernelContext.Current?.ThrowIfInterrupted();
        var bundle = CellOutput.Bundle(RichFormatter.Format(value, mimeTypes));
        lock (output) output["data"] = bundle;
        listener?.Updated(output);
    }
}
