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

    public static DisplayedValue Display(object? value, string[] mimeTypes)
    {
        var collector = Current ?? throw new InvalidOperationException("display(...) was called outside a running notebook cell.");
        var output = CellOutput.DisplayData(RichFormatter.Format(value, mimeTypes));
        collector.Add(output);
        return new DisplayedValue(output, mimeTypes);
    }
}

/// <summary>Polyglot's <c>value.Display()</c> extension, available in every cell.</summary>
public static class DisplayExtensions
{
    public static DisplayedValue Display(this object? value, params string[] mimeTypes) => KernelContext.Display(value, mimeTypes);
}
