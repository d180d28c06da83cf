using System.Text.Json.Nodes;
using CourseKit.Notebooks;

namespace CourseKit.Tests.Notebooks;

public class NotebookFormatTests
{
    private static string FeaturesPath => Path.Combine(RepositoryPaths.Fixtures, "Features.ipynb");

    [Fact]
    public void RoundTripKeepsTheFileByteForByte()
    {
        string original = File.ReadAllText(FeaturesPath);

        string written = Notebook.Parse(original, FeaturesPath).ToJson();

        Assert.Equal(original, written);
    }

    [Fact]
    public void UnknownMetadataSurvivesEditingAndSaving()
    {
        var notebook = Notebook.Load(FeaturesPath);
        notebook.AddMarkdown("appended");
        notebook.Cells[0].Source = "// changed";
        string path = Path.Combine(RepositoryPaths.NewTempFolder(), "copy.ipynb");

        notebook.Save(path);
        var reread = JsonNode.Parse(File.ReadAllText(path))!;

        Assert.Equal("0.1", (string?)reread["metadata"]!["coursekit"]!["chapter"]);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""[1, "two", null]"""), reread["metadata"]!["coursekit"]!["unknown_list"]));
        Assert.Equal(2, (int?)reread["cells"]![3]!["metadata"]!["coursekit"]!["grading"]!["points"]);
        Assert.Equal("// changed", Notebook.Load(path).Cells[0].Source);
    }

    [Fact]
    public void NewNotebookHasPolyglotKernelMetadataAndCellIds()
    {
        var notebook = Notebook.Create();
        var code = notebook.AddCode("int x = 1;\nx");
        var text = notebook.AddMarkdown("# title");

        var json = JsonNode.Parse(notebook.ToJson())!;

        Assert.Equal(".net-csharp", (string?)json["metadata"]!["kernelspec"]!["name"]);
        Assert.Equal("polyglot-notebook", (string?)json["metadata"]!["language_info"]!["name"]);
        Assert.Equal("csharp", (string?)json["metadata"]!["polyglot_notebook"]!["kernelInfo"]!["defaultKernelName"]);
        Assert.Equal("csharp", (string?)json["cells"]![0]!["metadata"]!["polyglot_notebook"]!["kernelName"]);
        Assert.Equal("csharp", (string?)json["cells"]![0]!["metadata"]!["dotnet_interactive"]!["language"]);
        Assert.Equal(5, (int?)json["nbformat_minor"]);
        Assert.Equal(["int x = 1;\n", "x"], json["cells"]![0]!["source"]!.AsArray().Select(l => (string?)l));
        Assert.NotEqual(code.Id, text.Id);
        Assert.Matches("^[a-zA-Z0-9-_]{1,64}$", code.Id!);
    }

    [Fact]
    public void OlderNotebookWithoutCellIdsIsUpgradedTo45()
    {
        const string json = """
            {"cells": [{"cell_type": "code", "execution_count": 3, "metadata": {}, "outputs": [], "source": "1 + 1"}],
             "metadata": {}, "nbformat": 4, "nbformat_minor": 2}
            """;

        var notebook = Notebook.Parse(json);

        Assert.NotNull(notebook.Cells[0].Id);
        Assert.Equal(5, (int?)JsonNode.Parse(notebook.ToJson())!["nbformat_minor"]);
        Assert.Equal("1 + 1", notebook.Cells[0].Source);
        Assert.Equal("csharp", notebook.Cells[0].KernelName);
    }

    [Theory]
    [InlineData("not json at all", "not valid JSON")]
    [InlineData("""{"nbformat": 3, "cells": [], "metadata": {}}""", "nbformat 3")]
    [InlineData("""{"nbformat": 4, "nbformat_minor": 5, "metadata": {}}""", "no \"cells\"")]
    [InlineData("""{"nbformat": 4, "nbformat_minor": 5, "cells": [], "metadata": {}}""", "no cells")]
    [InlineData("""{"nbformat": 4, "nbformat_minor": 5, "cells": [{"source": "x"}], "metadata": {}}""", "cell 1 has no \"cell_type\"")]
    public void MalformedNotebookIsRejectedWithTheFileNameAndTheReason(string json, string reason)
    {
        var error = Assert.Throws<NotebookFormatException>(() => Notebook.Parse(json, "broken.ipynb"));

        Assert.StartsWith("broken.ipynb: ", error.Message);
        Assert.Contains(reason, error.Message);
    }

    [Fact]
    public void MissingNotebookIsRejectedWithItsPath()
    {
        string path = Path.Combine(RepositoryPaths.NewTempFolder(), "absent.ipynb");

        var error = Assert.Throws<NotebookFormatException>(() => Notebook.Load(path));

        Assert.Contains(path, error.Message);
    }
}
