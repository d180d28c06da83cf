using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace CourseKit.Notebooks.Grading;

/// <summary>
/// The child process that runs one submission (<c>coursekit grade-one</c>, started by the grader inside its sandbox,
/// not by people). It holds no notebook: the grader sends one code cell at a time on standard input, as a JSON
/// line with a fresh random token, and the child answers on standard output with the cell's outcome, outputs and
/// that token. See Grading/README.md ("Results only the grader writes") for why the grader can believe a pass.
/// </summary>
/// <remarks>
/// Before any cell runs the child takes the two standard streams for itself and gives student code none:
/// <c>Console.In</c> reads nothing, text written to <c>Console.Out</c> outside a cell is dropped, and a cell's
/// output goes into its own outputs.
/// </remarks>
public static class GradingChild
{
    public const string Command = "grade-one";

    /// <summary>Console text kept per output in the executed notebook; the rest is cut (a student may print megabytes).</summary>
    public const int MaxOutputChars = 20_000;

    /// <summary>Arguments for <see cref="Run"/>.</summary>
    public static IReadOnlyList<string> Arguments(string sourcePath, TimeSpan cellTimeout) =>
        [Command, "--as", sourcePath, "--timeout", cellTimeout.TotalSeconds.ToString(CultureInfo.InvariantCulture)];

    /// <summary>
    /// <c>grade-one --as SOURCE_PATH --timeout SECONDS</c>: runs the cells it is sent as if the notebook were at
    /// SOURCE_PATH (its #r paths and working directory are that folder), until standard input ends.
    /// </summary>
    public static int Run(IReadOnlyList<string> args, TextWriter errors)
    {
        if (args.Count != 4 || args[0] != "--as" || args[2] != "--timeout"
            || !double.TryParse(args[3], NumberStyles.Float, CultureInfo.InvariantCulture, out double seconds) || seconds <= 0)
        {
            errors.WriteLine($"usage: coursekit {Command} --as SOURCE_PATH --timeout SECONDS  (cells on standard input, one JSON line each)");
            return 2;
        }
        var commands = new StreamReader(Console.OpenStandardInput(), new UTF8Encoding(false));
        var results = new StreamWriter(Console.OpenStandardOutput(), new UTF8Encoding(false)) { AutoFlush = false };
        Console.SetIn(TextReader.Null);
        Console.SetOut(TextWriter.Null);

        string folder = Path.GetDirectoryName(Path.GetFullPath(args[1]))!;
        if (Directory.Exists(folder)) Directory.SetCurrentDirectory(folder);
        var session = new NotebookRunner.NotebookSession(folder, Path.GetFileName(args[1]), TimeSpan.FromSeconds(seconds));
        while (commands.ReadLine() is { } line)
        {
            var message = JsonNode.Parse(line)!.AsObject();
            int index = (int)message["index"]!;
            var cell = new NotebookCell(message["cell"]!.DeepClone().AsObject());
            var run = session.Run(cell, index);
            TruncateOutputs(cell);
            var answer = Answer(run, (string)message["token"]!, cell.Outputs);
            lock (results)
            {
                results.WriteLine(answer);
                results.Flush();
            }
            if (run.Status == CellStatus.TimedOut) break; // the cell's thread still runs: only ending the process stops it
        }
        results.Flush();
        Environment.Exit(0); // student threads that are not background threads end here too
        return 0;
    }

    /// <summary>The child's answer for one cell, a JSON line: the cell, its token, status, time, error and outputs.</summary>
    internal static string Answer(CellRun run, string token, JsonArray outputs)
    {
        var json = new JsonObject
        {
            ["index"] = run.Index,
            ["token"] = token,
            ["count"] = run.ExecutionCount,
            ["status"] = run.Status.ToString(),
            ["seconds"] = run.Duration.TotalSeconds,
            ["outputs"] = outputs.DeepClone(),
        };
        if (run.Error is { } error) json["error"] = new JsonObject { ["name"] = error.Name, ["message"] = Cut(error.Message) };
        return json.ToJsonString(new JsonSerializerOptions { WriteIndented = false });
    }

    /// <summary>A cell for the child: the cell's JSON without outputs, its index and its token, as a JSON line.</summary>
    internal static string CellMessage(NotebookCell cell, int index, string token)
    {
        var json = cell.Json.DeepClone().AsObject();
        json["outputs"] = new JsonArray();
        return new JsonObject { ["index"] = index, ["token"] = token, ["cell"] = json }.ToJsonString();
    }

    /// <summary>Cuts console text and text/plain results (not images or HTML) longer than <see cref="MaxOutputChars"/>, saying so.</summary>
    internal static void TruncateOutputs(NotebookCell cell)
    {
        foreach (var output in cell.Outputs.OfType<JsonObject>())
        {
            if (output["text"] is { } text) output["text"] = MultilineText.Write(Cut(MultilineText.Read(text)));
            if (output["data"] is JsonObject data)
                if (data["text/plain"] is { } plain) data["text/plain"] = MultilineText.Write(Cut(MultilineText.Read(plain)));
        }
    }

    private static string Cut(string text) => text.Length <= MaxOutputChars
        ? text
        : text[..MaxOutputChars] + $"\n[... {text.Length - MaxOutputChars} more characters cut by the grader]\n";
}
