using System.Diagnostics;
using System.Globalization;

namespace CourseKit.Benchmarks;

/// <summary>
/// The rules every benchmark keeps, in one place: how a time is measured (best of batches of calls), how a ratio is
/// worded ("faster" only above 1), how a result is checked against the reference's (max relative error; a wrong
/// result fails the run with a non-zero exit code), and which shapes are held out (no code was tuned on them).
/// </summary>
internal static class Timing
{
    /// <summary>
    /// Best seconds per call: calls are batched to last at least <paramref name="minSeconds"/>, and the best of
    /// <paramref name="batches"/> batches is kept (on a shared machine the load changes from one second to the next).
    /// <paramref name="wait"/> waits for a device to finish a batch. One call before the clock starts: JIT, first buffers.
    /// </summary>
    public static double Best(Action call, int batches, double minSeconds = 0.05, Action? wait = null)
    {
        call();
        wait?.Invoke();
        int iterations = 1;
        double elapsed;
        while ((elapsed = Time(iterations)) < minSeconds) iterations *= 2;
        double best = elapsed / iterations;
        for (int r = 1; r < batches; r++) best = Math.Min(best, Time(iterations) / iterations);
        return best;

        double Time(int count)
        {
            long start = Stopwatch.GetTimestamp();
            for (int i = 0; i < count; i++) call();
            wait?.Invoke();
            return Stopwatch.GetElapsedTime(start).TotalSeconds;
        }
    }

    /// <summary>
    /// Best milliseconds per call of each of <paramref name="sides"/>, measured in turns: after a warm-up long enough for
    /// the tiered JIT to optimize every side, each round times one call of each side in order, <paramref name="rounds"/> times.
    /// </summary>
    public static double[] InTurns(int rounds, params Action[] sides) => InTurns(rounds, sides, warmUpCalls: 40, warmUpMilliseconds: 200);

    /// <inheritdoc cref="InTurns(int, Action[])"/>
    public static double[] InTurns(int rounds, Action[] sides, int warmUpCalls, int warmUpMilliseconds)
    {
        var warmUp = Stopwatch.StartNew();
        for (int i = 0; i < warmUpCalls || warmUp.ElapsedMilliseconds < warmUpMilliseconds; i++)
            foreach (var side in sides) side();
        var best = Enumerable.Repeat(double.MaxValue, sides.Length).ToArray();
        for (int r = 0; r < rounds; r++)
            for (int s = 0; s < sides.Length; s++)
            {
                long start = Stopwatch.GetTimestamp();
                sides[s]();
                best[s] = Math.Min(best[s], Stopwatch.GetElapsedTime(start).TotalMilliseconds);
            }
        return best;
    }

    /// <summary>The smaller of a best time so far (or none) and a new one.</summary>
    public static double Min(double? sofar, double seconds) => sofar is double s ? Math.Min(s, seconds) : seconds;
}

/// <summary>How a ratio of times is written: "faster" only when ours takes less time (the ratio is above 1).</summary>
internal static class Ratio
{
    /// <summary><paramref name="reference"/> time / <paramref name="ours"/> time, worded.</summary>
    public static string Text(double? reference, double? ours)
    {
        if (reference is not double r || ours is not double o) return "-";
        double ratio = r / o;
        string number = ratio < 0.095 ? $"{ratio:G2}x" : $"{ratio:F2}x"; // 0.0033x, not 0.00x
        return number == "1.00x" ? number : ratio > 1 ? $"{number} faster" : $"{number} slower";
    }

    /// <summary>Just the number, for tables whose header says what it means.</summary>
    public static string Number(double? reference, double? ours) =>
        reference is double r && ours is double o ? $"{r / o:F2}x" : "-";
}

/// <summary>Whether a shape was one the code was tuned on, or held out to show the tuning did not overfit.</summary>
internal enum ShapeSet { Tuned, HeldOut }

internal static class ShapeSets
{
    public static string Label(this ShapeSet set) => set == ShapeSet.Tuned ? "tuned" : "held-out";

    public const string Legend =
        "tuned: shapes the kernels were tuned on; held-out: shapes no code was tuned on, to show the tuning carries over.";
}

/// <summary>
/// The results of one benchmark run checked against their references: each check prints its max relative error
/// (max |ours − reference| / max |reference|) and a check over its tolerance makes the run fail: a fast wrong result
/// is not a result.
/// </summary>
internal sealed class Verdict
{
    private readonly List<string> failures = [];
    private int checks;

    /// <summary>The max relative error of <paramref name="ours"/> against <paramref name="reference"/>; records a failure above <paramref name="tolerance"/>.</summary>
    public double Check(string what, ReadOnlySpan<float> ours, ReadOnlySpan<float> reference, double tolerance)
    {
        checks++;
        if (ours.Length != reference.Length)
        {
            failures.Add($"{what}: {ours.Length} values against the reference's {reference.Length}");
            return double.PositiveInfinity;
        }
        double error = MaxRelativeError(ours, reference);
        if (!(error <= tolerance)) failures.Add($"{what}: max relative error {error:E2} > {tolerance:E0}");
        return error;
    }

    /// <summary>Records a failure that is not a comparison (a reference that crashed on a case, a result that is not finite).</summary>
    public void Fail(string what)
    {
        checks++;
        failures.Add(what);
    }

    /// <summary>max |ours − reference| / max |reference| (normwise: entries near zero do not blow it up); NaN anywhere gives NaN.</summary>
    public static double MaxRelativeError(ReadOnlySpan<float> ours, ReadOnlySpan<float> reference)
    {
        double difference = 0, scale = 0;
        for (int i = 0; i < ours.Length; i++)
        {
            double d = Math.Abs((double)ours[i] - reference[i]);
            if (double.IsNaN(d)) return double.NaN;
            difference = Math.Max(difference, d);
            scale = Math.Max(scale, Math.Abs((double)reference[i]));
        }
        return scale > 0 ? difference / scale : difference;
    }

    public static string Error(double error) => double.IsNaN(error) ? "NaN" : error.ToString("E1", CultureInfo.InvariantCulture);

    /// <summary>Prints the outcome and returns the exit code: 0 when every check passed, 1 otherwise.</summary>
    public int Finish(TextWriter output)
    {
        if (failures.Count == 0)
        {
            output.WriteLine($"checked: all {checks} results agree with their references within tolerance.");
            return 0;
        }
        output.WriteLine($"FAILED: {failures.Count} of {checks} results disagree with their references:");
        foreach (string failure in failures) output.WriteLine($"  {failure}");
        return 1;
    }
}

/// <summary>The machine a benchmark ran on, printed first: CPU, threads, and how busy the machine was.</summary>
internal static class Machine
{
    public static int Threads => Environment.ProcessorCount;

    public static void Describe(string benchmark, string device, string? threads = null)
    {
        Console.WriteLine($"{benchmark} on {device}: {CpuName()}, {threads ?? $"{Threads} threads on both sides"}, load average {LoadAverage()}");
        if (LoadAverageNow() > Threads)
            Console.WriteLine($"note: other programs keep more than {Threads} cores busy; every time is longer than on a quiet machine. " +
                              "The two sides take turns case by case and keep their best time, so the ratios hold better than the times.");
    }

    public static string CpuName()
    {
        const string info = "/proc/cpuinfo";
        string? line = File.Exists(info) ? File.ReadLines(info).FirstOrDefault(l => l.StartsWith("model name")) : null;
        return line?.Split(':', 2)[1].Trim() ?? "unknown CPU";
    }

    public static double LoadAverageNow()
    {
        const string loadavg = "/proc/loadavg";
        return File.Exists(loadavg) && double.TryParse(File.ReadAllText(loadavg).Split(' ')[0],
                   CultureInfo.InvariantCulture, out double load) ? load : 0;
    }

    private static string LoadAverage()
    {
        const string loadavg = "/proc/loadavg";
        return File.Exists(loadavg) ? string.Join(" ", File.ReadAllText(loadavg).Split(' ').Take(3)) : "unknown";
    }
}

/// <summary>A table printed with its columns aligned: the first left, the others right.</summary>
internal static class Table
{
    public static void Print(IReadOnlyList<string[]> rows)
    {
        int columns = rows[0].Length;
        var widths = Enumerable.Range(0, columns).Select(c => rows.Max(r => r[c].Length)).ToArray();
        foreach (var row in rows)
            Console.WriteLine(string.Join("  ", row.Select((cell, c) => c == 0 ? cell.PadRight(widths[c]) : cell.PadLeft(widths[c]))));
    }
}
