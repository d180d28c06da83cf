using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json.Nodes;
using CourseKit.Notebooks.Kernel;
using NetMQ;
using NetMQ.Sockets;

namespace CourseKit.Notebooks.Jupyter;

/// <summary>
/// A Jupyter kernel on CourseKit's runner: the messaging protocol over ZeroMQ's five sockets (shell for requests,
/// iopub for outputs and status, control for interrupt and shutdown, stdin, heartbeat), every cell run by the same
/// <see cref="NotebookRunner.NotebookSession"/> as <c>coursekit run</c>. Outputs reach the editor as they happen.
/// </summary>
/// <remarks>
/// A restart is a shutdown_request with restart=true: the client then starts a new kernel process, so this one just
/// ends. Messages that are malformed or not signed with the connection file's key are dropped and logged on stderr.
/// </remarks>
internal sealed class JupyterKernel : ICellOutputListener
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(100);

    private readonly ConnectionFile connection;
    private readonly MessageSigner signer;
    private readonly TextWriter log;
    private readonly NotebookRunner.NotebookSession session;
    private readonly object iopubGate = new();
    private readonly ConditionalWeakTable<JsonObject, string> displayIds = new();
    private readonly ManualResetEventSlim stopping = new();
    private PublisherSocket? iopub;
    private volatile JupyterMessage? currentRequest;

    public JupyterKernel(ConnectionFile connection, TextWriter log)
    {
        this.connection = connection;
        this.log = log;
        signer = new MessageSigner(connection.Key, connection.SignatureScheme);
        // the notebook's folder: Jupyter clients start the kernel there, as #r paths expect
        session = new NotebookRunner.NotebookSession(Directory.GetCurrentDirectory(), "In", Timeout.InfiniteTimeSpan) { Listener = this };
    }

    /// <summary>Serves until a shutdown_request; returns the exit code.</summary>
    public int Run()
    {
        using var shell = new RouterSocket();
        using var control = new RouterSocket();
        using var stdin = new RouterSocket();
        using var heartbeat = new RouterSocket();
        using var publisher = new PublisherSocket();
        foreach (var (socket, port) in new (NetMQSocket, int)[]
                 { (shell, connection.ShellPort), (control, connection.ControlPort), (stdin, connection.StdinPort), (heartbeat, connection.HeartbeatPort), (publisher, connection.IopubPort) })
        {
            socket.Options.Linger = TimeSpan.FromSeconds(1);
            socket.Bind(connection.Address(port));
        }
        iopub = publisher;
        // Ctrl+C in a terminal, or a client whose kernelspec says interrupt_mode "signal": stop the cell, not the kernel
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, context =>
        {
            context.Cancel = true;
            session.Interrupt();
        });
        Publish("status", new JsonObject { ["execution_state"] = "starting" }, null);

        var threads = new[]
        {
            new Thread(() => Serve(heartbeat, frames => heartbeat.SendMultipartBytes(frames))) { Name = "jupyter heartbeat", IsBackground = true },
            new Thread(() => Serve(control, frames => Handle(control, frames))) { Name = "jupyter control", IsBackground = true },
            new Thread(() => Serve(shell, frames => Handle(shell, frames))) { Name = "jupyter shell", IsBackground = true },
        };
        foreach (var thread in threads) thread.Start();
        stopping.Wait();
        // the shell thread may be inside a cell that never ends: the loops that can stop are awaited, not that one
        foreach (var thread in threads) thread.Join(TimeSpan.FromSeconds(2));
        iopub = null;
        return 0;
    }

    private void Serve(NetMQSocket socket, Action<List<byte[]>> handle)
    {
        var frames = new List<byte[]>();
        while (!stopping.IsSet)
        {
            if (!socket.TryReceiveMultipartBytes(Poll, ref frames)) continue;
            try { handle(frames); }
            catch (Exception e) { log.WriteLine($"coursekit kernel: {e}"); }
        }
    }

    private void Handle(NetMQSocket socket, List<byte[]> frames)
    {
        var (request, problem) = JupyterMessage.Parse(frames, signer);
        if (request is null)
        {
            log.WriteLine($"coursekit kernel: dropped a message on the {(socket.Options.LastEndpoint ?? "?")} socket: {problem}.");
            return;
        }
        Publish("status", new JsonObject { ["execution_state"] = "busy" }, request);
        try
        {
            (string type, JsonObject content)? reply = request.Type switch
            {
                "kernel_info_request" => ("kernel_info_reply", KernelInfo()),
                "execute_request" => ("execute_reply", Execute(request)),
                "is_complete_request" => ("is_complete_reply", CodeAssistance.IsComplete(Code(request))),
                "complete_request" => ("complete_reply", CodeAssistance.Complete(session, Code(request), Cursor(request))),
                "inspect_request" => ("inspect_reply", CodeAssistance.Inspect(session, Code(request), Cursor(request))),
                "comm_info_request" => ("comm_info_reply", new JsonObject { ["status"] = "ok", ["comms"] = new JsonObject() }),
                "history_request" => ("history_reply", new JsonObject { ["status"] = "ok", ["history"] = new JsonArray() }),
                "interrupt_request" => ("interrupt_reply", Interrupt()),
                "shutdown_request" => ("shutdown_reply", new JsonObject { ["status"] = "ok", ["restart"] = (bool?)request.Content["restart"] ?? false }),
                _ => null,
            };
            if (reply is { } r) Send(socket, JupyterMessage.Create(r.type, r.content, request));
            else log.WriteLine($"coursekit kernel: no reply to an unknown {request.Type}.");
        }
        finally
        {
            Publish("status", new JsonObject { ["execution_state"] = "idle" }, request);
        }
        if (request.Type == "shutdown_request") stopping.Set();
    }

    private JsonObject Execute(JupyterMessage request)
    {
        string code = Code(request);
        bool silent = (bool?)request.Content["silent"] ?? false;
        int count = session.ExecutionCount + 1;
        if (!silent) Publish("execute_input", new JsonObject { ["code"] = code, ["execution_count"] = count }, request);
        currentRequest = request;
        var cell = NotebookCell.NewCode(code, $"in-{count}");
        var run = session.Run(cell, count - 1);
        currentRequest = null;
        if (run.Error is not { } error)
            return new JsonObject { ["status"] = "ok", ["execution_count"] = count, ["user_expressions"] = new JsonObject(), ["payload"] = new JsonArray() };
        return new JsonObject
        {
            ["status"] = "error",
            ["execution_count"] = count,
            ["ename"] = error.Name,
            ["evalue"] = error.Message,
            ["traceback"] = new JsonArray([.. error.Traceback.Select(line => (JsonNode)line)]),
        };
    }

    private JsonObject Interrupt()
    {
        session.Interrupt();
        return new JsonObject { ["status"] = "ok" };
    }

    private static JsonObject KernelInfo() => new()
    {
        ["status"] = "ok",
        ["protocol_version"] = JupyterMessage.ProtocolVersion,
        ["implementation"] = "coursekit",
        ["implementation_version"] = typeof(JupyterKernel).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0",
        ["language_info"] = new JsonObject
        {
            // as .NET Interactive says it, so editors pick the same highlighting for the course's notebooks
            ["name"] = "C#",
            ["version"] = "latest",
            ["mimetype"] = "text/x-csharp",
            ["file_extension"] = ".cs",
            ["pygments_lexer"] = "csharp",
            ["codemirror_mode"] = "text/x-csharp",
        },
        ["banner"] = $"CourseKit's C# kernel (Roslyn scripting on .NET {Environment.Version})",
        ["help_links"] = new JsonArray(),
    };

    // ICellOutputListener: a cell's outputs, sent on iopub as they happen, under the execute_request that runs
    void ICellOutputListener.Added(JsonObject output)
    {
        var parent = currentRequest;
        switch ((string?)output["output_type"])
        {
            case "stream":
                Publish("stream", new JsonObject { ["name"] = (string?)output["name"], ["text"] = MultilineText.Read(output["text"]) }, parent);
                break;
            case "display_data":
                Publish("display_data", DisplayContent(output), parent);
                break;
            case "execute_result":
                Publish("execute_result", new JsonObject
                {
                    ["execution_count"] = (int?)output["execution_count"],
                    ["data"] = Data(output),
                    ["metadata"] = new JsonObject(),
                }, parent);
                break;
            case "error":
                Publish("error", new JsonObject
                {
                    ["ename"] = (string?)output["ename"],
                    ["evalue"] = (string?)output["evalue"],
                    ["traceback"] = output["traceback"]?.DeepClone(),
                }, parent);
                break;
        }
    }

    // a progress bar's Update: the editor redraws the output that has this display id
    void ICellOutputListener.Updated(JsonObject output) => Publish("update_display_data", DisplayContent(output), currentRequest);

    private JsonObject DisplayContent(JsonObject output) => new()
    {
        ["data"] = Data(output),
        ["metadata"] = new JsonObject(),
        ["transient"] = new JsonObject { ["display_id"] = displayIds.GetValue(output, _ => Guid.NewGuid().ToString("N")) },
    };

    // nbformat keeps text as a list of lines; on the wire each MIME type is one string
    private static JsonObject Data(JsonObject output)
    {
        var data = new JsonObject();
        lock (output)
        {
            foreach (var (mime, text) in output["data"]!.AsObject()) data[mime] = MultilineText.Read(text);
        }
        return data;
    }

    private void Publish(string type, JsonObject content, JupyterMessage? parent)
    {
        lock (iopubGate)
        {
            if (iopub is null) return;
            var message = JupyterMessage.Create(type, content, parent, [Encoding.UTF8.GetBytes(type)]);
            iopub.SendMultipartBytes(message.ToFrames(signer));
        }
    }

    private void Send(NetMQSocket socket, JupyterMessage message) => socket.SendMultipartBytes(message.ToFrames(signer));

    private static string Code(JupyterMessage request) => (string?)request.Content["code"] ?? "";

    private static int Cursor(JupyterMessage request) => (int?)request.Content["cursor_pos"] ?? Code(request).Length;
}
