using System.Diagnostics;

namespace CourseKit.Tests.Notebooks;

/// <summary>Jupyter's own validator (Debian's python3-nbformat, installed by ci/install-packages.sh).</summary>
internal static class Nbformat
{
    private const string Python = "/usr/bin/python3";

    public static (int ExitCode, string Output) Validate(string notebookPath)
    {
        var start = new ProcessStartInfo(Python)
        {
            ArgumentList = { "-c", "import sys, nbformat; nbformat.validate(nbformat.read(sys.argv[1], as_version=4)); print('valid')", notebookPath },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {Python}.");
        var stderr = process.StandardError.ReadToEndAsync();
        string stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, stdout + stderr.Result);
    }
}
