namespace CourseKit.Grading;

/// <summary>
/// Keeps an exercise honest: while a test runs the student's answer inside <see cref="Forbid{T}"/>, the library's own
/// version of that exercise (its "twin") refuses to run, so an answer that only calls the library fails with a message
/// that says so. Library functions that are exercises call <see cref="Used"/> on entry (one thread-static read).
/// </summary>
public static class LibraryTwin
{
    [ThreadStatic] private static string[]? forbidden;

    /// <summary>Runs <paramref name="answer"/> with the library functions named in <paramref name="twins"/> switched off.</summary>
    public static T Forbid<T>(string[] twins, Func<T> answer)
    {
        var outer = forbidden;
        forbidden = [.. outer ?? [], .. twins];
        try { return answer(); }
        finally { forbidden = outer; }
    }

    /// <summary>Runs <paramref name="answer"/> with the library function <paramref name="twin"/> switched off.</summary>
    public static T Forbid<T>(string twin, Func<T> answer) => Forbid([twin], answer);

    /// <summary>Called by a library function that is an exercise's twin: throws while a test forbids it.</summary>
    public static void Used(string name)
    {
        if (forbidden is { } names && Array.IndexOf(names, name) >= 0)
            throw new InvalidOperationException($"{name} is the library's version of this exercise; the exercise asks you to write it yourself (you may use your own answers to earlier exercises).");
    }
}
