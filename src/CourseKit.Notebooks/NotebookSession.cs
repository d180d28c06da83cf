using System.Collections.Immutable;
using System.Diagnostics;
using CourseKit.Notebooks.Kernel;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Scripting;
using Microsoft.CodeAnalysis.Scripting;

namespace CourseKit.Notebooks;

public static partial class NotebookRunner
{
    /// <summary>
    /// One notebook's script state, cell after cell: the execution core shared by <see cref="Run"/> (which loops over
    /// a notebook), the grader's child (which gets its cells one at a time) and the Jupyter kernel (which gets them
    /// from the editor). The caller installs the console capture and chooses the working directory.
    /// </summary>
    public sealed class NotebookSession(string folder, string notebookName, TimeSpan cellTimeout)
    {
        private readonly ScriptOptions scriptOptions = ScriptOptionsFor(folder);

        private readonly KernelGlobals globals = new();
        private readonly object runningGate = new();
        private ScriptState<object>? state;
        private int executionCount;
        private (CellOutputCollector Outputs, Thread Thread)? running;

        /// <summary>Who sees each cell's outputs as they happen (the Jupyter kernel), or null.</summary>
        internal ICellOutputListener? Listener { get; init; }

        /// <summary>How many cells ran so far (the next one gets this plus one).</summary>
        public int ExecutionCount => executionCount;

        /// <summary>Runs <paramref name="cell"/> (number <paramref name="index"/> in its notebook), writing its outputs and execution count.</summary>
        public CellRun Run(NotebookCell cell, int index)
        {
            ConsoleCapture.Install();
            int count = ++executionCount;
            cell.ExecutionCount = count;
            var clock = Stopwatch.StartNew();
            var collector = new CellOutputCollector(Listener);
            var cellOptions = scriptOptions.WithFilePath($"{notebookName} cell {index + 1}");
            var (status, error, next) = PrepareSource(cell) switch
            {
                (null, var problem) => (CellStatus.Failed, problem, state),
                (var code, _) => RunCell(code, cellOptions, collector, count),
            };
            state = next;
            if (error is not null) collector.Add(CellOutput.Error(error.Name, error.Message, error.Traceback));
            cell.Json["outputs"] = collector.Finish();
            return new CellRun(index, count, status, clock.Elapsed, error);
        }

        /// <summary>
        /// Stops the running cell, if any: its next console write or display throws, and a wait or sleep is broken
        /// (Thread.Interrupt). A loop that neither prints nor waits runs on; Jupyter's restart ends it.
        /// </summary>
        public void Interrupt()
        {
            lock (runningGate)
            {
                if (running is not { } cell) return;
                cell.Outputs.Interrupt();
                cell.Thread.Interrupt();
            }
        }

        /// <summary>
        /// <paramref name="code"/> compiled as the next cell, for completion and inspection: its syntax tree and
        /// semantic model see every variable and type the earlier cells declared.
        /// </summary>
        internal (SyntaxTree Tree, SemanticModel Model) Analyze(string code)
        {
            var script = state is null
                ? CSharpScript.Create(code, scriptOptions, typeof(KernelGlobals))
                : state.Script.ContinueWith(code, scriptOptions);
            var compilation = script.GetCompilation();
            var tree = compilation.SyntaxTrees.First(t => t.GetText().ToString() == code);
            return (tree, compilation.GetSemanticModel(tree));
        }

        /// <summary>
        /// Runs one cell on its own thread: compiles it, then waits at most the cell timeout for it to run
        /// (compiling is not timed: the first cell pays seconds of compiler warm-up). A runtime exception keeps the state
        /// the cell reached (as in Polyglot, its earlier declarations stay); a compile error keeps the previous state.
        /// </summary>
        private (CellStatus, CellError?, ScriptState<object>?) RunCell(string code, ScriptOptions options, CellOutputCollector collector, int count)
        {
            var previous = state;
            (CellStatus, CellError?, ScriptState<object>?) outcome = (CellStatus.Failed, null, previous);
            // completion sources, not disposable events: an abandoned cell that ends later still signals safely
            var compiled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var finished = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var thread = new Thread(() =>
            {
                KernelContext.Current = collector;
                try
                {
                    var script = previous is null
                        ? CSharpScript.Create(code, options, typeof(KernelGlobals))
                        : previous.Script.ContinueWith(code, options);
                    var errors = script.Compile().Where(d => d.Severity == DiagnosticSeverity.Error).ToImmutableArray();
                    compiled.TrySetResult();
                    if (errors.Length > 0) throw new CompilationErrorException("The cell does not compile.", errors);

                    var next = previous is null
                        ? script.RunAsync(globals, catchException: _ => true).GetAwaiter().GetResult()
                        : script.RunFromAsync(previous, catchException: _ => true).GetAwaiter().GetResult();
                    if (next.Exception is { } thrown)
                    {
                        outcome = (CellStatus.Failed, CellError.FromException(thrown), next);
                        return;
                    }
                    if (next.ReturnValue is { } value)
                        collector.Add(CellOutput.ExecuteResult(count, RichFormatter.Format(value, [])));
                    outcome = (CellStatus.Passed, null, next);
                }
                catch (CompilationErrorException e) { outcome = (CellStatus.Failed, CellError.FromCompilation(e), previous); }
                catch (Exception e) { outcome = (CellStatus.Failed, CellError.FromException(e), previous); }
                finally
                {
                    KernelContext.Current = null;
                    compiled.TrySetResult();
                    finished.TrySetResult();
                }
            }, maxStackSize: 16 * 1024 * 1024)
            {
                IsBackground = true,
                Name = $"notebook cell [{count}]",
            };
            lock (runningGate) running = (collector, thread);
            try
            {
                thread.Start();
                compiled.Task.Wait();
                if (!finished.Task.Wait(cellTimeout)) return (CellStatus.TimedOut, CellError.Timeout(cellTimeout), null);
                return outcome;
            }
            finally
            {
                lock (runningGate) running = null;
            }
        }
    }
}
