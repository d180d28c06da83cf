namespace CourseKit.Data;

/// <summary>
/// Where the course's data sets live on a machine, in the order every loader looks: $COURSEKIT_DATA/name, the cache
/// ~/.cache/coursekit/name, then data/name or ../shared/data/name above the current directory or the library
/// (the repository ships small sets in data/; CI keeps the third-party sets in ../shared/data beside the repository).
/// </summary>
internal static class DataFolder
{
    /// <summary>$COURSEKIT_DATA/<paramref name="name"/> when that variable is set, otherwise ~/.cache/coursekit/<paramref name="name"/>.</summary>
    public static string Cache(string name)
    {
        string? root = Environment.GetEnvironmentVariable("COURSEKIT_DATA");
        if (!string.IsNullOrWhiteSpace(root)) return Path.Combine(root, name);
        return Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache", "coursekit", name);
    }

    /// <summary>
    /// The first folder, in the order of this class, whose <paramref name="marker"/> (a file or folder inside it) exists;
    /// otherwise throws, naming <paramref name="title"/>, where to put it and <paramref name="source"/> (where to get it).
    /// </summary>
    public static string Find(string name, string title, string source, string marker = "image") =>
        TryFind(name, marker) ?? throw new DirectoryNotFoundException(
            $"{title}: the data set was not found. Put it in {Cache(name)} (or set COURSEKIT_DATA to a folder that holds {name}/, " +
            $"or pass the folder to Load). It is {source}.");

    /// <summary>The first folder that holds <paramref name="marker"/>, or null; <paramref name="start"/> as in <see cref="Above"/>.</summary>
    public static string? TryFind(string name, string marker, string? start = null)
    {
        var candidates = new List<string> { Cache(name) };
        if (!string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable("COURSEKIT_DATA")))
            candidates.Add(Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache", "coursekit", name));
        candidates.AddRange(Above(Path.Combine("data", name), start));
        candidates.AddRange(Above(Path.Combine("..", "shared", "data", name), start));
        return candidates.Where(c => Path.Exists(Path.Combine(c, marker))).Select(Path.GetFullPath).FirstOrDefault();
    }

    /// <summary>
    /// <paramref name="relative"/> joined to <paramref name="start"/> and to each folder above it (default: the current
    /// directory, then the folder of the CourseKit library), nearest first.
    /// </summary>
    public static IEnumerable<string> Above(string relative, string? start = null)
    {
        var starts = start is null ? new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory } : [start];
        foreach (var first in starts)
            for (var dir = new DirectoryInfo(first); dir is not null; dir = dir.Parent)
                yield return Path.Combine(dir.FullName, relative);
    }
}
