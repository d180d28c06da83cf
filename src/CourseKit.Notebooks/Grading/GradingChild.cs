using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace CourseKit.Notebooks.Grading;

/// <summary>
/// The child process that runs one submission (<c>coursekit grade-one</c>, used by the grader, not by people):
/// runs every cell with continue-on-error and, after each cell, appends the cell's outcome to a log and saves
/// the executed notebook, so that when student code ends the process (stack overflow, Environment.Exit, a kill
/// at a limit) the grader still knows every cell that finished and which one was running.
/// </summary>
public static class GradingChild
{
    public const string Command = "grade-one";

    /// <summary>Console text kept per output in the executed notebook; the rest is cut (a student may print megabytes).</summary>
    public const int MaxOutputChars = 20_000;

    /// <summary>The log line written once every cell ran.</summary>
    internal const string FinishedLine = "{\"finished\":true}";

    /// <summary>Arguments for <see cref="Run"/>.</summary>
    public static IReadOnlyList<string> Arguments(string notebook, string sourcePath, string executed, string log, TimeSpan cellTimeout) =>
        [Command, notebook, "--as", sourcePath, "--out", executed, "--log", log, "--timeout", cellTimeout.TotalSeconds.ToString(CultureInfo.InvariantCulture)];

    /// <summary>
    /// <c>grade-one NOTEBOOK --as SOURCE_PATH --out EXECUTED --log LOG --timeout SECONDS</c>. The notebook runs as if
    /// it were at SOURCE_PATH (its #r paths and working directory are the source notebook's folder).
    /// </summary>
    public static int Run(IReadOnlyList<string> args, TextWriter errors)
    {
        if (args.Count != 9 || args[1] != "--as" || args[3] != "--out" || args[5] != "--log" || args[7] != "--timeout"
            || !double.TryParse(args[8], NumberStyles.Float, CultureInfo.InvariantCulture, out double seconds))
        {
            errors.WriteLine($"usage: coursekit {Command} NOTEBOOK --as SOURCE_PATH --out EXECUTED --log LOG --timeout SECONDS");
            return 2;
        }
        string executed = args[4], log = args[6];
        var notebook = Notebook.Parse(File.ReadAllText(args[0]), args[2]);
        var options = new NotebookRunnerOptions
        {
            ContinueOnError = true,
            CellTimeout = TimeSpan.FromSeconds(seconds),
            CellFinished = run =>
            {
                TruncateOutputs(notebook.Cells[run.Index]);
                notebook.Save(executed);
                File.AppendAllText(log, LogLine(run) + "\n");
            },
        };
        NotebookRunner.Run(notebook, options);
        notebook.Save(executed);
        File.AppendAllText(log, FinishedLine + "\n");
        return 0;
    }

    /// <summary>The runs a log records, and whether the child got to the end.</summary>
    internal static (List<CellRun> Runs, bool Finished) ReadLog(string log)
    {
        var runs = new List<CellRun>();
        if (!File.Exists(log)) return (runs, false);
        bool finished = false;
        foreach (var line in File.ReadAllLines(log))
        {
            if (line == FinishedLine) { finished = true; continue; }
            try
            {
                var json = JsonNode.Parse(line)!.AsObject();
                var error = json["error"] is JsonObject e
                    ? new CellError((string)e["name"]!, (string)e["message"]!, [])
                    : null;
                runs.Add(new CellRun((int)json["cell"]!, (int?)json["count"], Enum.Parse<CellStatus>((string)json["status"]!), TimeSpan.FromSeconds((double)json["seconds"]!), error));
            }
            catch (Exception e) when (e is JsonException or InvalidOperationException or ArgumentException or FormatException)
            {
                // a line cut short by a kill: the cell it describes counts as not finished
            }
        }
        return (runs, finished);
    }

    private static string LogLine(CellRun run)
    {
        var json = new JsonObject
        {
            ["cell"] = run.Index,
            ["count"] = run.ExecutionCount,
            ["status"] = run.Status.ToString(),
            ["seconds"] = run.Duration.TotalSeconds,
        };
        if (run.Error is { } error) json["error"] = new JsonObject { ["name"] = error.Name, ["message"] = Cut(error.Message) };
        return json.ToJsonString();
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
