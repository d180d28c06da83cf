using System.Text.Json.Nodes;

namespace CourseKit.Notebooks.Kernel;

/// <summary>
/// What the running cell writes to. It flows with the cell's execution context (AsyncLocal), so tasks and
/// threads started by the cell write to its outputs, and other threads of the process are not captured.
/// </summary>
internal static class KernelContext
{
    private static readonly AsyncLocal<CellOutputCollector?> current = new();

    public static CellOutputCollector? Current
    {
        get => current.Value;
        set => current.Value = value;
    }

    /// <summary>
    /// Adds a display_data output to the running cell. Outside a cell (a library keeping the display function after
    /// its notebook ended) the value's text goes to the console and the handle updates nothing visible.
    /// </summary>
    public static DisplayedValue Display(object? value, string[] mimeTypes)
    {
        Current?.ThrowIfInterrupted();
        var bundle = RichFormatter.Format(value, mimeTypes);
        var output = CellOutput.DisplayData(bundle);
        if (Current is { } collector) collector.Add(output);
        else Console.WriteLine(bundle[RichFormatter.PlainText]);
        return new DisplayedValue(output, mimeTypes, Current?.Listener);
    }
}

/// <summary>Polyglot's <c>value.Display()</c> extension, available in every cell.</summary>
public static class DisplayExtensions
{
    public static DisplayedValue Display(this object? value, params string[] mimeTypes) => KernelContext.Display(value, mimeTypes);
}
