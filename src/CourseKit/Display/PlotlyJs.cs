namespace CourseKit.Display;

/// <summary>
/// Where the plotly.js library comes from. Figures load it from the CDN by default; pages that must work
/// offline embed the bundle of the npm package plotly.js-dist-min when one is found on this machine.
/// </summary>
public static class PlotlyJs
{
    /// <summary>The plotly.js version every figure is drawn with (the npm package plotly.js-dist-min).</summary>
    public const string Version = "4.1.2";

    /// <summary>Environment variable naming a plotly.min.js file to embed; checked first.</summary>
    public const string EnvironmentVariable = "COURSEKIT_PLOTLY_JS";

    /// <summary>The CDN address of the same bundle as the npm package.</summary>
    public static string CdnUrl => $"https://cdn.jsdelivr.net/npm/plotly.js-dist-min@{Version}/plotly.min.js";

    private const string PackageFile = "node_modules/plotly.js-dist-min/plotly.min.js";

    /// <summary>
    /// The places searched for a local bundle, in order: $COURSEKIT_PLOTLY_JS; node_modules/plotly.js-dist-min/plotly.min.js
    /// in the current directory, the application directory, or any folder above them (a repository's
    /// <c>npm install</c>); then the global npm folders /usr/local/lib/node_modules and /usr/lib/node_modules.
    /// </summary>
    public static IEnumerable<string> CandidatePaths()
    {
        if (Environment.GetEnvironmentVariable(EnvironmentVariable) is { Length: > 0 } fromEnvironment)
            yield return fromEnvironment;
        foreach (var start in new[] { Environment.CurrentDirectory, AppContext.BaseDirectory })
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
                yield return Path.Combine(dir.FullName, PackageFile);
        yield return Path.Combine("/usr/local/lib", PackageFile);
        yield return Path.Combine("/usr/lib", PackageFile);
    }

    /// <summary>The first existing local plotly.min.js, or null when there is none.</summary>
    public static string? LocateBundle() => CandidatePaths().FirstOrDefault(File.Exists);

    /// <summary>
    /// A script element that defines <c>window.Plotly</c>: the local bundle inline when one is found
    /// (works offline), otherwise a reference to <see cref="CdnUrl"/>.
    /// </summary>
    public static string ScriptTag() => ScriptTag(LocateBundle());

    /// <summary>A script element with the bundle at <paramref name="bundlePath"/> inline, or the CDN reference when null.</summary>
    public static string ScriptTag(string? bundlePath)
    {
        if (bundlePath is not { } path)
            return $"<script src=\"{CdnUrl}\" charset=\"utf-8\"></script>";
        // "</script" inside the bundle would end the element early; "<\/script" means the same to JavaScript.
        var bundle = File.ReadAllText(path).Replace("</script", "<\\/script", StringComparison.OrdinalIgnoreCase);
        return $"<script type=\"text/javascript\" data-plotly-version=\"{Version}\">{bundle}</script>";
    }
}
