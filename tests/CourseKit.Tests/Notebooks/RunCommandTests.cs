using CourseKit.Notebooks;

namespace CourseKit.Tests.Notebooks;

[Collection(NotebookRunnerCollection.Name)]
public class RunCommandTests
{
    private static (int ExitCode, string Output, string Errors) Run(params string[] args)
    {
        var output = new StringWriter();
        var errors = new StringWriter();
        int exitCode = RunCommand.Run(args, output, errors);
        return (exitCode, output.ToString(), errors.ToString());
    }

    private static string WriteNotebook(string folder, string name, params string[] cells)
    {
        var notebook = Notebook.Create();
        notebook.AddMarkdown("# A notebook\nwith $\\alpha_1$ inline and\n\n$$Y = X \\otimes F$$\n");
        foreach (var source in cells) notebook.AddCode(source);
        string path = Path.Combine(folder, name);
        notebook.Save(path);
        return path;
    }

    [Fact]
    public void PassingNotebookWritesExecutedCopyAndHtmlPageAndExitsZero()
    {
        string folder = RepositoryPaths.NewTempFolder();
        string path = WriteNotebook(folder, "ok.ipynb", "Console.WriteLine(\"hello <world>\");", "6 * 7");
        string outFolder = Path.Combine(folder, "out");

        var (exitCode, output, _) = Run(path, "--out", outFolder, "--html");

        Assert.Equal(0, exitCode);
        Assert.Contains("[2/2]", output);
        Assert.Contains("2 passed, 0 failed", output);
        var executed = Notebook.Load(Path.Combine(outFolder, "ok.ipynb"));
        Assert.Equal("42", CellOutput.Data(Assert.Single(executed.Cells[2].Outputs)!.AsObject(), "text/plain"));
        Assert.Empty(Notebook.Load(path).Cells[2].Outputs); // the input is left as it was
        string html = File.ReadAllText(Path.Combine(outFolder, "ok.html"));
        Assert.Contains("<h1", html);
        Assert.Contains("\\(\\alpha_1\\)", html);
        Assert.Contains("\\[\nY = X \\otimes F\n\\]", html.Replace("\r", ""));
        Assert.Contains("katex", html);
        Assert.Contains("hello &lt;world&gt;", html);
        Assert.Contains("In [2]:", html);
    }

    [Fact]
    public void FailingCellMakesTheExitCodeNonZeroAndIsNamedInTheProgress()
    {
        string folder = RepositoryPaths.NewTempFolder();
        string path = WriteNotebook(folder, "bad.ipynb", "int x = 1;", "x / 0", "x");

        var (exitCode, output, _) = Run(path, "--out", Path.Combine(folder, "out"));

        Assert.Equal(1, exitCode);
        Assert.Contains("FAILED", output);
        Assert.Contains("System.DivideByZeroException", output);
        Assert.Contains("1 passed, 1 failed, 0 timed out, 1 not run", output);
        var (valid, validatorOutput) = Nbformat.Validate(Path.Combine(folder, "out", "bad.ipynb")); // with an error output
        Assert.True(valid == 0, validatorOutput);
    }

    [Fact]
    public void MalformedNotebookIsNamedAndNothingIsRunOrOverwritten()
    {
        string folder = RepositoryPaths.NewTempFolder();
        string good = WriteNotebook(folder, "good.ipynb", "1 + 1");
        string broken = Path.Combine(folder, "broken.ipynb");
        File.WriteAllText(broken, "{ this is not json");
        string outFolder = Path.Combine(folder, "out");
        Directory.CreateDirectory(outFolder);
        File.WriteAllText(Path.Combine(outFolder, "good.ipynb"), "previous result");

        var (exitCode, output, errors) = Run(good, broken, "--out", outFolder);

        Assert.Equal(2, exitCode);
        Assert.Contains(broken, errors);
        Assert.Contains("not valid JSON", errors);
        Assert.Equal("previous result", File.ReadAllText(Path.Combine(outFolder, "good.ipynb")));
        Assert.DoesNotContain("[1/1]", output);
    }

    [Fact]
    public void ExecutedCopyMayNotReplaceItsInput()
    {
        string folder = RepositoryPaths.NewTempFolder();
        string path = WriteNotebook(folder, "same.ipynb", "1 + 1");
        string before = File.ReadAllText(path);

        var (exitCode, _, errors) = Run(path, "--out", folder);

        Assert.Equal(2, exitCode);
        Assert.Contains("would overwrite", errors);
        Assert.Equal(before, File.ReadAllText(path));
    }

    [Theory]
    [InlineData("--timeout", "0")]
    [InlineData("--frobnicate")]
    [InlineData()]
    public void BadArgumentsPrintUsageAndExitTwo(params string[] args)
    {
        var (exitCode, _, errors) = Run(args);

        Assert.Equal(2, exitCode);
        Assert.StartsWith("coursekit run: ", errors);
        Assert.Contains("Usage:\n  coursekit run <NOTEBOOK>... [options]", errors.Replace("\r", ""));
    }

    [Fact]
    public void AMistypedOptionIsNamedNotTakenForANotebook()
    {
        var (exitCode, _, errors) = Run("x.ipynb", "--frobnicate");

        Assert.Equal(2, exitCode);
        Assert.Contains("coursekit run: unknown option --frobnicate.", errors);
        Assert.DoesNotContain("no such file", errors);
    }

    [Fact]
    public void HelpDescribesEveryOptionOnStandardOutputAndExitsZero()
    {
        var (exitCode, output, errors) = Run("--help");

        Assert.Equal(0, exitCode);
        Assert.Equal("", errors);
        Assert.Contains("coursekit run <NOTEBOOK>... [options]", output);
        foreach (var option in new[] { "--out <DIR>", "--html", "--continue-on-error", "--timeout <SECONDS>" })
            Assert.Contains(option, output);
        Assert.Contains("[default: 600]", output);
    }
}
