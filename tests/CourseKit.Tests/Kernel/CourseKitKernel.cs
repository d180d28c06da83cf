using System.Diagnostics;
using CourseKit.Notebooks.Jupyter;
using CourseKit.Tests.Notebooks;

namespace CourseKit.Tests.Kernel;

/// <summary>
/// CourseKit's kernel as a Jupyter client finds it: the kernelspec written by the same code as
/// <c>coursekit kernel install --prefix</c>, into the build folder, starting the built CLI; and Python with
/// Jupyter's own client (Debian's python3-jupyter-client) to drive it.
/// </summary>
internal static class CourseKitKernel
{
    public const string Python = "/usr/bin/python3";

    private static readonly Lazy<string> jupyterPath = new(Install);

    /// <summary>The folder to put on JUPYTER_PATH (it holds kernels/coursekit-csharp).</summary>
    public static string JupyterPath => jupyterPath.Value;

    public static string Cli => Path.Combine(RepositoryPaths.Root, "artifacts", "bin", "CourseKit.Cli", "release", "CourseKit.Cli.dll");

    /// <summary>What this machine lacks, or null.</summary>
    public static string? Missing()
    {
        if (!File.Exists(Python)) return $"{Python} (Debian's python3)";
        if (!File.Exists(Cli)) return $"{Cli} (`dotnet build CourseKit.sln -c Release`)";
        var (code, output) = RunPython(["-c", "import jupyter_client, nbclient"], TimeSpan.FromMinutes(1));
        return code == 0 ? null : $"Jupyter's client for {Python} (Debian: python3-jupyter-client, python3-nbclient): {output}";
    }

    /// <summary>Runs python3 with <paramref name="args"/>, our kernelspec on JUPYTER_PATH; returns its exit code and output.</summary>
    public static (int ExitCode, string Output) RunPython(IReadOnlyList<string> args, TimeSpan timeout, string? jupyter = null)
    {
        var start = new ProcessStartInfo(Python);
        foreach (var arg in args) start.ArgumentList.Add(arg);
        if (jupyter is not null)
        {
            start.Environment["JUPYTER_PATH"] = jupyter;
            start.Environment["JUPYTER_RUNTIME_DIR"] = Path.Combine(jupyter, "runtime");
        }
        var (code, output, timedOut) = CapturedProcess.Run(start, timeout);
        return timedOut
            ? (-1, $"python3 {string.Join(" ", args)} did not finish within {timeout.TotalMinutes} minutes.\n{output}")
            : (code, output);
    }

    private static string Install()
    {
        string jupyter = Path.Combine(RepositoryPaths.Root, "artifacts", "jupyter-coursekit");
        KernelSpec.Write(Path.Combine(jupyter, "kernels"), ["dotnet", Cli]);
        return jupyter;
    }
}
