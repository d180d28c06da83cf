namespace CourseKit.Backends;

/// <summary>
/// Buffers kept per thread for the few shapes in use: a convolution layer needs one for its forward pass, one for dX and
/// one for dF, and a network has a few layers. The most recently used <see cref="Capacity"/> are kept, so a training loop
/// allocates nothing after its first mini-batch.
/// </summary>
internal static class RecentPerThread<TKey, TValue> where TKey : IEquatable<TKey> where TValue : class
{
    public const int Capacity = 4;

    [ThreadStatic] private static List<(TKey Key, TValue Value)>? recent;

    /// <summary>This thread's value for <paramref name="key"/>, made by <paramref name="create"/> the first time.</summary>
    public static TValue Get(TKey key, Func<TKey, TValue> create)
    {
        recent ??= [];
        int at = recent.FindIndex(entry => entry.Key.Equals(key));
        var value = at >= 0 ? recent[at].Value : create(key);
        if (at >= 0) recent.RemoveAt(at);
        else if (recent.Count == Capacity) recent.RemoveAt(Capacity - 1);
        recent.Insert(0, (key, value));
        return value;
    }
}
