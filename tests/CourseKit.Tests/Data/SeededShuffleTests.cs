using CourseKit.Data;

namespace CourseKit.Tests.Data;

public sealed class SeededShuffleTests
{
    [Fact]
    public void SplitMix64MatchesThePublishedSequenceForSeed1234567()
    {
        // The first outputs for seed 1234567 as listed in Rosetta Code's "Pseudo-random numbers/Splitmix64".
        var random = new SplitMix64(1234567);
        ulong[] expected = [6457827717110365317, 3203168211198807973, 9817491932198370423, 4593380528125082431, 16408922859458223821];
        foreach (ulong value in expected) Assert.Equal(value, random.NextUInt64());
    }

    [Fact]
    public void PermutationContainsEveryIndexOnce()
    {
        var p = SeededShuffle.Permutation(1000, 9);
        Assert.Equal(Enumerable.Range(0, 1000), p.Order());
        Assert.NotEqual(Enumerable.Range(0, 1000), p);
    }

    [Fact]
    public void PermutationIsAFunctionOfTheSeed()
    {
        Assert.Equal(SeededShuffle.Permutation(100, 3), SeededShuffle.Permutation(100, 3));
        Assert.NotEqual(SeededShuffle.Permutation(100, 3), SeededShuffle.Permutation(100, 4));
    }

    [Fact]
    public void EveryPositionIsEquallyLikelyForTheFirstItem()
    {
        // Over many seeds, item 0 should land in each of 4 positions about a quarter of the time.
        var counts = new int[4];
        for (ulong seed = 0; seed < 4000; seed++)
            counts[Array.IndexOf(SeededShuffle.Permutation(4, seed), 0)]++;
        Assert.All(counts, c => Assert.InRange(c, 850, 1150));
    }
}
