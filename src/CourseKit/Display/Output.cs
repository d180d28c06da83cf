namespace CourseKit.Display;

/// <summary>
/// Where the library shows rich objects (check cards, progress, figures) while a cell runs.
/// A notebook host plugs its display function in, in the notebook's first cell:
/// <c>Output.Attach(o => display(o));</c> — the same line works in VS Code Polyglot Notebooks and in
/// CourseKit's runner, because both provide <c>display</c>. Without a host, objects go to the console as text.
/// </summary>
public static class Output
{
    private static Func<object, object?>? sink;

    /// <summary>True when a notebook host is attached.</summary>
    public static bool IsNotebook => sink is not null;

    /// <summary>
    /// False in .NET Interactive started by a Jupyter client (JupyterLab, VS Code's Jupyter extension: the kernelspec
    /// runs <c>dotnet interactive jupyter</c>). Its Jupyter bridge sends a shown value under one display id and that
    /// value's updates under another, so no update ever arrives and a progress bar would stay at 0 %; progress then
    /// writes plain lines instead (see <see cref="Progress.Create"/>). Polyglot Notebooks (<c>dotnet interactive
    /// stdio</c>) and CourseKit's runner update in place.
    /// </summary>
    public static bool HostUpdatesInPlace { get; } = !IsJupyterKernel(Environment.GetCommandLineArgs());

    internal static bool IsJupyterKernel(string[] commandLine) =>
        commandLine.Length > 1
        && Path.GetFileNameWithoutExtension(commandLine[0]) == "Microsoft.DotNet.Interactive.App"
        && commandLine[1] == "jupyter";

    /// <summary>Attaches the host's display function (Polyglot's or the runner's <c>display</c>).</summary>
    public static void Attach(Func<object, object?> display) => sink = display;

    /// <summary>Detaches the host; output goes to the console again.</summary>
    public static void Detach() => sink = null;

    /// <summary>Shows <paramref name="value"/>: rich in a notebook, as text on the console. Returns the host's handle, if any.</summary>
    public static object? Show(object value)
    {
        if (sink is { } display) return display(value);
        Console.WriteLine(value);
        return null;
    }
}
