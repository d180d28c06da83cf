using System.Diagnostics;
using System.Globalization;

namespace CourseKit.Notebooks.Grading;

/// <summary>
/// A process and all its descendants as Linux's /proc shows them: the memory they hold together (a submission's
/// child is bubblewrap, and the memory is its descendants') and how many there are.
/// </summary>
internal static class ProcessTree
{
    /// <summary>The process ids of <paramref name="root"/> and every descendant (only the root where /proc has no children lists).</summary>
    public static List<int> Of(int root)
    {
        var all = new List<int> { root };
        if (!OperatingSystem.IsLinux()) return all;
        for (int i = 0; i < all.Count && all.Count < 10_000; i++)
        {
            try
            {
                foreach (var task in Directory.GetDirectories($"/proc/{all[i]}/task"))
                    foreach (var child in File.ReadAllText(Path.Combine(task, "children")).Split(' ', StringSplitOptions.RemoveEmptyEntries))
                        all.Add(int.Parse(child, CultureInfo.InvariantCulture));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException) { } // it ended meanwhile
        }
        return all;
    }

    /// <summary>Resident memory of the process and its descendants, in bytes.</summary>
    public static long ResidentBytes(Process process)
    {
        if (!OperatingSystem.IsLinux())
        {
            try { process.Refresh(); return process.WorkingSet64; }
            catch (InvalidOperationException) { return 0; }
        }
        long pages = 0;
        foreach (int pid in Of(process.Id))
        {
            try { pages += long.Parse(File.ReadAllText($"/proc/{pid}/statm").Split(' ')[1], CultureInfo.InvariantCulture); }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException) { }
        }
        return pages * Environment.SystemPageSize;
    }
}
