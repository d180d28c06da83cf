using System.Diagnostics;
using System.Text;

namespace CourseKit.Tests.Notebooks;

/// <summary>
/// Runs a process to its end or a time limit, with stdout and stderr captured together in the order they came:
/// how the tests drive Jupyter's own clients (nbclient, jupyter_client) against a kernel.
/// </summary>
internal static class CapturedProcess
{
    /// <summary>
    /// Starts <paramref name="start"/> (its output is redirected here) and waits at most <paramref name="timeout"/>.
    /// Returns the exit code and the output, or <c>TimedOut</c> after the whole process tree was killed.
    /// </summary>
    public static (int ExitCode, string Output, bool TimedOut) Run(ProcessStartInfo start, TimeSpan timeout)
    {
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        var log = new StringBuilder();
        using var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (log) log.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (log) log.AppendLine(e.Data); };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
            lock (log) return (-1, log.ToString(), true);
        }
        process.WaitForExit(); // the output events are flushed
        lock (log) return (process.ExitCode, log.ToString(), false);
    }
}
