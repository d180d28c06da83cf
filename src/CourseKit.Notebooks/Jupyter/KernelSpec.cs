using System.Text.Json;
using System.Text.Json.Nodes;

namespace CourseKit.Notebooks.Jupyter;

/// <summary>
/// The kernelspec Jupyter clients (VS Code's Jupyter extension, JupyterLab, nbclient) look for: a folder named
/// <see cref="Name"/> with a kernel.json that says how to start <c>coursekit kernel -f {connection_file}</c>.
/// </summary>
public static class KernelSpec
{
    public const string Name = "coursekit-csharp";

    public const string DisplayName = "C# (CourseKit kernel)";

    /// <summary>The user's own kernels folder, as Jupyter finds it (JUPYTER_DATA_DIR, else the platform's data folder): no admin rights.</summary>
    public static string UserKernelsFolder()
    {
        string home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        string data = Environment.GetEnvironmentVariable("JUPYTER_DATA_DIR") is { Length: > 0 } set ? set
            : OperatingSystem.IsWindows() ? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.ApplicationData), "jupyter")
            : OperatingSystem.IsMacOS() ? Path.Combine(home, "Library", "Jupyter")
            : Path.Combine(Environment.GetEnvironmentVariable("XDG_DATA_HOME") is { Length: > 0 } xdg ? xdg : Path.Combine(home, ".local", "share"), "jupyter");
        return Path.Combine(data, "kernels");
    }

    /// <summary>The kernels folder under an installation prefix (a virtual environment, a course folder).</summary>
    public static string PrefixKernelsFolder(string prefix) => Path.Combine(Path.GetFullPath(prefix), "share", "jupyter", "kernels");

    /// <summary>
    /// How this very program is started again: the apphost itself, or <c>dotnet CourseKit.Cli.dll</c> when it runs
    /// through the dotnet host (Jupyter then starts the same build the student installed the spec from).
    /// </summary>
    public static IReadOnlyList<string> ThisProgram()
    {
        string process = Environment.ProcessPath ?? "dotnet";
        string entry = System.Reflection.Assembly.GetEntryAssembly()?.Location ?? "";
        return Path.GetFileNameWithoutExtension(process) == "dotnet" && entry.Length > 0 ? [process, entry] : [process];
    }

    /// <summary>Writes <paramref name="kernelsFolder"/>/coursekit-csharp/kernel.json; returns the spec's folder.</summary>
    public static string Write(string kernelsFolder, IReadOnlyList<string> program)
    {
        string folder = Path.Combine(kernelsFolder, Name);
        Directory.CreateDirectory(folder);
        var spec = new JsonObject
        {
            ["argv"] = new JsonArray([.. program.Concat(["kernel", "-f", "{connection_file}"]).Select(a => (JsonNode)a)]),
            ["display_name"] = DisplayName,
            // the language .NET Interactive's kernelspec names, so editors pair the course's notebooks with either kernel
            ["language"] = "C#",
            // interrupt_request on the control socket: works the same on Windows, where there is no SIGINT to send
            ["interrupt_mode"] = "message",
            ["metadata"] = new JsonObject { ["debugger"] = false },
        };
        File.WriteAllText(Path.Combine(folder, "kernel.json"), spec.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n");
        return folder;
    }
}
