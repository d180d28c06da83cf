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
        return string.IsNullOrWhiteSpace(root) ? UserCache(name) : Path.Combine(root, name);
    }

    /// <summary>
    /// The first folder, in the order of this class, whose <paramref name="marker"/> (a file or folder inside it) exists;
    /// otherwise throws, naming <paramref name="title"/>, where it looked, where to put it and <paramref name="source"/> (where to get it).
    /// </summary>
    public static string Find(string name, string title, string source, string marker = "image") =>
        TryFind(name, marker) ?? throw new DirectoryNotFoundException(
            $"{title}: the data set was not found. {WhereItLooked(name, marker)} Put it in {Cache(name)} (or set COURSEKIT_DATA to a folder that holds {name}/, " +
            $"or pass the folder to Load). It is {source}.");

    /// <summary>The first folder that holds <paramref name="marker"/>, or null; <paramref name="start"/> as in <see cref="Above"/>.</summary>
    public static string? TryFind(string name, string marker, string? start = null) =>
        TryFind(name, marker, start, Environment.GetEnvironmentVariable("COURSEKIT_DATA"));

    /// <summary><see cref="TryFind(string, string, string?)"/> with <paramref name="dataVariable"/> standing for $COURSEKIT_DATA.</summary>
    internal static string? TryFind(string name, string marker, string? start, string? dataVariable) =>
        Candidates(name, start, dataVariable).Where(c => Path.Exists(Path.Combine(c, marker))).Select(Path.GetFullPath).FirstOrDefault();

    /// <summary>
    /// Every folder that may hold the set, in the order they are tried: $COURSEKIT_DATA/name (when
    /// <paramref name="dataVariable"/>, the variable's value, is set), the cache, then data/name at <paramref name="start"/>
    /// and above, then ../shared/data/name at <paramref name="start"/> and above.
    /// </summary>
    internal static IReadOnlyList<string> Candidates(string name, string? start, string? dataVariable)
    {
        var candidates = new List<string>();
        if (!string.IsNullOrWhiteSpace(dataVariable)) candidates.Add(Path.Combine(dataVariable, name));
        candidates.Add(UserCache(name));
        candidates.AddRange(Above(Path.Combine("data", name), start));
        candidates.AddRange(Above(Path.Combine("..", "shared", "data", name), start));
        return candidates;
    }

    // one sentence for the error: the folders tried first, then the two relative paths and where their walk up began
    private static string WhereItLooked(string name, string marker)
    {
        var first = Candidates(name, null, Environment.GetEnvironmentVariable("COURSEKIT_DATA")).Take(1).ToList();
        if (first[0] != UserCache(name)) first.Add(UserCache(name));
        return $"It looked for {Path.Combine(name, marker)} in {string.Join(", then ", first)}, then in {Path.Combine("data", name)} " +
               $"and then {Path.Combine("..", "shared", "data", name)} in {string.Join(" and ", Starts(null))} and every folder above them.";
    }

    private static string UserCache(string name) =>
        Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache", "coursekit", name);

    private static string[] Starts(string? start) => start is null ? [Directory.GetCurrentDirectory(), AppContext.BaseDirectory] : [start];

    /// <summary>
    /// <paramref name="relative"/> joined to <paramref name="start"/> and to each folder above it (default: the current
    /// directory, then the folder of the CourseKit library), nearest first.
    /// </summary>
    public static IEnumerable<string> Above(string relative, string? start = null)
    {
        foreach (var first in Starts(start))
            for (var dir = new DirectoryInfo(first); dir is not null; dir = dir.Parent)
                yield return Path.Combine(dir.FullName, relative);
    }
}
