using System.Buffers.Binary;
using System.Text.RegularExpressions;
using CourseKit.Display;
using Microsoft.Playwright;

namespace CourseKit.Tests.Display;

/// <summary>
/// Opens a standalone page (line chart + image grid) in Debian's Chromium, headless and with the network blocked,
/// so plotly.js must come embedded from the npm package plotly.js-dist-min.
/// </summary>
public sealed class BrowserRenderingTests
{
    private const string Chromium = "/usr/bin/chromium";

    [Fact]
    public async Task Figure_loads_plotly_through_requirejs_when_the_host_provides_it_as_polyglot_does()
    {
        Assert.True(File.Exists(Chromium), $"{Chromium} is missing: install Debian's chromium (ci/install-packages.sh: need chromium).");
        var bundle = PlotlyJs.LocateBundle();
        Assert.True(bundle is not null, $"plotly.js-dist-min not found; run `bash ci/install-npm.sh` or set {PlotlyJs.EnvironmentVariable}.");

        var figureHtml = new Figure("accuracy").Add(Chart.Line([0.2, 0.6, 0.8], "test")).ToHtml();
        var plotId = Regex.Match(figureHtml, "<div id=\"([^\"]+)\"").Groups[1].Value;
        // A stand-in for the notebook webview's require.js: it hands out the local bundle and records what was asked.
        const string fakeRequire = """
            <script>
            window.amdModule = window.Plotly; delete window.Plotly;
            window.requirejs = function () {};
            window.requirejs.config = function (config) {
              window.requested = config;
              return function (deps, callback) { window.requestedDeps = deps; callback(window.amdModule); };
            };
            </script>
            """;
        var html = $"<!DOCTYPE html><html><head><meta charset=\"utf-8\"/>{PlotlyJs.ScriptTag(bundle)}{fakeRequire}</head><body>{figureHtml}</body></html>";

        var dir = Directory.CreateTempSubdirectory("coursekit-browser-");
        try
        {
            var path = Path.Combine(dir.FullName, "require.html");
            await File.WriteAllTextAsync(path, html);
            using var playwright = await Playwright.CreateAsync();
            await using var browser = await LaunchAsync(playwright);
            var tab = await browser.NewPageAsync();
            await tab.RouteAsync(new Regex("^https?://"), route => route.AbortAsync());
            await tab.GotoAsync(new Uri(path).AbsoluteUri, new() { Timeout = 120_000 }); // a page with plotly.js inline loads slowly on a busy machine
            await tab.WaitForSelectorAsync($"#{plotId} svg.main-svg .scatterlayer .trace path.js-line", new() { Timeout = 120_000 });
            Assert.Equal("coursekit-plotly", await tab.EvaluateAsync<string>("window.requested.context"));
            Assert.Equal(PlotlyJs.CdnUrl[..^3], await tab.EvaluateAsync<string>("window.requested.paths.plotly"));
            Assert.Equal("plotly", await tab.EvaluateAsync<string>("window.requestedDeps[0]"));
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    /// <summary>Debian's Chromium, headless, never a downloaded browser.</summary>
    internal static async Task<IBrowser> LaunchAsync(IPlaywright playwright)
    {
        return await playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = Chromium,
            Headless = true,
            Args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
            Timeout = 120_000,
        });
    }

    private static int CountColour(PngDecoder.Decoded image, byte r, byte g, byte b)
    {
        int count = 0;
        for (int p = 0; p < image.Width * image.Height; p++)
        {
            var px = image.Pixels.AsSpan(p * image.Channels, 3);
            if (Math.Abs(px[0] - r) < 8 && Math.Abs(px[1] - g) < 8 && Math.Abs(px[2] - b) < 8) count++;
        }
        return count;
    }

    [Fact]
    public async Task Standalone_page_draws_the_line_chart_and_shows_the_image_grid_in_headless_chromium()
    {
        Assert.True(File.Exists(Chromium), $"{Chromium} is missing: install Debian's chromium (ci/install-packages.sh: need chromium).");
        var bundle = PlotlyJs.LocateBundle();
        Assert.True(bundle is not null,
            $"plotly.js-dist-min not found; run `npm install --no-save plotly.js-dist-min@{PlotlyJs.Version}` at the repository root or set {PlotlyJs.EnvironmentVariable}. Searched: {string.Join(", ", PlotlyJs.CandidatePaths().Take(3))}...");

        var figure = new Figure("Loss", "epoch", "loss")
            .Add(Chart.Line([1, 2, 3, 4], [2.3, 1.2, 0.7, 0.5], "train"))
            .Add(Chart.Line([1, 2, 3, 4], [2.4, 1.4, 0.9, 0.8], "test"));
        var figureHtml = figure.ToHtml();
        var plotId = Regex.Match(figureHtml, "<div id=\"([^\"]+)\"").Groups[1].Value;
        var digits = TestImages.RandomTensor(60, 6, 1, 28, 28);
        var grid = ImageGrid.FromPredictions(digits, [7, 2, 1, 0, 4, 1], [7, 2, 1, 0, 9, 1], title: "test digits");
        var page = new HtmlPage("CourseKit display check").AddParagraph("A line chart and an image grid.").AddHtml(figureHtml).Add(grid);
        var html = page.ToHtml();
        Assert.Contains($"data-plotly-version=\"{PlotlyJs.Version}\"", html); // embedded, not from the CDN

        var dir = Directory.CreateTempSubdirectory("coursekit-browser-");
        try
        {
            var path = Path.Combine(dir.FullName, "page.html");
            await File.WriteAllTextAsync(path, html);

            using var playwright = await Playwright.CreateAsync();
            await using var browser = await LaunchAsync(playwright);
            var tab = await browser.NewPageAsync(new() { ViewportSize = new() { Width = 1000, Height = 1000 } });
            await tab.RouteAsync(new Regex("^https?://"), route => route.AbortAsync()); // offline: nothing may be fetched
            await tab.GotoAsync(new Uri(path).AbsoluteUri, new() { Timeout = 120_000 }); // a page with plotly.js inline loads slowly on a busy machine

            // plotly draws each line trace as a g.trace inside the scatter layer of the plot's svg.
            await tab.WaitForSelectorAsync($"#{plotId} svg.main-svg .scatterlayer .trace path.js-line", new() { Timeout = 120_000 });
            Assert.Equal(2, await tab.Locator($"#{plotId} .scatterlayer .trace").CountAsync());
            var linePath = await tab.Locator($"#{plotId} .scatterlayer .trace path.js-line").First.GetAttributeAsync("d");
            Assert.False(string.IsNullOrEmpty(linePath));
            Assert.Equal("epoch", await tab.Locator($"#{plotId} .xtitle").TextContentAsync());
            Assert.Equal("Loss", await tab.Locator($"#{plotId} .gtitle").TextContentAsync());

            var images = tab.Locator(".coursekit-image-grid img");
            Assert.Equal(6, await images.CountAsync());
            var loaded = await images.EvaluateAllAsync<int[]>("imgs => imgs.map(i => i.complete ? i.naturalWidth : -1)");
            Assert.All(loaded, width => Assert.Equal(84, width));
            var wrongColour = await tab.Locator("figcaption", new() { HasText = "pred 4 / true 9" })
                .EvaluateAsync<string>("e => getComputedStyle(e).color");
            Assert.Equal("rgb(214, 39, 40)", wrongColour);

            var screenshot = await tab.ScreenshotAsync(new() { FullPage = true });
            var shotPath = Path.Combine(AppContext.BaseDirectory, "display-browser-rendering.png");
            await File.WriteAllBytesAsync(shotPath, screenshot);
            Assert.Equal(Png.Signature.ToArray(), screenshot[..8]);
            Assert.Equal(1000, BinaryPrimitives.ReadInt32BigEndian(screenshot.AsSpan(16))); // IHDR width

            // The pixels themselves: plotly's first line colour and the red of the wrong caption are on screen.
            var shot = PngDecoder.Decode(screenshot);
            Assert.True(CountColour(shot, 31, 119, 180) > 100, "the blue 'train' line is not in the screenshot");
            Assert.True(CountColour(shot, 214, 39, 40) > 10, "the red caption of the wrong prediction is not in the screenshot");
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }
}
