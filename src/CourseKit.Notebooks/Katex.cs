using System.Text;
using System.Text.RegularExpressions;

namespace CourseKit.Notebooks;

/// <summary>
/// KaTeX, which typesets the formulas of exported notebooks. A page embeds the npm package katex when it is found on
/// this machine (its script, its auto-render extension, its stylesheet with every font as a data URL), so that the
/// formulas render offline; otherwise the page loads the same version from the CDN.
/// </summary>
public static class Katex
{
    /// <summary>The KaTeX version pages are typeset with (the npm package katex; ci/install-npm.sh installs it).</summary>
    public const string Version = "0.16.11";

    /// <summary>Environment variable naming a local katex/dist folder to embed; checked first.</summary>
    public const string EnvironmentVariable = "COURSEKIT_KATEX";

    /// <summary>The CDN folder of the same version's dist files.</summary>
    public static string CdnUrl => $"https://cdn.jsdelivr.net/npm/katex@{Version}/dist";

    private const string PackageFolder = "node_modules/katex/dist";

    // auto-render finds \( \) and \[ \], which Markdig writes for $ $ and $$ $$
    private const string RenderCall =
        "renderMathInElement(document.body, {delimiters: [{left: '\\\\[', right: '\\\\]', display: true}, {left: '\\\\(', right: '\\\\)', display: false}]});";

    /// <summary>
    /// The places searched for katex/dist, in order: $COURSEKIT_KATEX; node_modules/katex/dist in the current directory,
    /// the application directory or any folder above them; then the global npm folders.
    /// </summary>
    public static IEnumerable<string> CandidateFolders()
    {
        if (Environment.GetEnvironmentVariable(EnvironmentVariable) is { Length: > 0 } fromEnvironment)
            yield return fromEnvironment;
        foreach (var start in new[] { Environment.CurrentDirectory, AppContext.BaseDirectory })
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
                yield return Path.Combine(dir.FullName, PackageFolder);
        yield return Path.Combine("/usr/local/lib", PackageFolder);
        yield return Path.Combine("/usr/lib", PackageFolder);
    }

    /// <summary>The first katex/dist folder with the files a page needs, or null.</summary>
    public static string? LocateDist() => CandidateFolders().FirstOrDefault(folder =>
        File.Exists(Path.Combine(folder, "katex.min.js")) && File.Exists(Path.Combine(folder, "katex.min.css")) &&
        File.Exists(Path.Combine(folder, "contrib", "auto-render.min.js")));

    /// <summary>The head elements that typeset the page's formulas: embedded from the local package when found, else from the CDN.</summary>
    public static string HeadElements() => HeadElements(LocateDist());

    /// <summary>The head elements with the package at <paramref name="dist"/> embedded, or the CDN references when null.</summary>
    public static string HeadElements(string? dist)
    {
        if (dist is null)
            return $"""
                <link rel="stylesheet" href="{CdnUrl}/katex.min.css">
                <script defer src="{CdnUrl}/katex.min.js"></script>
                <script defer src="{CdnUrl}/contrib/auto-render.min.js" onload="{RenderCall.Replace("'", "&#39;")}"></script>
                """;
        var html = new StringBuilder();
        html.Append($"<style data-katex-version=\"{Version}\">").Append(StyleWithEmbeddedFonts(dist)).Append("</style>\n");
        html.Append("<script>").Append(Script(Path.Combine(dist, "katex.min.js"))).Append("</script>\n");
        html.Append("<script>").Append(Script(Path.Combine(dist, "contrib", "auto-render.min.js"))).Append("</script>\n");
        html.Append($"<script>document.addEventListener(\"DOMContentLoaded\", function () {{ {RenderCall} }});</script>");
        return html.ToString();
    }

    // "</script" inside a script would end the element early; "<\/script" means the same to JavaScript
    private static string Script(string path) =>
        File.ReadAllText(path).Replace("</script", "<\\/script", StringComparison.OrdinalIgnoreCase);

    // Each @font-face lists woff2, woff and ttf files beside the stylesheet; every browser that runs KaTeX reads woff2,
    // so that one becomes a data URL and the others are dropped (about 0.4 MB for the 20 fonts).
    private static string StyleWithEmbeddedFonts(string dist)
    {
        string css = File.ReadAllText(Path.Combine(dist, "katex.min.css"));
        return Regex.Replace(css, @"src:url\(fonts/([A-Za-z0-9_-]+)\.woff2\) format\(""woff2""\)[^;}]*", match =>
        {
            string font = Path.Combine(dist, "fonts", match.Groups[1].Value + ".woff2");
            return $"src:url(data:font/woff2;base64,{Convert.ToBase64String(File.ReadAllBytes(font))}) format(\"woff2\")";
        });
    }
}
