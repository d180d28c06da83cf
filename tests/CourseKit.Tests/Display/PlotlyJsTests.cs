using CourseKit.Display;

namespace CourseKit.Tests.Display;

public sealed class PlotlyJsTests
{
    [Fact]
    public void Local_bundle_is_embedded_inline_with_script_closing_text_escaped()
    {
        var path = Path.Combine(Path.GetTempPath(), $"coursekit-plotly-{Guid.NewGuid():N}.js");
        try
        {
            File.WriteAllText(path, "window.Plotly = { note: '</script>' };");
            var tag = PlotlyJs.ScriptTag(path);
            Assert.Contains("window.Plotly = { note: '<\\/script>' };", tag);
            Assert.DoesNotContain(PlotlyJs.CdnUrl, tag);
            Assert.EndsWith("</script>", tag);
            Assert.Single(System.Text.RegularExpressions.Regex.Matches(tag, "</script"));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Without_a_local_bundle_the_script_comes_from_the_cdn_at_the_pinned_version()
    {
        var tag = PlotlyJs.ScriptTag(bundlePath: null);
        Assert.Contains($"src=\"{PlotlyJs.CdnUrl}\"", tag);
        Assert.Contains($"plotly.js-dist-min@{PlotlyJs.Version}/", PlotlyJs.CdnUrl);
    }

    [Fact]
    public void Search_includes_node_modules_of_the_current_directory_and_its_parents()
    {
        var candidates = PlotlyJs.CandidatePaths().ToArray();
        var expected = Path.Combine(Environment.CurrentDirectory, "node_modules", "plotly.js-dist-min", "plotly.min.js");
        Assert.Contains(expected, candidates);
        var parent = Directory.GetParent(Environment.CurrentDirectory);
        if (parent is not null)
            Assert.Contains(Path.Combine(parent.FullName, "node_modules", "plotly.js-dist-min", "plotly.min.js"), candidates);
    }

    [Fact]
    public void Bundle_is_found_for_the_tests_and_has_the_pinned_version()
    {
        var bundle = PlotlyJs.LocateBundle();
        Assert.True(bundle is not null, $"plotly.js-dist-min not found; run `bash ci/install-npm.sh` (npm install plotly.js-dist-min@{PlotlyJs.Version}) or set {PlotlyJs.EnvironmentVariable}.");
        var package = Path.Combine(Path.GetDirectoryName(bundle)!, "package.json");
        if (File.Exists(package)) // absent when COURSEKIT_PLOTLY_JS names a lone file
            Assert.Contains($"\"version\": \"{PlotlyJs.Version}\"", File.ReadAllText(package));
    }
}
