using System.Text.RegularExpressions;
using CourseKit.Notebooks;
using CourseKit.Tests.Notebooks;
using Microsoft.Playwright;

namespace CourseKit.Tests.Display;

/// <summary>
/// A notebook's HTML export opened in Debian's Chromium, headless, with the network blocked: its formulas must be
/// typeset by the embedded KaTeX (not left as raw \( \)), and its Japanese title drawn with real glyphs (not the
/// empty boxes a browser draws when no font has them: ci/install-packages.sh installs fonts-noto-cjk).
/// </summary>
public sealed class NotebookExportBrowserTests
{
    private const string Chromium = "/usr/bin/chromium";

    [Fact]
    public async Task Formulas_of_an_exported_notebook_are_typeset_offline_by_the_embedded_KaTeX()
    {
        Assert.True(Katex.LocateDist() is not null, $"the npm package katex was not found; run `bash ci/install-npm.sh` or set {Katex.EnvironmentVariable}.");
        var notebook = Notebook.Load(Path.Combine(RepositoryPaths.Root, "notebooks", "3-1_ConvolutionOperation.ipynb"));
        string html = NotebookHtml.Render(notebook, "3-1");
        Assert.DoesNotContain(Katex.CdnUrl, html);
        int formulas = Regex.Matches(html, @"\\\(").Count;
        Assert.True(formulas > 0, "the notebook should have inline formulas for this test");

        await WithPage(html, async tab =>
        {
            await tab.WaitForSelectorAsync(".katex", new() { Timeout = 60_000 });
            Assert.True(await tab.EvaluateAsync<int>("document.querySelectorAll('.katex').length") >= formulas);
            Assert.DoesNotContain("\\(", await tab.EvaluateAsync<string>("document.body.innerText"));
            // the fonts come from data URLs: with the network blocked, a font loaded from a file beside the CSS would fail
            await tab.EvaluateAsync("document.fonts.ready");
            Assert.True(await tab.EvaluateAsync<bool>("document.fonts.check('20px KaTeX_Main')"));
            Assert.True(await tab.EvaluateAsync<bool>(
                "[...document.fonts].some(f => f.family.replace(/\"/g, '') === 'KaTeX_Main' && f.status === 'loaded')"));
        });
    }

    [Fact]
    public async Task The_Japanese_title_of_an_exported_notebook_is_drawn_with_glyphs_not_empty_boxes()
    {
        var notebook = Notebook.Load(Path.Combine(RepositoryPaths.Root, "notebooks", "3-1_ConvolutionOperation.ipynb"));
        string html = NotebookHtml.Render(notebook, "3-1");
        Assert.Contains("Noto Sans CJK JP", html); // the page names a font with Japanese glyphs before the generic fallback

        await WithPage(html, async tab =>
        {
            string title = await tab.EvaluateAsync<string>("document.querySelector('h1').innerText");
            Assert.Contains("畳み込み演算", title);
            // Each character of the title in a span of its own, in the title's font: with no font for them, the browser
            // draws every one as the same empty box; with one, four different glyphs with ink.
            await tab.EvaluateAsync("""
                () => {
                  const h1 = document.querySelector('h1');
                  for (const c of ['畳', '込', '演', '算']) {
                    const span = document.createElement('span');
                    span.className = 'glyph';
                    span.style.cssText = 'display: inline-block; padding: 4px; background: #fff; color: #000';
                    span.textContent = c;
                    h1.appendChild(span);
                  }
                }
                """);
            await tab.EvaluateAsync("document.fonts.ready");
            var glyphs = new List<byte[]>();
            foreach (var span in await tab.Locator("h1 span.glyph").AllAsync())
            {
                var image = PngDecoder.Decode(await span.ScreenshotAsync());
                var dark = new byte[image.Width * image.Height];
                for (int p = 0; p < dark.Length; p++) dark[p] = image.Pixels[p * image.Channels] < 128 ? (byte)1 : (byte)0;
                Assert.True(dark.Count(d => d == 1) > 10, "a glyph has ink");
                glyphs.Add(dark);
            }
            Assert.Equal(4, glyphs.Count);
            for (int i = 0; i < glyphs.Count; i++)
                for (int j = i + 1; j < glyphs.Count; j++)
                    Assert.False(glyphs[i].SequenceEqual(glyphs[j]), $"characters {i} and {j} of the title are drawn alike: empty boxes (no CJK font)");
        });
    }

    private static async Task WithPage(string html, Func<IPage, Task> check)
    {
        Assert.True(File.Exists(Chromium), $"{Chromium} is missing: install Debian's chromium (ci/install-packages.sh: need chromium).");
        var dir = Directory.CreateTempSubdirectory("coursekit-export-");
        try
        {
            var path = Path.Combine(dir.FullName, "export.html");
            await File.WriteAllTextAsync(path, html);
            using var playwright = await Playwright.CreateAsync();
            await using var browser = await BrowserRenderingTests.LaunchAsync(playwright);
            var tab = await browser.NewPageAsync();
            await tab.RouteAsync(new Regex("^https?://"), route => route.AbortAsync());
            await tab.GotoAsync(new Uri(path).AbsoluteUri, new() { Timeout = 120_000 }); // KaTeX inline loads slowly on a busy machine
            await check(tab);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }
}
