using System.Diagnostics;
using System.Globalization;

namespace CourseKit.Benchmarks;

/// <summary>
/// <c>-- grade [--submissions N]</c>: how many submissions of notebook 3-1 the grader grades a minute, each in its
/// sandbox, with its default workers (one per core); then the shards: the same submissions as one shard of one
/// worker, and as two shards of one worker each run at the same time (two machines' worth on this one), merged.
/// Every submission is the solution, so every grade must be full marks: a fast wrong grader fails the benchmark.
/// Needs the solution built (<c>dotnet build CourseKit.sln -c Release</c>) and bubblewrap.
/// </summary>
internal sealed class GradeBenchmark : IBenchmark
{
    public string Name => "grade";
    public string Description => "grading throughput of notebook 3-1 (submissions a minute) and shard scaling, 1 vs 2 shards";

    public int Run(string[] args)
    {
        int count = args.Length >= 2 && args[0] == "--submissions" ? int.Parse(args[1], CultureInfo.InvariantCulture) : 8;
        string root = FindRoot();
        string cli = Path.Combine(root, "artifacts", "bin", "CourseKit.Cli", "release", "CourseKit.Cli.dll");
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

            var one = Grade(cli, submissions, source, Path.Combine(work, "one"), ["--parallel", "1", "--shard", "1/1"]);
            Check(Path.Combine(work, "one"), count);
            Report("1 shard, 1 worker", count, one);

            var clock = Stopwatch.StartNew();
            var shards = Enumerable.Range(1, 2).Select(i => Task.Run(() =>
                Grade(cli, submissions, source, Path.Combine(work, $"shard{i}"), ["--parallel", "1", "--shard", $"{i}/2"]))).ToArray();
            Task.WaitAll(shards);
            var two = clock.Elapsed;
            Run(cli, ["grade", "merge", Path.Combine(work, "shard1"), Path.Combine(work, "shard2"), "--out", Path.Combine(work, "merged")]);
            Check(Path.Combine(work, "merged"), count);
            Report("2 shards, 1 worker each, at once", count, two);
            Console.WriteLine($"shard scaling, 2 shards vs 1: {one.TotalSeconds / two.TotalSeconds:0.00}x (2.00x would be linear)");
            return 0;
        }
        finally
        {
            try { Directory.Delete(work, recursive: true); } catch (IOException) { }
        }
    }

    private static void Report(string what, int count, TimeSpan took) =>
        Console.WriteLine($"  {what,-34} {took.TotalSeconds,7:0.0} s   {count / took.TotalMinutes,6:0.0} submissions a minute");

    private static TimeSpan Grade(string cli, string submissions, string source, string output, string[] extra)
    {
        var clock = Stopwatch.StartNew();
        Run(cli, ["grade", submissions, "--source", source, "--out", output, .. extra]);
        return clock.Elapsed;
    }

    private static void Run(string cli, string[] args)
    {
        // the CLI is a .dll run by the dotnet host (this process is the benchmarks' own executable, not the host)
        var start = new ProcessStartInfo(DotNetHost()) { RedirectStandardOutput = true, RedirectStandardError = true };
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
