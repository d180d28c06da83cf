using CourseKit.Notebooks;
using CourseKit.Notebooks.Grading;

namespace CourseKit.Tests.Grading;

/// <summary>
/// The grader's reading of student code before it runs (Roslyn's semantic model): the course's deny list, library
/// twins and shadowing, each in the forms a determined student writes, on the grading fixture notebook.
/// </summary>
public class StaticChecksTests
{
    private const string RightIm2Col = """
        Tensor MyIm2Col(Tensor x, int fh, int fw)
        {
            int h = x.Shape[0], w = x.Shape[1], oh = h - fh + 1, ow = w - fw + 1;
            var rows = new float[oh * ow * fh * fw];
            for (int i = 0; i < oh; i++) for (int j = 0; j < ow; j++) for (int a = 0; a < fh; a++) for (int b = 0; b < fw; b++)
                rows[((i * ow + j) * fh + a) * fw + b] = x.ToArray()[(i + a) * w + j + b];
            return Tensor.FromArray(rows).Reshape(oh * ow, fh * fw);
        }
        """;

    /// <summary>The restored notebook of a student whose cell <paramref name="gradeId"/> reads <paramref name="code"/>, and the incidents found.</summary>
    private static (Notebook Graded, IReadOnlyList<Incident> Incidents) Check(string gradeId, string code)
    {
        GradingFixtures.RequireLibrary();
        var source = GradingFixtures.Source();
        var student = GradingFixtures.Source();
        student.Cell(gradeId).Source = code;
        var graded = SubmissionRestore.Restore(source, student);
        return (graded, StaticChecks.Find(source, graded));
    }

    private static int IndexOf(Notebook notebook, string gradeId) => notebook.Cells.ToList().FindIndex(c => GradingMarks.Of(c)?.GradeId == gradeId);

    [Fact]
    public void TheSolutionPassesEveryCheck()
    {
        GradingFixtures.RequireLibrary();
        var source = GradingFixtures.Source();
        Assert.Empty(StaticChecks.Find(source, SubmissionRestore.Restore(source, GradingFixtures.Source())));
    }

    [Theory]
    [InlineData("Tensor MyIm2Col(Tensor x, int fh, int fw) => Im2Col.Simple(x.Reshape(1, 1, x.Shape[0], x.Shape[1]), fh, fw);", 1)]
    [InlineData("Tensor MyIm2Col(Tensor x, int fh, int fw) => global::CourseKit.Operations.Im2Col.Simple(x.Reshape(1, 1, x.Shape[0], x.Shape[1]), fh, fw);", 1)]
    [InlineData("using Cols = CourseKit.Operations.Im2Col;\nTensor MyIm2Col(Tensor x, int fh, int fw) =>\n    Cols.Simple(x.Reshape(1, 1, x.Shape[0], x.Shape[1]), fh, fw);", 1)]
    [InlineData("using static CourseKit.Operations.Im2Col;\n\nTensor MyIm2Col(Tensor x, int fh, int fw) => Simple(x.Reshape(1, 1, x.Shape[0], x.Shape[1]), fh, fw);", 1)]
    [InlineData("Func<Tensor, int, int, Tensor> f = CourseKit.Operations.Im2Col.ViaXHat;\n\nTensor MyIm2Col(Tensor x, int fh, int fw) => f(x.Reshape(1, 1, 4, 4), fh, fw);", 1)]
    public void ALibraryTwinCallCostsTheExerciseWithItsLine(string answer, int line)
    {
        var (graded, incidents) = Check("im2col-answer", answer);

        var incident = Assert.Single(incidents);
        Assert.Equal(IndexOf(graded, "im2col"), incident.Cell);
        Assert.Equal(StaticChecks.TwinReason, incident.Reason);
        Assert.Contains($"cell {IndexOf(graded, "im2col-answer") + 1}, line {line} calls CourseKit.Operations.Im2Col", incident.Message);
        Assert.Contains("the library's own version of what this exercise asks you to write", incident.Message);
    }

    [Fact]
    public void ANamedArgumentOfTheStudentsMethodIsNotShadowing()
    {
        // 3-7's test called BlockForward(mine, input, training: true): 'training' is the answer's parameter, not a lookup.
        GradingFixtures.RequireLibrary();
        var source = GradingFixtures.Source();
        source.Cell("im2col").Source = "Check.Close(\"im2col\", Im2Col.Simple(X.Reshape(1, 1, 4, 4), 3, 3), MyIm2Col(X, fh: 3, fw: 3));";
        var student = Notebook.Parse(source.ToJson(), source.Path);
        student.Cell("im2col-answer").Source = RightIm2Col;
        Assert.Empty(StaticChecks.Find(source, SubmissionRestore.Restore(source, student)));
    }

    [Fact]
    public void AVarHoldingATupleTheAnswerReturnsIsNotShadowing()
    {
        // 0-1's test wrote `var twoLayer = TrainTwoLayerNetwork(...)`: the tuple type is declared in the answer, no name is
        GradingFixtures.RequireLibrary();
        var source = GradingFixtures.Source();
        source.Cell("im2col").Source = "var both = MyIm2ColAndCount(X);\nCheck.Close(\"im2col\", Im2Col.Simple(X.Reshape(1, 1, 4, 4), 3, 3), both.Columns);";
        source.Cell("im2col-answer").Source = RightIm2Col + "\n(Tensor Columns, int Count) MyIm2ColAndCount(Tensor x) => (MyIm2Col(x, 3, 3), 4);";
        var student = Notebook.Parse(source.ToJson(), source.Path);
        Assert.Empty(StaticChecks.Find(source, SubmissionRestore.Restore(source, student)));

        // a variable the student names like the test's own still is
        student.Cell("im2col-answer").Source += "\nvar X = Tensor.Zeros(4, 4);";
        Assert.Contains(StaticChecks.Find(source, SubmissionRestore.Restore(source, student)), i => i.Reason == Shadowing.Reason);
    }

    [Fact]
    public void ATwinCalledFromACellTheStudentAddedCountsToo()
    {
        GradingFixtures.RequireLibrary();
        var source = GradingFixtures.Source();
        var student = GradingFixtures.Source();
        student.Cell("im2col-answer").Source = "Tensor MyIm2Col(Tensor x, int fh, int fw) => Helper(x, fh, fw);";
        var added = student.AddCode("Tensor Helper(Tensor x, int fh, int fw) => Im2Col.Simple(x.Reshape(1, 1, 4, 4), fh, fw);");
        var graded = SubmissionRestore.Restore(source, student);

        var incident = Assert.Single(StaticChecks.Find(source, graded));

        Assert.Equal(StaticChecks.TwinReason, incident.Reason);
        Assert.Equal(IndexOf(graded, "im2col"), incident.Cell);
    }

    [Theory]
    [InlineData("System.Diagnostics.Process.Start(\"sleep\", \"100000\");", "System.Diagnostics.Process", "answers may not start processes")]
    [InlineData("using P = System.Diagnostics.Process;\nP.Start(\"sh\");", "System.Diagnostics.Process", "answers may not start processes")]
    [InlineData("var text = global::System.IO.File.ReadAllText(\"../source/Exercises.ipynb\");", "System.IO.File", "answers may not read or write files")]
    [InlineData("using static System.IO.File;\nWriteAllText(\"grades.csv\", \"x\");", "System.IO.File", "answers may not read or write files")]
    [InlineData("var m = typeof(Tensor).GetMethod(\"Add\");", "System.Type", "reflection can reach into the grader")]
    [InlineData("var t = 1.GetType();", "System.Object.GetType", "reflection can reach into the grader")]
    [InlineData("unsafe { int x = 0; int* p = &x; }", "unsafe code", "pointers reach any memory")]
    [InlineData("string path = \"/proc/self/mem\";", "the path /proc", "process and device files belong to the grader")]
    [InlineData("var raw = Console.OpenStandardOutput();", "System.Console.OpenStandardOutput", "the console's raw streams belong to the grader")]
    [InlineData("var next = Console.ReadLine();", "System.Console.ReadLine", "the console's input belongs to the grader")]
    [InlineData("var p = System.Runtime.InteropServices.Marshal.AllocHGlobal(64);", "System.Runtime.InteropServices.Marshal", "native memory and interop")]
    [InlineData("new System.Net.Http.HttpClient();", "System.Net.Http.HttpClient", "answers have no network")]
    [InlineData("new System.Threading.Thread(() => { }).Start();", "System.Threading.Thread", "threads outlive the cell")]
    [InlineData("var key = CourseKit.Notebooks.Kernel.KernelContext.Current;", "CourseKit.Notebooks.Kernel.KernelContext", "CourseKit's runner and grader are not for answers")]
    public void DeniedCodeIsNotRunAndCostsItsExerciseNamingTheLine(string code, string what, string why)
    {
        var (graded, incidents) = Check("conv-size-answer", code + "\nint OutputSize(int h, int f, int pad, int stride) => (h + 2 * pad - f) / stride + 1;");

        int answer = IndexOf(graded, "conv-size-answer"), test = IndexOf(graded, "conv-size");
        Assert.Equal([answer, test], incidents.Select(i => i.Cell));
        Assert.All(incidents, i => Assert.Equal(StaticChecks.Reason, i.Reason));
        Assert.Contains($"cell {answer + 1}, line 1: {what}", incidents[0].Message);
        Assert.Contains(why, incidents[0].Message);
        Assert.Contains("no answer may use it, so the cell was not run", incidents[0].Message);
        Assert.Contains("the code of this exercise uses something no answer may use", incidents[1].Message);
    }

    [Fact]
    public void TheKernelsDisplayAndHtmlAreAnswersToolsNotForbidden()
    {
        // display(...) is how a Polyglot cell shows a value; it resolves to the grader's kernel globals, which are allowed
        var (_, incidents) = Check("conv-size-answer",
            "var shown = display(Tensor.Zeros(2, 2));\nshown.Update(HTML(\"<b>size</b>\"));\nint OutputSize(int h, int f, int pad, int stride) => (h + 2 * pad - f) / stride + 1;");
        Assert.Empty(incidents);
    }

    [Theory]
    [InlineData("field", "class Fake { public Tensor Simple(Tensor x, int fh, int fw) => Tensor.Zeros(4, 9); }\nFake Im2Col = new();", "Im2Col")]
    [InlineData("property", "class Fake { public Tensor Simple(Tensor x, int fh, int fw) => Tensor.Zeros(4, 9); }\nFake Im2Col => new();", "Im2Col")]
    [InlineData("class", "static class Im2Col { public static Tensor Simple(Tensor x, int fh, int fw) => Tensor.Zeros(4, 9); }", "Im2Col")]
    [InlineData("alias", "using Im2Col = Fake;\nstatic class Fake { public static Tensor Simple(Tensor x, int fh, int fw) => Tensor.Zeros(4, 9); }", "Im2Col")]
    [InlineData("variable", "var X = Tensor.Zeros(4, 4);", "X")]
    [InlineData("out variable", "int.TryParse(\"1\", out var X);", "X")]
    [InlineData("method", "Tensor X() => Tensor.Zeros(4, 4);", "X")]
    public void EveryKindOfStudentDeclarationATestNamesDisablesThatTest(string kind, string declaration, string name)
    {
        // using directives come first in a cell, as C# wants them
        var (graded, incidents) = Check("im2col-answer", declaration.StartsWith("using", StringComparison.Ordinal) ? declaration + "\n" + RightIm2Col : RightIm2Col + "\n" + declaration);

        var incident = Assert.Single(incidents, i => i.Reason == Shadowing.Reason);
        Assert.Equal(IndexOf(graded, "im2col"), incident.Cell);
        Assert.Contains($"'{name}' (cell {IndexOf(graded, "im2col-answer") + 1})", incident.Message);
        Assert.Contains("your code declares anew", incident.Message);
        Assert.True(kind.Length > 0);
    }

    [Fact]
    public void TheAnswerTheExerciseAsksForIsNotShadowing()
    {
        var (_, incidents) = Check("im2col-answer", RightIm2Col + "\nint helper = 3;");
        Assert.Empty(incidents);
    }

    [Fact]
    public void ATestReadingANameFromAnUnlockedCellFailsTheReleaseCheck()
    {
        var source = GradingFixtures.Source();
        source.Cell("im2col-input").Metadata.Remove(GradingMarks.MetadataKey);

        var problem = Assert.Single(Markup.Problems(source));

        Assert.Contains("cell 8 ('im2col'): the test reads 'X', declared in cell 6, which students may edit; lock that cell", problem);
    }
}
