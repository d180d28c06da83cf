using System.Collections.Immutable;
using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;
using CourseKit.Notebooks.Kernel;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Scripting;
using Microsoft.CodeAnalysis.Scripting;

namespace CourseKit.Notebooks;

/// <summary>
/// Runs a notebook's C# cells in order in one Roslyn script state, as the Polyglot C# kernel does: the first cell
/// with RunAsync, the next ones with ContinueWithAsync, so variables, types and #r references carry over.
/// Outputs (console streams, display(...), the trailing expression, errors) are written into the notebook.
/// </summary>
/// <remarks>
/// Each cell runs on its own thread so that a runaway cell can be abandoned at the timeout. .NET cannot stop a
/// thread from outside: the abandoned cell keeps running in the background until the process exits, and the
/// notebook stops there because its state is unknown. The CLI exits right after, which ends it.
/// </remarks>
public static partial class NotebookRunner
{
    /// <summary>The namespaces every cell imports, as in the Polyglot C# kernel (plus the runner's display helpers).</summary>
    public static readonly ImmutableArray<string> DefaultImports =
    [
        "System", "System.Text", "System.Collections", "System.Collections.Generic", "System.Threading.Tasks", "System.Linq",
        typeof(DisplayExtensions).Namespace!,
    ];

    // the working directory belongs to the process: runs that change it take turns
    private static readonly object workingDirectoryGate = new();

    // the .NET shared framework, referenced by every cell as in Polyglot (not the host app's own assemblies,
    // so a notebook's #r of CourseKit.dll never meets a second CourseKit)
    private static readonly Lazy<ImmutableArray<MetadataReference>> frameworkReferences = new(() =>
    [
        .. Directory.GetFiles(RuntimeEnvironment.GetRuntimeDirectory(), "*.dll")
            .Where(IsManagedAssembly)
            .Select(path => (MetadataReference)MetadataReference.CreateFromFile(path)),
        MetadataReference.CreateFromFile(typeof(KernelGlobals).Assembly.Location),
    ]);

    /// <summary>Runs every code cell of <paramref name="notebook"/>, replacing its outputs and execution counts.</summary>
    public static NotebookRunResult Run(Notebook notebook, NotebookRunnerOptions? options = null)
    {
        options ??= new NotebookRunnerOptions();
        string folder = notebook.Path is null
            ? Directory.GetCurrentDirectory()
            : Path.GetDirectoryName(Path.GetFullPath(notebook.Path))!;
        ConsoleCapture.Install();

        if (!options.UseNotebookFolderAsWorkingDirectory) return RunCells(notebook, folder, options);
        lock (workingDirectoryGate)
        {
            string previous = Directory.GetCurrentDirectory();
            Directory.SetCurrentDirectory(folder);
            try { return RunCells(notebook, folder, options); }
            finally { Directory.SetCurrentDirectory(previous); }
        }
    }

    private static NotebookRunResult RunCells(Notebook notebook, string folder, NotebookRunnerOptions options)
    {
        var total = Stopwatch.StartNew();
        foreach (var cell in notebook.Cells) cell.ClearOutputs();
        var session = new NotebookSession(folder, notebook.Path is null ? "notebook" : Path.GetFileName(notebook.Path), options.CellTimeout);
        bool stopped = false;
        var runs = new List<CellRun>();
        for (int index = 0; index < notebook.Cells.Count; index++)
        {
            var cell = notebook.Cells[index];
            if (!cell.IsCode) continue;
            runs.Add(stopped ? new CellRun(index, null, CellStatus.NotRun, TimeSpan.Zero, null) : session.Run(cell, index));
            options.CellFinished?.Invoke(runs[^1]);
            if (runs[^1].Status == CellStatus.TimedOut || (runs[^1].Status == CellStatus.Failed && !options.ContinueOnError)) stopped = true;
        }
        return new NotebookRunResult(notebook, runs, total.Elapsed);
    }

    /// <summary>How the cells of a notebook in <paramref name="folder"/> compile (also for the grader's static checks).</summary>
    internal static ScriptOptions ScriptOptionsFor(string folder) => ScriptOptions.Default
        .WithLanguageVersion(LanguageVersion.Latest)
        .WithImports(DefaultImports)
        .WithReferences(frameworkReferences.Value)
        .WithMetadataResolver(ScriptMetadataResolver.Default.WithBaseDirectory(folder))
        .WithSourceResolver(ScriptSourceResolver.Default.WithBaseDirectory(folder))
        .WithOptimizationLevel(OptimizationLevel.Release)
        .WithEmitDebugInformation(true)
        .WithFileEncoding(Encoding.UTF8);

    /// <summary>
    /// The C# to compile, or why the cell cannot run here: Polyglot's kernel selector line (#!csharp) is blanked
    /// (keeping line numbers); other kernels and magic commands belong to Polyglot, not to this runner.
    /// </summary>
    internal static (string? Code, CellError? Problem) PrepareSource(NotebookCell cell)
    {
        if (cell.KernelName is not ("csharp" or "C#" or "c#"))
            return (null, new CellError("UnsupportedKernel", $"This cell runs in the Polyglot kernel '{cell.KernelName}'; the CourseKit runner only runs C# cells.", []));

        var lines = cell.Source.Split('\n');
        for (int i = 0; i < lines.Length; i++)
        {
            string line = lines[i].TrimEnd('\r').Trim();
            if (!line.StartsWith("#!", StringComparison.Ordinal)) continue;
            if (line is "#!csharp" or "#!c#" or "#!C#") { lines[i] = ""; continue; }
            string magic = line.Split(' ')[0];
            return (null, new CellError("UnsupportedMagicCommand", $"Line {i + 1}: the magic command {magic} is a Polyglot feature the CourseKit runner does not support.", []));
        }
        return (string.Join('\n', lines), null);
    }

    private static bool IsManagedAssembly(string path)
    {
        try
        {
            System.Reflection.AssemblyName.GetAssemblyName(path);
            return true;
        }
        catch (BadImageFormatException) { return false; }
    }
}
