using System.Diagnostics;
using System.Text.RegularExpressions;
using CourseKit.Notebooks.Grading;
using CourseKit.Tests.Notebooks;

namespace CourseKit.Tests.Grading;

/// <summary>
/// The two scale-out examples in ci/grading, run as their batch systems would run them: the Slurm script with a
/// stand-in <c>sbatch</c> that runs each array task and then the merge job, and the GitHub Actions workflow's plan,
/// grade and merge commands taken from the YAML, one matrix entry after another. Either way the merged grades.csv
/// must be the one a single <c>coursekit grade</c> writes for the same class.
/// </summary>
public sealed class ShardExamplesTests : IDisposable
{
    private readonly string root = Directory.CreateTempSubdirectory("coursekit-shard-examples-").FullName;

    public void Dispose() => Directory.Delete(root, recursive: true);

    private static string Example(string name) => Path.Combine(RepositoryPaths.Root, "ci", "grading", name);

    // the examples call the Release build (README's build command): missing, they would fail without saying why
    private static void RequireCli() => _ = Cli;

    private static string Cli
    {
        get
        {
            string cli = Path.Combine(RepositoryPaths.Root, "artifacts", "bin", "CourseKit.Cli", "release", "CourseKit.Cli.dll");
            Assert.True(File.Exists(cli), $"{cli} is missing: build with `dotnet build CourseKit.sln -c Release` (the examples call it).");
            return cli;
        }
    }

    /// <summary>A class of three: a solved notebook (graded in a sandbox), an invalid one and an empty folder.</summary>
    private static string WriteClass(string folder, string solution)
    {
        foreach (var name in new[] { "ada", "ben", "cleo" }) Directory.CreateDirectory(Path.Combine(folder, name));
        File.Copy(solution, Path.Combine(folder, "ada", "Exercises.ipynb"));
        File.WriteAllText(Path.Combine(folder, "ben", "Exercises.ipynb"), "{ not json");
        return folder;
    }

    /// <summary>grades.csv of one unsharded run over the same class.</summary>
    private string[] OneRun(string submissions, string source)
    {
        string output = Path.Combine(root, "one-run");
        var (code, text) = Bash($"dotnet '{Cli}' grade '{submissions}' --source '{source}' --out '{output}'", root);
        Assert.True(code == 0, text);
        var grades = File.ReadAllLines(Path.Combine(output, Gradebook.GradesFile));
        Assert.Equal(4, grades.Length);                                  // header and three students
        Assert.StartsWith("ada,Exercises.ipynb,1,2,1,4,4", grades.Single(l => l.StartsWith("ada,")));
        return grades;
    }

    [Fact]
    public void TheSlurmArrayJobAndItsMergeGradeTheClassAsOneRunDoes()
    {
        string submissions = WriteClass(Path.Combine(root, "submissions"), GradingFixtures.SourcePath);
        string bin = Directory.CreateDirectory(Path.Combine(root, "bin")).FullName;
        string sbatch = Path.Combine(bin, "sbatch");
        // Slurm's sbatch, reduced to what the script uses: --parsable prints the job id; an --array job runs its tasks
        // one after another with SLURM_ARRAY_TASK_ID and SLURM_CPUS_PER_TASK set, writing --output with %a replaced
        File.WriteAllText(sbatch, """
            #!/usr/bin/env bash
            set -euo pipefail
            array=""; wrap=""; out=""; cpus=1
            while [ $# -gt 0 ]; do
              case "$1" in
                --array=*) array=${1#--array=} ;;
                --cpus-per-task=*) cpus=${1#--cpus-per-task=} ;;
                --output=*) out=${1#--output=} ;;
                --dependency=*) echo "dependency ${1#--dependency=}" >> "$SBATCH_LOG" ;;
                --wrap) wrap=$2; shift ;;
              esac
              shift
            done
            id=$(( $(wc -l < "$SBATCH_LOG") + 100 ))
            echo "job $id array=$array cpus=$cpus" >> "$SBATCH_LOG"
            if [ -n "$array" ]; then
              for ((t = ${array%-*}; t <= ${array#*-}; t++)); do
                SLURM_ARRAY_TASK_ID=$t SLURM_CPUS_PER_TASK=1 bash -c "$wrap" > "${out//%a/$t}" 2>&1
              done
            else
              bash -c "$wrap" > "$out" 2>&1
            fi
            echo "$id"
            """.Replace("\r", ""));
        Assert.Equal(0, Bash($"chmod +x '{sbatch}'", root).ExitCode);
        string results = Path.Combine(root, "results"), log = Path.Combine(root, "sbatch.log");
        File.WriteAllText(log, "");
        RequireCli();

        var (code, output) = Bash($"bash '{Example("slurm-grade.sh")}' '{submissions}' '{GradingFixtures.SourceFolder}' '{results}' 2",
                                  RepositoryPaths.Root, ("PATH", $"{bin}:{DotnetFolder}:/usr/bin:/bin"), ("SBATCH_LOG", log));
        Assert.True(code == 0, output + File.ReadAllText(log));
        Assert.Contains("(2 shards)", output);
        string jobs = File.ReadAllText(log);
        Assert.Contains("array=1-2", jobs);
        Assert.Contains("dependency afterany:", jobs);                   // the merge waits for the array, even a failed task
        foreach (int task in new[] { 1, 2 })
            Assert.True(Directory.Exists(Path.Combine($"{results}.shards", $"shard-{task}", "results")), File.ReadAllText(Path.Combine($"{results}.shards", $"slurm-{task}.log")));
        Assert.Contains("merged 3 result(s) from 2 shard(s)", File.ReadAllText(Path.Combine($"{results}.shards", "merge.log")));
        Assert.Equal(OneRun(submissions, GradingFixtures.SourceFolder), File.ReadAllLines(Path.Combine(results, Gradebook.GradesFile)));
    }

    [Fact]
    public void TheGitHubActionsMatrixAndItsMergeGradeTheClassAsOneRunDoes()
    {
        // the repository layout the workflow expects: CourseKit at coursekit/, source/, submissions/STUDENT/
        string work = Directory.CreateDirectory(Path.Combine(root, "repository")).FullName;
        // graded as root, a submission runs as nobody, who must reach the library through the repository (a temporary
        // folder is the owner's only)
        Assert.Equal(0, Bash($"chmod 755 '{root}'", root).ExitCode);
        Directory.CreateSymbolicLink(Path.Combine(work, "coursekit"), RepositoryPaths.Root);
        // the source notebook loads the library from the submodule, as a course repository's would
        string source = Path.Combine(Directory.CreateDirectory(Path.Combine(work, "source")).FullName, "Exercises.ipynb");
        File.WriteAllText(source, File.ReadAllText(GradingFixtures.SourcePath)
            .Replace("../../../../../artifacts/bin/CourseKit/", "../coursekit/artifacts/bin/CourseKit/", StringComparison.Ordinal));
        Assert.NotEqual(File.ReadAllText(GradingFixtures.SourcePath), File.ReadAllText(source));
        string submissions = WriteClass(Path.Combine(work, "submissions"), source);
        RequireCli();

        string workflow = File.ReadAllText(Example("github-actions-grade.yml")).Replace("\r", "");
        string Expand(string command, int shard) => command.Replace("${{ matrix.shard }}", shard.ToString()).Replace("${{ inputs.shards }}", "2");

        // plan: the matrix it gives for 2 shards
        string output = Path.Combine(root, "github-output");
        var (code, text) = Bash(Expand(RunBlock(workflow, "id: plan"), 0), work, ("GITHUB_OUTPUT", output));
        Assert.True(code == 0, text);
        Assert.Equal("shards=[1,2]", File.ReadAllText(output).Trim());

        // grade: one runner per matrix entry (the build step before it is README's build, done already)
        Assert.Contains("run: dotnet build coursekit/CourseKit.sln -c Release", workflow);
        foreach (int shard in new[] { 1, 2 })
        {
            (code, text) = Bash(Expand(RunBlock(workflow, "- name: grade shard"), shard), work);
            Assert.True(code == 0, text);
        }

        // merge: each shard's artifact is downloaded into a folder of its name, shard-N, as the grade job wrote it
        string merge = RunBlock(workflow, "- name: merge");
        Assert.Contains("dotnet build coursekit/src/CourseKit.Cli -c Release", merge);
        (code, text) = Bash(string.Join('\n', merge.Split('\n').Where(l => !l.StartsWith("dotnet build", StringComparison.Ordinal))), work);
        Assert.True(code == 0, text);
        Assert.Equal(OneRun(submissions, Path.GetDirectoryName(source)!), File.ReadAllLines(Path.Combine(work, "results", Gradebook.GradesFile)));
        Assert.Contains("merged 3 result(s) from 2 shard(s)", text);
    }

    /// <summary>
    /// The shell text of the <c>run:</c> key in the step that starts at the line containing <paramref name="step"/>:
    /// a plain scalar, a literal block (<c>|</c>, lines kept) or a folded one (<c>&gt;</c>, lines joined by spaces).
    /// </summary>
    private static string RunBlock(string workflow, string step)
    {
        var lines = workflow.Split('\n');
        int start = Array.FindIndex(lines, l => l.Contains(step, StringComparison.Ordinal));
        Assert.True(start >= 0, $"the workflow has no step '{step}'");
        int run = Array.FindIndex(lines, start, l => Regex.IsMatch(l, @"^\s*run:"));
        var header = Regex.Match(lines[run], @"^(\s*)run:\s*(.*)$");
        string style = header.Groups[2].Value.Trim();
        if (style is not ("|" or ">")) return style;
        int indent = header.Groups[1].Value.Length;
        var body = lines.Skip(run + 1).TakeWhile(l => l.Trim().Length == 0 || l.Length - l.TrimStart().Length > indent)
                        .Select(l => l.Trim()).Where(l => l.Length > 0).ToArray();
        return string.Join(style == "|" ? "\n" : " ", body);
    }

    private static string DotnetFolder => Path.GetDirectoryName(GradingFixtures.Child.FileName)!;

    private static (int ExitCode, string Output) Bash(string script, string folder, params (string Name, string Value)[] environment)
    {
        var start = new ProcessStartInfo("bash") { WorkingDirectory = folder, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add("-euo");
        start.ArgumentList.Add("pipefail");
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(script);
        start.Environment["PATH"] = $"{DotnetFolder}:{Environment.GetEnvironmentVariable("PATH")}";
        foreach (var (name, value) in environment) start.Environment[name] = value;
        using var process = Process.Start(start)!;
        var errors = process.StandardError.ReadToEndAsync();
        string output = process.StandardOutput.ReadToEnd();
        Assert.True(process.WaitForExit(300_000), $"'{script}' did not end within 5 minutes");
        return (process.ExitCode, output + errors.Result);
    }
}
