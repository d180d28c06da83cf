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
            // the source folder sits where the notebooks do, so their #r path reaches the build: a copy beside notebooks/
            string notebooks = Path.Combine(root, "notebooks");
            string sourceNotebook = Path.Combine(notebooks, "3-1_ConvolutionOperation.ipynb");
            for (int i = 0; i < count; i++)
            {
                string folder = Path.Combine(submissions, $"student{i:D3}");
                Directory.CreateDirectory(folder);
                File.Copy(sourceNotebook, Path.Combine(folder, "3-1_ConvolutionOperation.ipynb"));
            }
            string only = Path.Combine(root, "artifacts", "grade-bench-source");
            if (Directory.Exists(only)) Directory.Delete(only, recursive: true);
            Directory.CreateDirectory(only);
            File.Copy(sourceNotebook, Path.Combine(only, "3-1_ConvolutionOperation.ipynb"));
            // #r "../artifacts/bin/..." from artifacts/grade-bench-source reaches artifacts/artifacts: point it at the build
            string text = File.ReadAllText(Path.Combine(only, "3-1_ConvolutionOperation.ipynb")).Replace("../artifacts/bin/", "../bin/");
            File.WriteAllText(Path.Combine(only, "3-1_ConvolutionOperation.ipynb"), text);

            Console.WriteLine($"grading {count} copies of the 3-1 solution on {Environment.ProcessorCount} cores (COURSEKIT_QUICK={Environment.GetEnvironmentVariable("COURSEKIT_QUICK") ?? "unset"})");
            var all = Grade(cli, submissions, only, Path.Combine(work, "all"), []);
            Check(Path.Combine(work, "all"), count);
            Report($"default workers ({Environment.ProcessorCount})", count, all);

            var one = Grade(cli, submissions, only, Path.Combine(work, "one"), ["--parallel", "1", "--shard", "1/1"]);
            Check(Path.Combine(work, "one"), count);
            Report("1 shard, 1 worker", count, one);

            var clock = Stopwatch.StartNew();
            var shards = Enumerable.Range(1, 2).Select(i => Task.Run(() =>
                Grade(cli, submissions, only, Path.Combine(work, $"shard{i}"), ["--parallel", "1", "--shard", $"{i}/2"]))).ToArray();
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
        var start = new ProcessStartInfo(Environment.ProcessPath!) { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(cli);
        foreach (var a in args) start.ArgumentList.Add(a);
        start.Environment["CI"] = "true";
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        string errors = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0) throw new InvalidOperationException($"coursekit {string.Join(' ', args)} failed ({process.ExitCode}):\n{output.Result}\n{errors}");
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
