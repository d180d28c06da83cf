using System.Text.Json.Nodes;
using CourseKit.Notebooks;
using CourseKit.Notebooks.Grading;

namespace CourseKit.Tests.Grading;

/// <summary>
/// The submissions the grading tests grade, each written from the fixture solution notebook with a few edits:
/// an honest solution, the untouched student version, and adversarial ones, with the points each deserves.
/// </summary>
internal static class StudentSubmissions
{
    public sealed record Student(string Name, string Behaviour, double ConvSize, double Im2Col, double PatchLength, Action<string> Write);

    private const string WrongConvSize = "int OutputSize(int h, int f, int pad, int stride) => h;";
    private const string WrongIm2Col = "Tensor MyIm2Col(Tensor x, int fh, int fw) => Tensor.Zeros((x.Shape[0] - fh + 1) * (x.Shape[1] - fw + 1), fh * fw);";

    public static readonly IReadOnlyList<Student> All =
    [
        new("solution", "the instructor's solutions", 1, 2, 1, Save(s => { })),
        new("unsolved", "hands in the student version untouched", 0, 0, 0, Save(s => { }, released: true)),
        new("edits-test", "wrong output size, and a test cell edited to check nothing", 0, 2, 1, Save(s =>
        {
            s.Cell("conv-size-answer").Source = WrongConvSize;
            s.Cell("conv-size").Source = "Check.True(\"conv-size\", true, \"all good\");";
        })),
        new("redefines-check", "wrong answers, and a class Check of its own that never fails", 0, 0, 1, Save(s =>
        {
            s.Cell("conv-size-answer").Source = """
                static class Check
                {
                    public static void Equal<T>(string name, T expected, T actual) { }
                    public static void Close(string name, CourseKit.Tensor expected, CourseKit.Tensor actual, double tolerance = 1e-5) { }
                }
                """ + "\n" + WrongConvSize;
            s.Cell("im2col-answer").Source = WrongIm2Col;
        })),
        new("shadows-library", "a wrong im2col, and a class Im2Col of its own that the test compares with", 1, 0, 1, Save(s =>
            s.Cell("im2col-answer").Source = WrongIm2Col + """

                static class Im2Col
                {
                    // returns what the wrong MyIm2Col returns, so that comparing the two would pass
                    public static Tensor Simple(Tensor x, int fh, int fw) => Tensor.Zeros((x.Shape[2] - fh + 1) * (x.Shape[3] - fw + 1), fh * fw);
                }
                """)),
        new("deletes-cell", "deletes the tests (one solved, one not) and the read-only input of im2col", 1, 0, 1, Save(s =>
        {
            s.Cell("im2col-answer").Source = StudentRelease.StudentAnswer(s.Cell("im2col-answer"));
            Remove(s, "conv-size", "im2col", "im2col-input");
        })),
        new("infinite-loop", "an endless loop in the im2col answer", 1, 0, 1, Save(s =>
            s.Cell("im2col-answer").Source = "while (true) { }\n" + s.Cell("im2col-answer").Source)),
        new("exits", "calls Environment.Exit in the output-size answer", 0, 2, 1, Save(s =>
            s.Cell("conv-size-answer").Source = "Environment.Exit(0);\n" + s.Cell("conv-size-answer").Source)),
        new("stack-overflow", "an endless recursion in the output size", 0, 2, 1, Save(s =>
            s.Cell("conv-size-answer").Source = "int OutputSize(int h, int f, int pad, int stride) => 1 + OutputSize(h, f, pad, stride);")),
        new("forges-log", "wrong answers, writes 'passed' for every test into the grader's log and exits", 0, 0, 1, Save(s =>
        {
            s.Cell("conv-size-answer").Source = WrongConvSize + """

                var arguments = Environment.GetCommandLineArgs();
                string log = arguments[Array.IndexOf(arguments, "--log") + 1];
                foreach (int cell in new[] { 3, 7, 10 })
                {
                    string line = $"{{\"cell\":{cell},\"count\":1,\"status\":\"Passed\",\"seconds\":0}}";
                    System.IO.File.AppendAllText(log, line + "\n" + "AAAA " + line + "\n");
                }
                System.IO.File.AppendAllText(log, "{\"finished\":true}\n");
                Environment.Exit(0);
                """;
            s.Cell("im2col-answer").Source = WrongIm2Col;
        })),
        new("out-of-memory", "im2col allocates without end", 1, 0, 1, Save(s =>
            s.Cell("im2col-answer").Source = """
                Tensor MyIm2Col(Tensor x, int fh, int fw)
                {
                    var hog = new List<float[]>();
                    while (true) hog.Add(new float[16 << 20]);
                }
                """)),
        new("native-memory", "fills memory outside the GC heap in the output-size answer", 0, 2, 1, Save(s =>
            s.Cell("conv-size-answer").Source = """
                var blocks = new List<IntPtr>();
                while (true)
                {
                    var block = System.Runtime.InteropServices.Marshal.AllocHGlobal(64 << 20);
                    for (int offset = 0; offset < 64 << 20; offset += 4096) System.Runtime.InteropServices.Marshal.WriteByte(block, offset, 1);
                    blocks.Add(block);
                }
                """ + "\n" + s.Cell("conv-size-answer").Source)),
        new("huge-output", "correct, but prints megabytes", 1, 2, 1, Save(s =>
            s.Cell("conv-size-answer").Source += "\nfor (int i = 0; i < 100_000; i++) Console.WriteLine(new string('x', 60));")),
        new("throws-in-setup", "breaks the read-only setup cell and adds a cell that throws", 1, 2, 1, Save(s =>
        {
            s.Cell("setup").Source = "throw new InvalidOperationException(\"no setup for me\");";
            s.Cell("conv-size-answer").Source = "throw new InvalidOperationException(\"nor here\");\n" + s.Cell("conv-size-answer").Source;
        })),
        new("calls-twin", "im2col by the library's own Im2Col (the exercise's library twin)", 1, 0, 1, Save(s =>
            s.Cell("im2col-answer").Source = "Tensor MyIm2Col(Tensor x, int fh, int fw) => CourseKit.Operations.Im2Col.Simple(x.Reshape(1, 1, x.Shape[0], x.Shape[1]), fh, fw);")),
        new("reads-source", "reads the instructor's notebook (solutions, hidden tests) and prints it", 0, 2, 1, Save(s =>
            s.Cell("conv-size-answer").Source = "Console.WriteLine(System.IO.File.ReadAllText(\"Exercises.ipynb\"));\n" + s.Cell("conv-size-answer").Source)),
        new("orphan", "starts a process that outlives it", 0, 2, 1, Save(s =>
            s.Cell("conv-size-answer").Source = "System.Diagnostics.Process.Start(\"sleep\", \"100000\");\n" + s.Cell("conv-size-answer").Source)),
        new("shadows-field", "a wrong im2col, and a field Im2Col whose Simple agrees with it", 1, 0, 1, Save(s =>
            s.Cell("im2col-answer").Source = WrongIm2Col + """

                class Fake { public Tensor Simple(Tensor x, int fh, int fw) => Tensor.Zeros((x.Shape[2] - fh + 1) * (x.Shape[3] - fw + 1), fh * fw); }
                Fake Im2Col = new();
                """)),
        new("redefines-input", "redefines the read-only input X the im2col test reads", 1, 0, 1, Save(s =>
            s.Cell("im2col-answer").Source += "\nvar X = Tensor.Zeros(4, 4);")),
        new("blank-answer", "leaves the output-size answer empty", 0, 2, 1, Save(s => s.Cell("conv-size-answer").Source = "// I don't know\n")),
        new("invalid-json", "a notebook file that is not valid JSON", 0, 0, 0, folder => File.WriteAllText(Path.Combine(folder, "Exercises.ipynb"), "{\"cells\": [")),
        new("missing", "hands in nothing", 0, 0, 0, _ => { }),
    ];

    /// <summary>Writes every student's folder under <paramref name="submissions"/>.</summary>
    public static void WriteAll(string submissions, IEnumerable<Student>? students = null)
    {
        foreach (var student in students ?? All)
        {
            string folder = Path.Combine(submissions, student.Name);
            Directory.CreateDirectory(folder);
            student.Write(folder);
        }
    }

    private static Action<string> Save(Action<Notebook> edit, bool released = false) => folder =>
    {
        var notebook = released ? StudentRelease.Release(GradingFixtures.Source()) : GradingFixtures.Source();
        edit(notebook);
        notebook.Save(Path.Combine(folder, "Exercises.ipynb"));
    };

    private static void Remove(Notebook notebook, params string[] gradeIds)
    {
        var cells = notebook.Cells.Where(c => gradeIds.Contains(GradingMarks.Of(c)?.GradeId)).Select(c => c.Json).ToList();
        var array = (JsonArray)cells[0].Parent!;
        foreach (var cell in cells) array.Remove(cell);
    }
}
