using CourseKit.Backends;

namespace CourseKit.Tests.Backends.Cpu;

/// <summary>The threads that share a GEMM's claimed work (<see cref="CoreTeam"/>).</summary>
public sealed class CoreTeamTests
{
    /// <summary>A job of many pieces claimed with a counter, as SharedPackedA shares its tiles.</summary>
    private sealed class ClaimedPieces(int count)
    {
        private int next;
        public readonly int[] TimesDone = new int[count];
        public readonly HashSet<int> Threads = [];

        public void Participate()
        {
            lock (Threads) Threads.Add(Environment.CurrentManagedThreadId);
            for (int piece; (piece = Interlocked.Increment(ref next) - 1) < TimesDone.Length;)
            {
                Thread.SpinWait(2000); // long enough for another core to join in
                Interlocked.Increment(ref TimesDone[piece]);
            }
        }
    }

    [Fact]
    public void EveryPieceIsDoneExactlyOnceAndTheCallReturnsOnlyWhenAllAre()
    {
        for (int round = 0; round < 20; round++)
        {
            var job = new ClaimedPieces(200);
            CoreTeam.Run(job.Participate);
            Assert.All(job.TimesDone, times => Assert.Equal(1, times));
        }
    }

    [Fact]
    public void OtherCoresJoinTheCaller()
    {
        // over many jobs, some piece must run on a thread other than the caller's (CI has 2 cores; with one core
        // there is no team and the caller must do every job alone)
        bool helped = false;
        for (int round = 0; round < 50 && !helped; round++)
        {
            var job = new ClaimedPieces(400);
            CoreTeam.Run(job.Participate);
            helped = job.Threads.Count > 1;
        }
        Assert.Equal(Environment.ProcessorCount > 1, helped);
    }

    [Fact]
    public void CallersAtTheSameTimeEachGetTheirWorkDone()
    {
        // one caller has the team; the others share their work through the thread pool
        var jobs = Enumerable.Range(0, 6).Select(_ => new ClaimedPieces(300)).ToArray();
        Parallel.ForEach(jobs, new ParallelOptions { MaxDegreeOfParallelism = jobs.Length }, job => CoreTeam.Run(job.Participate));
        Assert.All(jobs, job => Assert.All(job.TimesDone, times => Assert.Equal(1, times)));
    }

    [Fact]
    public void ForEachRunsEveryIndexOnceAndAJobInsideAJobToo()
    {
        var outer = new int[40];
        var inner = new int[40 * 30];
        CoreTeam.ForEach(outer.Length, i =>
        {
            Interlocked.Increment(ref outer[i]);
            CoreTeam.ForEach(30, j => Interlocked.Increment(ref inner[i * 30 + j]));
        });
        Assert.All(outer, times => Assert.Equal(1, times));
        Assert.All(inner, times => Assert.Equal(1, times));
    }

    [Fact]
    public void AFailureReachesTheCallerAndTheTeamStillServesTheNextJob()
    {
        var error = Assert.Throws<InvalidOperationException>(() => CoreTeam.Run(() => throw new InvalidOperationException("piece failed")));
        Assert.Equal("piece failed", error.Message);

        var job = new ClaimedPieces(200);
        CoreTeam.Run(job.Participate);
        Assert.All(job.TimesDone, times => Assert.Equal(1, times));
    }
}
