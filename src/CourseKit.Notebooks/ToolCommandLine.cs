using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;

namespace CourseKit.Notebooks;

/// <summary>
/// How every <c>coursekit</c> command parses its arguments (System.CommandLine): <c>--help</c> on each command,
/// and the exit codes dotnet tools use — 0 when the work succeeded, 1 when it ran and something failed (a cell),
/// 2 for arguments the command cannot use, printed as <c>coursekit COMMAND: what is wrong</c> and the command's help
/// on standard error.
/// </summary>
public static class ToolCommandLine
{
    public const string Name = "coursekit";

    /// <summary>The exit code for arguments (or input files) a command cannot use.</summary>
    public const int BadArguments = 2;

    /// <summary>The <c>coursekit</c> root with the given commands.</summary>
    public static RootCommand Root(params Command[] commands)
    {
        var root = new RootCommand("CourseKit: run, release and grade the course notebooks.") { HelpName = Name };
        foreach (var command in commands) root.Subcommands.Add(command);
        return root;
    }

    /// <summary>
    /// Parses and runs: help when asked, else the command's action; errors (unknown options, missing or malformed
    /// values) name the command, then its help follows on <paramref name="errors"/>, exit code 2.
    /// </summary>
    public static int Invoke(RootCommand root, IReadOnlyList<string> args, TextWriter output, TextWriter errors)
    {
        var result = root.Parse(args);
        var configuration = new InvocationConfiguration { Output = output, Error = errors };
        if (result.Errors.Count == 0) return result.Invoke(configuration);

        var path = new List<string>();
        for (SymbolResult? r = result.CommandResult; r is CommandResult c && c.Parent is not null; r = c.Parent) path.Insert(0, c.Command.Name);
        string prefix = string.Join(" ", [Name, .. path]);
        foreach (var error in result.Errors) errors.WriteLine($"{prefix}: {error.Message}");
        errors.WriteLine();
        root.Parse([.. path, "--help"]).Invoke(new InvocationConfiguration { Output = errors, Error = errors });
        return BadArguments;
    }

    /// <summary>An option whose number must be above zero (seconds, megabytes, workers).</summary>
    public static Option<T> Positive<T>(Option<T> option, string unit) where T : struct, IComparable<T>
    {
        option.Validators.Add(r =>
        {
            if (r.Tokens.Count > 0 && r.GetValueOrDefault<T>().CompareTo(default) <= 0)
                r.AddError($"{r.IdentifierToken?.Value ?? option.Name} needs a positive number of {unit}, not '{r.Tokens[0].Value}'.");
        });
        return option;
    }

    /// <summary>Seconds as the help shows defaults: invariant culture, no trailing zeros.</summary>
    public static string Seconds(TimeSpan time) => time.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture);
}
