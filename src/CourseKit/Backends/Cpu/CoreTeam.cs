using System.Diagnostics;
using System.Runtime.ExceptionServices;

namespace CourseKit.Backends;

/// <summary>
/// One thread for every further core, kept between jobs, for work the caller shares out by atomic claims
/// (every parallel <see cref="CpuGemm"/>). A thread-pool thread took a median 60 µs, and often several hundred,
/// to join a GEMM of 4.5 ms, and after a pause a GEMM of 0.25 ms (30×25×57600) ran on one core only; a team thread
/// spinning since its last job joins at once, and one asleep is woken.
/// The caller never waits for a thread to start, only for those that joined to finish: if none joins, the caller
/// does all the work itself. One job at a time; a second caller meanwhile shares its work through the thread pool.
/// </summary>
internal static class CoreTeam
{
    private const int Closed = 1 << 30;                 // in `state`: the job takes no more threads
    private static readonly long SpinTicks = Stopwatch.Frequency / 5000; // 200 µs of waiting before sleeping

    private static readonly int helpers = Environment.ProcessorCount - 1;
    private static readonly Lock gate = new();
    private static readonly SemaphoreSlim wake = new(0);
    private static Action? job;
    private static ExceptionDispatchInfo? failure;
    private static int generation, state, finished, sleeping;

    static CoreTeam()
    {
        for (int i = 0; i < helpers; i++)
            new Thread(Serve) { IsBackground = true, Name = $"CourseKit core {i + 2}" }.Start();
    }

    /// <summary>Runs body(0) … body(count − 1), each once, on this thread and the team threads that join.</summary>
    public static void ForEach(int count, Action<int> body)
    {
        int claimed = -1;
        Run(() =>
        {
            for (int i; (i = Interlocked.Increment(ref claimed)) < count;) body(i);
        });
    }

    /// <summary>Runs <paramref name="participate"/> on this thread and on every team thread that joins in time.</summary>
    public static void Run(Action participate)
    {
        // a job started from inside a job (this thread already holds the team) shares its work through the pool too
        if (helpers == 0 || gate.IsHeldByCurrentThread || !gate.TryEnter())
        {
            Parallel.For(0, helpers + 1, _ => participate());
            return;
        }
        try
        {
            // the job before the counters, the counters before the new generation: a thread that joins sees this job
            Volatile.Write(ref job, participate);
            Volatile.Write(ref finished, 0);
            Volatile.Write(ref state, 0);
            Interlocked.Increment(ref generation);
            int asleep = Volatile.Read(ref sleeping);
            if (asleep > 0) wake.Release(asleep);

            Exception? own = null;
            try
            {
                participate();
            }
            catch (Exception e)
            {
                own = e;
            }
            // whatever happened, no thread may still run the job when the caller's data goes away
            int joined = Interlocked.Or(ref state, Closed);
            var spin = new SpinWait();
            while (Volatile.Read(ref finished) < joined) spin.SpinOnce(sleep1Threshold: -1);
            Volatile.Write(ref job, null);
            var theirs = Interlocked.Exchange(ref failure, null);
            if (own is not null) ExceptionDispatchInfo.Throw(own);
            theirs?.Throw();
        }
        finally
        {
            gate.Exit();
        }
    }

    private static void Serve()
    {
        int seen = Volatile.Read(ref generation);
        while (true)
        {
            long since = Stopwatch.GetTimestamp();
            var spin = new SpinWait();
            while (Volatile.Read(ref generation) == seen)
            {
                if (Stopwatch.GetTimestamp() - since < SpinTicks)
                {
                    spin.SpinOnce(sleep1Threshold: -1);
                    continue;
                }
                Interlocked.Increment(ref sleeping);
                if (Volatile.Read(ref generation) == seen) wake.Wait(); // a release may also be left from an earlier job
                Interlocked.Decrement(ref sleeping);
                since = Stopwatch.GetTimestamp();
            }
            seen = Volatile.Read(ref generation);
            for (int s; ((s = Volatile.Read(ref state)) & Closed) == 0;)
            {
                if (Interlocked.CompareExchange(ref state, s + 1, s) != s) continue;
                try
                {
                    Volatile.Read(ref job)!();
                }
                catch (Exception e)
                {
                    Interlocked.CompareExchange(ref failure, ExceptionDispatchInfo.Capture(e), null);
                }
                Interlocked.Increment(ref finished);
                break;
            }
        }
    }
}
