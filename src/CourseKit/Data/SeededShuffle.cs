namespace CourseKit.Data;

/// <summary>
/// Deterministic shuffling: the same seed gives the same order on every machine and every .NET version
/// (unlike <see cref="Random"/>, whose sequence is not a documented contract).
/// The generator is SplitMix64 (Steele, Lea and Flood 2014; the seeding generator of xoshiro),
/// the shuffle is Fisher–Yates.
/// </summary>
public static class SeededShuffle
{
    /// <summary>A random permutation of 0..count−1 determined by <paramref name="seed"/>.</summary>
    public static int[] Permutation(int count, ulong seed)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        var order = new int[count];
        for (int i = 0; i < count; i++) order[i] = i;
        Shuffle(order.AsSpan(), seed);
        return order;
    }

    /// <summary>Shuffles <paramref name="items"/> in place (Fisher–Yates, from the end).</summary>
    public static void Shuffle<T>(Span<T> items, ulong seed)
    {
        var random = new SplitMix64(seed);
        for (int i = items.Length - 1; i > 0; i--)
        {
            int j = random.NextBelow(i + 1);
            (items[i], items[j]) = (items[j], items[i]);
        }
    }

    /// <summary>Mixes two numbers into one seed, e.g. (seed, epoch) so each epoch has its own order.</summary>
    public static ulong Combine(ulong seed, ulong stream) => SplitMix64.Mix(seed ^ SplitMix64.Mix(stream + 0x9E3779B97F4A7C15UL));
}

/// <summary>
/// SplitMix64: a 64-bit state advanced by a constant, each output a bijective mix of the state.
/// Tiny, fast, passes BigCrush; fully specified here so sequences never change.
/// </summary>
internal struct SplitMix64(ulong seed)
{
    private ulong state = seed;

    public ulong NextUInt64()
    {
        state += 0x9E3779B97F4A7C15UL; // 2^64 / golden ratio
        return Mix(state);
    }

    /// <summary>A number in 0..bound−1 (multiply-high; bias below bound/2^64, far below anything measurable).</summary>
    public int NextBelow(int bound)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(bound);
        return (int)Math.BigMul(NextUInt64(), (ulong)bound, out _);
    }

    internal static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
