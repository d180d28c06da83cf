using System.Diagnostics;
using System.Globalization;

namespace CourseKit.Benchmarks;

/// <summary>
/// <c>-- grade [--submissions N] [--cli PATH]</c>: how many submissions of notebook 3-1 the grader grades a minute,
/// each in its sandbox, with its default workers (one per core); then the shards: the same submissions as one shard on
/// one core, and as two shards at once on a core each (two one-core machines on this one), merged.
/// Every submission is the solution, so every grade must be full marks: a fast wrong grader fails the benchmark.
/// Needs the solution built (<c>dotnet build CourseKit.sln -c Release</c>) and bubblewrap.
/// </summary>
internal sealed class GradeBenchmark : IBenchmark
{
    public string Name => "grade";
    public string Description => "grading throughput of notebook 3-1 (submissions a minute) and shard scaling, 1 vs 2 shards  [--submissions 8] [--cli PATH]";

    public int Run(string[] args)
    {
        string? Option(string name) => args.SkipWhile(a => a != name).Skip(1).FirstOrDefault();
        int count = Option("--submissions") is { } n ? int.Parse(n, CultureInfo.InvariantCulture) : 8;
        string root = FindRoot();
        // --cli: another build of coursekit to measure (a published one, say); the notebooks still load this build's library
        string cli = Option("--cli") ?? Path.Combine(root, "artifacts", "bin", "CourseKit.Cli", "release", "CourseKit.Cli.dll");
        if (!File.Exists(cli)) { Console.Error.WriteLine($"grade benchmark: {cli} is missing; build with `dotnet build CourseKit.sln -c Release`."); return 2; }

        string work = Directory.CreateTempSubdirectory("coursekit-grade-bench-").FullName;
        try
        {
            string source = Path.Combine(work, "source"), submissions = Path.Combine(work, "submissions");
            Directory.CreateDirectory(source);
            // the notebook's #r "../artifacts/bin/..." points at this build by its full path, in the source and in every
            // submission alike (a set-up cell the student did not change is the instructor's code to the static checks)
            string notebook = File.ReadAllText(Path.Combine(root, "notebooks", "3-1_ConvolutionOperation.ipynb"))
                .Replace("../artifacts/bin/", Path.Combine(root, "artifacts", "bin").Replace('\\', '/') + "/");
            File.WriteAllText(Path.Combine(source, "3-1_ConvolutionOperation.ipynb"), notebook);
            for (int i = 0; i < count; i++)
            {
                string folder = Path.Combine(submissions, $"student{i:D3}");
                Directory.CreateDirectory(folder);
                File.WriteAllText(Path.Combine(folder, "3-1_ConvolutionOperation.ipynb"), notebook);
            }

            Console.WriteLine($"grading {count} copies of the 3-1 solution on {Environment.ProcessorCount} cores (COURSEKIT_QUICK={Environment.GetEnvironmentVariable("COURSEKIT_QUICK") ?? "unset"})");
            var all = Grade(cli, submissions, source, Path.Combine(work, "all"), []);
            Check(Path.Combine(work, "all"), count);
            Report($"default workers ({Environment.ProcessorCount})", count, all);

            // Shards are meant for separate machines. Two machines of one core each are emulated by pinning each shard to a
            // core of its own (taskset): one shard alone on core 0, then two at once on cores 0 and 1. Unpinned, two shards
            // would share both cores with each other and measure this machine, not the scaling.
            bool pinned = Environment.ProcessorCount >= 2 && OperatingSystem.IsLinux() && File.Exists("/usr/bin/taskset");
            string? Core(int core) => pinned ? core.ToString(CultureInfo.InvariantCulture) : null;
            var one = Grade(cli, submissions, source, Path.Combine(work, "one"), ["--parallel", "1", "--shard", "1/1"], Core(0));
            Check(Path.Combine(work, "one"), count);
            Report(pinned ? "1 shard on 1 core" : "1 shard, 1 worker", count, one);

            var clock = Stopwatch.StartNew();
            var shards = Enumerable.Range(1, 2).Select(i => Task.Run(() =>
                Grade(cli, submissions, source, Path.Combine(work, $"shard{i}"), ["--parallel", "1", "--shard", $"{i}/2"], Core(i - 1)))).ToArray();
            Task.WaitAll(shards);
            var two = clock.Elapsed;
            Run(cli, ["grade", "merge", Path.Combine(work, "shard1"), Path.Combine(work, "shard2"), "--out", Path.Combine(work, "merged")]);
            Check(Path.Combine(work, "merged"), count);
            Report(pinned ? "2 shards at once, a core each" : "2 shards, 1 worker each, at once", count, two);
            Console.WriteLine($"shard scaling, 2 shards vs 1: {one.TotalSeconds / two.TotalSeconds:0.00}x (2.00x would be linear)"
                + (pinned ? "" : "; no taskset or one core: the shards shared the cores, so this measures the machine, not the scaling"));
            return 0;
        }
        finally
        {
            try { Directory.Delete(work, recursive: true); } catch (IOException) { }
        }
    }

    private static void Report(string what, int count, TimeSpan took) =>
        Console.WriteLine($"  {what,-34} {took.TotalSeconds,7:0.0} s   {count / took.TotalMinutes,6:0.0} submissions a minute");

    private static TimeSpan Grade(string cli, string submissions, string source, string output, string[] extra, string? core = null)
    {
        var clock = Stopwatch.StartNew();
        Run(cli, ["grade", submissions, "--source", source, "--out", output, .. extra], core);
        return clock.Elapsed;
    }

    private static void Run(string cli, string[] args, string? core = null)
    {
        // the CLI is a .dll run by the dotnet host (this process is the benchmarks' own executable, not the host);
        // pinned to a core, the grader and every child it starts inherit the pinning
        var start = new ProcessStartInfo(core is null ? DotNetHost() : "/usr/bin/taskset") { RedirectStandardOutput = true, RedirectStandardError = true };
        if (core is not null) foreach (var a in new[] { "--cpu-list", core, DotNetHost() }) start.ArgumentList.Add(a);
        start.ArgumentList.Add(cli);
        foreach (var a in args) start.ArgumentList.Add(a);
        start.Environment["CI"] = "true";
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        string errors = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0) throw new InvalidOperationException($"coursekit {string.Join(' ', args)} failed ({process.ExitCode}):\n{output.Result}\n{errors}");
    }

    private static string DotNetHost()
    {
        string? root = Environment.GetEnvironmentVariable("DOTNET_ROOT");
        string name = OperatingSystem.IsWindows() ? "dotnet.exe" : "dotnet";
        return root is not null && File.Exists(Path.Combine(root, name)) ? Path.Combine(root, name) : name;
    }

    // every submission is the solution: each row of grades.csv must have total = max
    private static void Check(string output, int count)
    {
        var rows = File.ReadAllLines(Path.Combine(output, "grades.csv")).Skip(1).Select(l => l.Split(',')).ToList();
        if (rows.Count != count) throw new InvalidOperationException($"{output}: {rows.Count} grades for {count} submissions");
        foreach (var row in rows)
            if (row[^3] != row[^2] || row[^3] == "0") throw new InvalidOperationException($"{output}: {string.Join(',', row)} is not full marks");
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "CourseKit.sln"))) return dir.FullName;
        throw new DirectoryNotFoundException("grade benchmark: run it from inside the CourseKit repository.");
    }
}
