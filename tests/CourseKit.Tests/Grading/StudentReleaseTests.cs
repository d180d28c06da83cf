using CourseKit.Notebooks;
using CourseKit.Notebooks.Grading;

namespace CourseKit.Tests.Grading;

public class StudentReleaseTests
{
    [Fact]
    public void ReleaseRemovesSolutionsAndHiddenTestsAndNothingElse()
    {
        var source = GradingFixtures.Source();
        var student = StudentRelease.Release(source);

        Assert.Equal(source.Cells.Count, student.Cells.Count);
        Assert.Equal(source.Metadata.ToJsonString(), student.Metadata.ToJsonString());
        for (int i = 0; i < source.Cells.Count; i++)
        {
            NotebookCell before = source.Cells[i], after = student.Cells[i];
            Assert.Equal(before.Id, after.Id);
            Assert.Equal(before.CellType, after.CellType);
            Assert.Equal(before.Metadata.ToJsonString(), after.Metadata.ToJsonString()); // grading metadata kept
            var marks = GradingMarks.Of(before);
            string expected = marks switch
            {
                { IsAnswer: true } => Regions.ReplaceSolutions(before.Source, out _),
                { IsTest: true } => Regions.RemoveHiddenTests(before.Source, out _),
                _ => before.Source,
            };
            Assert.Equal(expected, after.Source);
            Assert.DoesNotContain("SOLUTION", after.Source);
            Assert.DoesNotContain("HIDDEN TESTS", after.Source);
            if (after.IsCode) Assert.True(after.Outputs.Count == 0 && after.ExecutionCount is null, $"cell {i + 1} keeps outputs");
        }
        // and the solution really is gone: the answer cells changed, the visible tests did not
        Assert.NotEqual(source.Cell("im2col-answer").Source, student.Cell("im2col-answer").Source);
        Assert.Contains("    // YOUR CODE HERE\n    throw new NotImplementedException();\n    return Tensor.FromData", student.Cell("im2col-answer").Source);
        Assert.Equal("Check.Equal(\"conv-size\", 2, OutputSize(4, 3, 0, 1));\nCheck.Equal(\"conv-size with padding\", 4, OutputSize(4, 3, 1, 1));",
            student.Cell("conv-size").Source);
    }

    [Fact]
    public void ReleaseClearsOutputsOfAnExecutedSourceAndLeavesTheSourceUnchanged()
    {
        var source = GradingFixtures.Source();
        source.Cell("setup").Outputs.Add(CellOutput.Stream("stdout", "hello\n"));
        source.Cell("setup").ExecutionCount = 1;
        string before = source.ToJson();

        var student = StudentRelease.Release(source);

        Assert.Equal(before, source.ToJson());
        Assert.Empty(student.Cell("setup").Outputs);
        Assert.Null(student.Cell("setup").ExecutionCount);
    }

    [Fact]
    public void SolutionCellWithoutRegionsIsReplacedWhollyByTheStubAsInNbgrader()
    {
        var source = GradingFixtures.Source();
        source.Cell("conv-size-answer").Source = "int OutputSize(int h, int f, int pad, int stride) => (h + 2 * pad - f) / stride + 1;";
        Assert.Equal("// YOUR CODE HERE\nthrow new NotImplementedException();", StudentRelease.Release(source).Cell("conv-size-answer").Source);
    }

    [Fact]
    public void ReleaseFolderWritesEveryNotebookKeepingSubFoldersAndIgnoresOtherFiles()
    {
        string root = Directory.CreateTempSubdirectory("coursekit-release-").FullName;
        try
        {
            string source = Path.Combine(root, "source");
            Directory.CreateDirectory(Path.Combine(source, "chapter1"));
            File.Copy(GradingFixtures.SourcePath, Path.Combine(source, "A.ipynb"));
            File.Copy(GradingFixtures.SourcePath, Path.Combine(source, "chapter1", "B.ipynb"));
            File.WriteAllText(Path.Combine(source, "notes.txt"), "not a notebook");

            var written = StudentRelease.ReleaseFolder(source, Path.Combine(root, "out"));

            Assert.Equal(2, written.Count);
            Assert.True(File.Exists(Path.Combine(root, "out", "chapter1", "B.ipynb")));
            Assert.False(File.Exists(Path.Combine(root, "out", "notes.txt")));
            var released = Notebook.Load(Path.Combine(root, "out", "A.ipynb"));
            Assert.Equal(StudentRelease.Release(GradingFixtures.Source()).ToJson(), released.ToJson());
        }
        finally { Directory.Delete(root, recursive: true); }
    }

    [Fact]
    public void ReleaseFolderWritesNothingWhenOneNotebookHasBadMarks()
    {
        string root = Directory.CreateTempSubdirectory("coursekit-release-").FullName;
        try
        {
            string source = Path.Combine(root, "source");
            Directory.CreateDirectory(source);
            File.Copy(GradingFixtures.SourcePath, Path.Combine(source, "A.ipynb"));
            var bad = GradingFixtures.Source();
            bad.Cell("im2col-answer").Source += "\n// BEGIN SOLUTION";
            bad.Save(Path.Combine(source, "Bad.ipynb"));

            var error = Assert.Throws<GradingMarkupException>(() => StudentRelease.ReleaseFolder(source, Path.Combine(root, "out")));

            Assert.Contains("Bad.ipynb, cell 7 ('im2col-answer'): line", error.Message);
            Assert.Contains("Nothing was released.", error.Message);
            Assert.False(Directory.Exists(Path.Combine(root, "out")));
        }
        finally { Directory.Delete(root, recursive: true); }
    }
    [Fact]
    public void SourceNotebooksSkipBuildOutputAndCheckpointsBelowTheFolderOnly()
    {
        // a course kept under an "artifacts" folder (the grade benchmark's copy is one) still has its notebooks found
        string root = Path.Combine(Directory.CreateTempSubdirectory("coursekit-sources-").FullName, "artifacts", "course");
        try
        {
            foreach (var file in new[] { "3-1.ipynb", "part2/3-2.ipynb", "artifacts/built.ipynb", ".ipynb_checkpoints/3-1-checkpoint.ipynb" })
            {
                Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(root, file))!);
                File.WriteAllText(Path.Combine(root, file), "{}");
            }
            var found = StudentRelease.SourceNotebooks(root).Select(p => Path.GetRelativePath(root, p).Replace('\\', '/'));
            Assert.Equal(["3-1.ipynb", "part2/3-2.ipynb"], found);
        }
        finally { Directory.Delete(Path.GetDirectoryName(Path.GetDirectoryName(root))!, recursive: true); }
    }

    [Fact]
    public void GradingAgainstAFolderWithoutGradingMarksSaysSoInsteadOfGradingNothing()
    {
        string root = Directory.CreateTempSubdirectory("coursekit-nosource-").FullName;
        try
        {
            Directory.CreateDirectory(Path.Combine(root, "source"));
            Directory.CreateDirectory(Path.Combine(root, "submissions", "student1"));
            var error = Assert.Throws<GradingMarkupException>(() => Grader.Grade(new GraderOptions
            {
                SubmissionsFolder = Path.Combine(root, "submissions"),
                SourceFolder = Path.Combine(root, "source"),
                OutputFolder = Path.Combine(root, "out"),
                WithoutSandbox = true,
            }));
            Assert.Contains("no notebook with grading marks", error.Message);
            Assert.Contains(Path.Combine(root, "source"), error.Message);
        }
        finally { Directory.Delete(root, recursive: true); }
    }
}
