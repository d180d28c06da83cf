using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using CourseKit.Display;
using CourseKit.Notebooks;
using CourseKit.Tests.Notebooks;
using Microsoft.Playwright;

namespace CourseKit.Tests.Display;

/// <summary>
/// End to end: a notebook shows a training history, a grid of predictions and progress through the rich-output
/// convention; the runner executes it, its HTML export (with plotly.js embedded) is opened in headless Chromium.
/// </summary>
[Collection(NotebookRunnerCollection.Name)]
public sealed class NotebookDisplayTests
{
    private const string Chromium = "/usr/bin/chromium";

    [Fact]
    public async Task Executed_notebook_shows_history_plot_prediction_grid_and_final_progress_in_chromium()
    {
        Assert.True(File.Exists(Chromium), $"{Chromium} is missing: install Debian's chromium (ci/install-packages.sh: need chromium).");
        var bundle = PlotlyJs.LocateBundle();
        Assert.True(bundle is not null, $"plotly.js-dist-min not found; run `bash ci/install-npm.sh` or set {PlotlyJs.EnvironmentVariable}.");

        // The library as notebooks reference it: the CourseKit project's own build output (with its dependencies).
        string configuration = Path.GetFileName(Path.GetDirectoryName(typeof(Tensor).Assembly.Location)!);
        string library = Path.Combine(RepositoryPaths.Root, "artifacts", "bin", "CourseKit", configuration, "CourseKit.dll");
        Assert.True(File.Exists(library), $"{library} is missing; build src/CourseKit first.");

        var notebook = Notebook.Create();
        notebook.AddCode($"#r \"{library}\"\nusing CourseKit;\nusing CourseKit.Display;\nOutput.Attach(o => display(o));");
        notebook.AddCode("Plots.History(new double[] { 2.3, 1.1, 0.6 }, new double[] { 0.3, 0.7, 0.9 }, new double[] { 0.28, 0.65, 0.85 })");
        notebook.AddCode("""
            var random = new Random(1);
            var pixels = new float[4 * 28 * 28];
            for (int i = 0; i < pixels.Length; i++) pixels[i] = (float)random.NextDouble();
            ImageGrid.FromPredictions(new Tensor([4, 1, 28, 28], pixels), new[] { 1, 2, 3, 4 }, new[] { 1, 2, 3, 5 })
            """);
        notebook.AddCode("""
            using (var progress = Progress.Create(50, "epoch 1"))
                for (int i = 0; i < 50; i++) progress.Advance(message: $"step {i + 1}");
            Output.Detach();
            """);
        var run = NotebookRunner.Run(notebook);
        Assert.All(run.Cells, c => Assert.True(c.Status == CellStatus.Passed, $"cell {c.Index + 1}: {c.Error?.Summary}"));

        var progressOutputs = run.Notebook.Cells[3].Outputs.OfType<JsonObject>().Where(o => CellOutput.Data(o, "text/html") is not null).ToArray();
        var finalProgress = CellOutput.Data(Assert.Single(progressOutputs), "text/html")!; // one output, updated in place
        Assert.Contains("<progress value=\"50\" max=\"50\"", finalProgress);
        Assert.Contains("step 50", finalProgress);

        var html = NotebookHtml.Render(run.Notebook, "display check", () => PlotlyJs.ScriptTag(bundle));
        // The export embeds the local plotly.js bundle itself, so the page draws with the network blocked.
        Assert.Contains($"data-plotly-version=\"{PlotlyJs.Version}\"", html);
        var offline = html;
        var plotId = Regex.Match(offline, "<div id=\"(coursekit-plot-[^\"]+)\"").Groups[1].Value;
        Assert.NotEmpty(plotId);

        var dir = Directory.CreateTempSubdirectory("coursekit-notebook-html-");
        try
        {
            var path = Path.Combine(dir.FullName, "notebook.html");
            await File.WriteAllTextAsync(path, offline);
            using var playwright = await Playwright.CreateAsync();
            await using var browser = await playwright.Chromium.LaunchAsync(new()
            {
                ExecutablePath = Chromium,
                Headless = true,
                Args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
                Timeout = 120_000,
            });
            var tab = await browser.NewPageAsync(new() { ViewportSize = new() { Width = 1000, Height = 1200 } });
            await tab.RouteAsync(new Regex("^https?://"), route => route.AbortAsync()); // KaTeX from the CDN is not needed here
            await tab.GotoAsync(new Uri(path).AbsoluteUri, new() { Timeout = 120_000 }); // a page with plotly.js inline loads slowly on a busy machine
            await tab.WaitForSelectorAsync($"#{plotId} svg.main-svg .scatterlayer .trace path.js-line", new() { Timeout = 120_000 });
            Assert.Equal(3, await tab.Locator($"#{plotId} .scatterlayer .trace").CountAsync()); // loss, train and test accuracy
            var images = tab.Locator(".coursekit-image-grid img");
            Assert.Equal(4, await images.CountAsync());
            Assert.All(await images.EvaluateAllAsync<int[]>("imgs => imgs.map(i => i.complete ? i.naturalWidth : -1)"), w => Assert.Equal(84, w));
            Assert.Equal("rgb(214, 39, 40)", await tab.Locator("figcaption", new() { HasText = "pred 4 / true 5" }).EvaluateAsync<string>("e => getComputedStyle(e).color"));
            Assert.Equal(50, await tab.Locator("progress").EvaluateAsync<int>("e => e.value"));
            await File.WriteAllBytesAsync(Path.Combine(AppContext.BaseDirectory, "display-notebook-rendering.png"), await tab.ScreenshotAsync(new() { FullPage = true }));
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }
}
