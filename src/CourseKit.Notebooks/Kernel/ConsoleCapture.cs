using System.Text;

namespace CourseKit.Notebooks.Kernel;

/// <summary>
/// Console.Out and Console.Error, replaced once per process by writers that send text to the running cell's
/// outputs (found through <see cref="KernelContext"/>) and everything else to the original console.
/// </summary>
internal sealed class ConsoleCapture : TextWriter
{
    private static readonly object installGate = new();

    // what Console.Out/Error returned right after we installed (Console wraps writers in a synchronized one)
    private static TextWriter? installedOut, installedError;

    private readonly TextWriter original;
    private readonly string streamName;

    private ConsoleCapture(TextWriter original, string streamName)
    {
        this.original = original;
        this.streamName = streamName;
    }

    /// <summary>Installs the capturing writers, unless they are still the console's (so it is cheap to call per run).</summary>
    public static void Install()
    {
        lock (installGate)
        {
            if (Console.Out != installedOut)
            {
                Console.SetOut(new ConsoleCapture(Console.Out, "stdout"));
                installedOut = Console.Out;
            }
            if (Console.Error != installedError)
            {
                Console.SetError(new ConsoleCapture(Console.Error, "stderr"));
                installedError = Console.Error;
            }
        }
    }

    public override Encoding Encoding => original.Encoding;

    public override void Write(char value) => Write(value.ToString());

    public override void Write(char[] buffer, int index, int count) => Write(new string(buffer, index, count));

    public override void Write(string? value)
    {
        if (value is null) return;
        if (KernelContext.Current is { } cell) cell.Write(streamName, value);
        else lock (original) original.Write(value);
    }

    public override void WriteLine(string? value) => Write(value + NewLine);

    public override void Flush()
    {
        if (KernelContext.Current is null) lock (original) original.Flush();
    }
}
