using System.Text.Json.Nodes;
using CourseKit.Notebooks.Jupyter;
using CourseKit.Tests.Notebooks;

namespace CourseKit.Tests.Kernel;

/// <summary>
/// CourseKit's kernel driven by Jupyter's own client (drive-kernel.py, one kernel and its restart for all of these):
/// what an editor sends while a student works, and what the kernel must refuse.
/// </summary>
public class JupyterKernelTests(JupyterKernelTests.Session session) : IClassFixture<JupyterKernelTests.Session>
{
    /// <summary>One run of drive-kernel.py; its JSON answers, scenario by scenario.</summary>
    public sealed class Session
    {
        private readonly Lazy<JsonObject> result = new(Drive);

        public JsonObject this[string scenario] => result.Value[scenario]?.AsObject()
            ?? throw new InvalidOperationException($"drive-kernel.py wrote no '{scenario}'.");

        public int? ExitCodeAfterShutdown => (int?)result.Value["exit_code_after_shutdown"];

        private static JsonObject Drive()
        {
            Assert.True(CourseKitKernel.Missing() is null, CourseKitKernel.Missing());
            string json = Path.Combine(RepositoryPaths.NewTempFolder(), "kernel.json");
            string script = Path.Combine(RepositoryPaths.Root, "tests", "CourseKit.Tests", "Kernel", "drive-kernel.py");
            var (code, output) = CourseKitKernel.RunPython([script, json], TimeSpan.FromMinutes(15), CourseKitKernel.JupyterPath);
            Assert.True(code == 0 && File.Exists(json), $"drive-kernel.py failed ({code}):\n{output}");
            return JsonNode.Parse(File.ReadAllText(json))!.AsObject();
        }
    }

    [Fact]
    public void KernelInfoSaysCourseKitsCSharpKernel()
    {
        var info = session["kernel_info"];

        Assert.Equal("coursekit", (string?)info["implementation"]);
        Assert.Equal("C#", (string?)info["language_info"]!["name"]);
        Assert.Equal("5.3", (string?)info["protocol_version"]);
    }

    [Fact]
    public void ExecuteSendsTheInputTheConsoleTextTheDisplayAndTheResultInOrder()
    {
        var run = session["execute"];

        Assert.Equal("ok", (string?)run["reply"]!["status"]);
        Assert.Equal(1, (int?)run["reply"]!["execution_count"]);
        Assert.Equal(["execute_input", "stream", "display_data", "execute_result"], Types(run));
        Assert.Equal("hello from the cell\n", (string?)Output(run, "stream")["text"]);
        Assert.Equal("<b>shown</b>", (string?)Output(run, "display_data")["data"]!["text/html"]);
        Assert.Equal("42", (string?)Output(run, "execute_result")["data"]!["text/plain"]);
        Assert.Equal(1, (int?)Output(run, "execute_result")["execution_count"]);
    }

    [Fact]
    public void AnErrorNamesTheExceptionTheCellAndTheLineAndTheStateBeforeItStays()
    {
        var run = session["error"];

        Assert.Equal("error", (string?)run["reply"]!["status"]);
        var error = Output(run, "error");
        Assert.Equal("System.InvalidOperationException", (string?)error["ename"]);
        Assert.Equal("deliberate, y = 2", (string?)error["evalue"]);
        Assert.Contains(error["traceback"]!.AsArray(), line => ((string?)line)!.EndsWith("In cell 2:line 2"));
        // y was declared by the failing cell before its throw, as in Polyglot
        Assert.Equal("20", (string?)Output(session["after_error"], "execute_result")["data"]!["text/plain"]);
    }

    [Fact]
    public void AnUpdatedDisplayIsRedrawnInPlaceUnderItsDisplayId()
    {
        var run = session["update"];

        Assert.Equal(["execute_input", "display_data", "update_display_data", "update_display_data"], Types(run));
        var outputs = run["outputs"]!.AsArray().Skip(1).Select(o => o!["content"]!).ToList();
        string id = (string)outputs[0]["transient"]!["display_id"]!;
        Assert.All(outputs, o => Assert.Equal(id, (string?)o["transient"]!["display_id"]));
        Assert.Equal(["first", "second", "third"], outputs.Select(o => (string?)o["data"]!["text/plain"]));
    }

    [Fact]
    public void InterruptStopsARunningLoopAndTheKernelKeepsItsState()
    {
        var run = session["interrupt"];

        Assert.Equal("error", (string?)run["reply"]!["status"]);
        Assert.Contains((string?)run["reply"]!["ename"], new[] { "System.Threading.ThreadInterruptedException", "System.OperationCanceledException" });
        Assert.Contains("stream", Types(run));
        // the kernel survived, with the loop's variable as far as it got
        Assert.Equal("True", (string?)Output(session["after_interrupt"], "execute_result")["data"]!["text/plain"]);
    }

    [Fact]
    public void AMessageSignedWithAnotherKeyOrMalformedIsDroppedAndNeverRuns()
    {
        var run = session["after_forged"];

        // the forged cell declared `forged`; it does not exist, and the kernel answers the next signed request
        Assert.Equal("error", (string?)run["reply"]!["status"]);
        Assert.Contains("CS0103: The name 'forged' does not exist", (string?)run["reply"]!["evalue"]);
        Assert.Equal(7, (int?)run["reply"]!["execution_count"]); // only the six signed cells ran before
    }

    [Fact]
    public void CompletionListsMembersAfterADotAndTheEarlierCellsVariables()
    {
        var member = session["complete_member"];
        Assert.Equal(["Sqrt"], member["matches"]!.AsArray().Select(m => (string?)m));
        Assert.Equal(5, (int?)member["cursor_start"]);

        var variable = session["complete_variable"];
        Assert.Equal(["step"], variable["matches"]!.AsArray().Select(m => (string?)m));
    }

    [Fact]
    public void InspectShowsTheTypeOfTheNameUnderTheCursor()
    {
        var inspect = session["inspect"];

        Assert.True((bool)inspect["found"]!);
        Assert.Equal("int step", (string?)inspect["data"]!["text/plain"]);
    }

    [Fact]
    public void IsCompleteTellsAnOpenBlockFromAFinishedStatement()
    {
        Assert.Equal("incomplete", (string?)session["is_complete_open"]["status"]);
        Assert.Equal("complete", (string?)session["is_complete_done"]["status"]);
    }

    [Fact]
    public void RestartStartsAFreshStateAndShutdownEndsTheProcess()
    {
        var after = session["after_restart"];
        Assert.Equal("error", (string?)after["reply"]!["status"]);
        Assert.Contains("CS0103: The name 'step' does not exist", (string?)after["reply"]!["evalue"]);
        Assert.Equal(1, (int?)after["reply"]!["execution_count"]);
        Assert.Equal("2", (string?)Output(session["restarted_runs"], "execute_result")["data"]!["text/plain"]);
        Assert.Equal(0, session.ExitCodeAfterShutdown);
    }

    [Fact]
    public void KernelspecStartsThisProgramWithTheConnectionFile()
    {
        string folder = KernelSpec.Write(Path.Combine(RepositoryPaths.NewTempFolder(), "kernels"), ["/opt/dotnet/dotnet", "/opt/coursekit/CourseKit.Cli.dll"]);
        var spec = JsonNode.Parse(File.ReadAllText(Path.Combine(folder, "kernel.json")))!;

        Assert.Equal("coursekit-csharp", Path.GetFileName(folder));
        Assert.Equal(["/opt/dotnet/dotnet", "/opt/coursekit/CourseKit.Cli.dll", "kernel", "-f", "{connection_file}"], spec["argv"]!.AsArray().Select(a => (string?)a));
        Assert.Equal("C# (CourseKit kernel)", (string?)spec["display_name"]);
        Assert.Equal("C#", (string?)spec["language"]);
    }

    private static List<string?> Types(JsonObject run) => [.. run["outputs"]!.AsArray().Select(o => (string?)o!["msg_type"])];

    private static JsonNode Output(JsonObject run, string type) => run["outputs"]!.AsArray().First(o => (string?)o!["msg_type"] == type)!["content"]!;
}
