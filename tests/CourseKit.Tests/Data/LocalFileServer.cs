using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace CourseKit.Tests.Data;

/// <summary>
/// A tiny HTTP server on 127.0.0.1 for download tests: <see cref="Respond"/> decides, per path and per request
/// number (1, 2, ...), the status code and body. Never touches the internet.
/// </summary>
internal sealed class LocalFileServer : IDisposable
{
    private readonly HttpListener listener = new();
    private readonly Task loop;
    private readonly ConcurrentDictionary<string, int> requests = new();

    public LocalFileServer(Func<string, int, (int Status, byte[]? Body)> respond)
    {
        Respond = respond;
        for (int tries = 0; ; tries++)
        {
            Port = FreePort();
            listener.Prefixes.Clear();
            listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
            try { listener.Start(); break; }
            catch (HttpListenerException) when (tries < 5) { }
        }
        loop = Task.Run(Serve);
    }

    /// <summary>Serves <paramref name="files"/> by path ("/name"); anything else is 404.</summary>
    public static LocalFileServer ServingFiles(IReadOnlyDictionary<string, byte[]> files) =>
        new((path, _) => files.TryGetValue(path, out var body) ? (200, body) : (404, null));

    public Func<string, int, (int Status, byte[]? Body)> Respond { get; }

    public int Port { get; private set; }

    public Uri Url(string folder = "") => new($"http://127.0.0.1:{Port}/{folder}");

    /// <summary>How many requests a path ("/name") has received.</summary>
    public int RequestsFor(string path) => requests.TryGetValue(path, out int n) ? n : 0;

    public int TotalRequests => requests.Values.Sum();

    /// <summary>A port nobody listens on at the moment (for the offline test, and to pick ours).</summary>
    public static int FreePort()
    {
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        int port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        return port;
    }

    private async Task Serve()
    {
        while (listener.IsListening)
        {
            HttpListenerContext context;
            try { context = await listener.GetContextAsync(); }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException) { return; }
            string path = context.Request.Url!.AbsolutePath;
            int number = requests.AddOrUpdate(path, 1, (_, n) => n + 1);
            var (status, body) = Respond(path, number);
            context.Response.StatusCode = status;
            try
            {
                if (body is not null)
                {
                    context.Response.ContentLength64 = body.Length;
                    await context.Response.OutputStream.WriteAsync(body);
                }
                context.Response.Close();
            }
            catch (Exception e) when (e is HttpListenerException or IOException) { }
        }
    }

    public void Dispose()
    {
        listener.Stop();
        listener.Close();
        loop.Wait(TimeSpan.FromSeconds(5));
    }
}
