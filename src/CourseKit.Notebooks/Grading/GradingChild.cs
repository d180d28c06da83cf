using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace CourseKit.Notebooks.Grading;

/// <summary>
/// The child process that runs one submission (<c>coursekit grade-one</c>, used by the grader, not by people):
/// runs every cell with continue-on-error and, after each cell, appends the cell's outcome to a log and saves
/// the executed notebook, so that when student code ends the process (stack overflow, Environment.Exit, a kill
/// at a limit) the grader still knows every cell that finished and which one was running.
/// </summary>
/// <remarks>
/// Student code runs in this process and can find the log file, so every log line is signed (HMAC-SHA256) with a
/// key the grader sends on standard input, read before any cell runs and kept only in memory: a line a student
/// writes into the log is not believed.
/// </remarks>
public static class GradingChild
{
    public const string Command = "grade-one";

    /// <summary>Console text kept per output in the executed notebook; the rest is cut (a student may print megabytes).</summary>
    public const int MaxOutputChars = 20_000;

    /// <summary>Arguments for <see cref="Run"/>.</summary>
    public static IReadOnlyList<string> Arguments(string notebook, string sourcePath, string executed, string log, TimeSpan cellTimeout) =>
        [Command, notebook, "--as", sourcePath, "--out", executed, "--log", log, "--timeout", cellTimeout.TotalSeconds.ToString(CultureInfo.InvariantCulture)];

    /// <summary>
    /// <c>grade-one NOTEBOOK --as SOURCE_PATH --out EXECUTED --log LOG --timeout SECONDS</c>, the log's key (base64) on
    /// standard input. The notebook runs as if it were at SOURCE_PATH (its #r paths and working directory are the
    /// source notebook's folder).
    /// </summary>
    public static int Run(IReadOnlyList<string> args, TextWriter errors)
    {
        byte[] key = [];
        try { key = Convert.FromBase64String(Console.In.ReadLine() ?? ""); }
        catch (FormatException) { }
        if (args.Count != 9 || args[1] != "--as" || args[3] != "--out" || args[5] != "--log" || args[7] != "--timeout"
            || !double.TryParse(args[8], NumberStyles.Float, CultureInfo.InvariantCulture, out double seconds) || key.Length < 16)
        {
            errors.WriteLine($"usage: coursekit {Command} NOTEBOOK --as SOURCE_PATH --out EXECUTED --log LOG --timeout SECONDS  (the log's key on standard input)");
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
                File.AppendAllText(log, Sign(key, LogLine(run)) + "\n");
            },
        };
        NotebookRunner.Run(notebook, options);
        notebook.Save(executed);
        File.AppendAllText(log, Sign(key, Finished) + "\n");
        return 0;
    }

    /// <summary>A fresh key for one child run.</summary>
    internal static byte[] NewKey() => RandomNumberGenerator.GetBytes(32);

    /// <summary>The runs a log records (lines with a valid signature only), and whether the child got to the end.</summary>
    internal static (List<CellRun> Runs, bool Finished) ReadLog(string log, byte[] key)
    {
        var runs = new List<CellRun>();
        if (!File.Exists(log)) return (runs, false);
        bool finished = false;
        foreach (var signed in File.ReadAllLines(log))
        {
            if (Verify(key, signed) is not { } line) continue; // cut short by a kill, or not written by the child
            if (line == Finished) { finished = true; continue; }
            try
            {
                var json = JsonNode.Parse(line)!.AsObject();
                var error = json["error"] is JsonObject e ? new CellError((string)e["name"]!, (string)e["message"]!, []) : null;
                var status = Enum.Parse<CellStatus>((string)json["status"]!);
                runs.RemoveAll(r => r.Index == (int)json["cell"]!);
                runs.Add(new CellRun((int)json["cell"]!, (int?)json["count"], status, TimeSpan.FromSeconds((double)json["seconds"]!), error));
            }
            catch (Exception e) when (e is JsonException or InvalidOperationException or ArgumentException or FormatException) { }
        }
        return (runs, finished);
    }

    private const string Finished = "{\"finished\":true}";

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

    // a log line is "SIGNATURE JSON": the base64 HMAC of the JSON, a space, the JSON (which has no newline)
    private static string Sign(byte[] key, string line) => $"{Convert.ToBase64String(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(line)))} {line}";

    private static string? Verify(byte[] key, string signed)
    {
        int space = signed.IndexOf(' ');
        if (space < 0) return null;
        string line = signed[(space + 1)..];
        byte[] expected = HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(line));
        byte[] given;
        try { given = Convert.FromBase64String(signed[..space]); }
        catch (FormatException) { return null; }
        return CryptographicOperations.FixedTimeEquals(expected, given) ? line : null;
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
