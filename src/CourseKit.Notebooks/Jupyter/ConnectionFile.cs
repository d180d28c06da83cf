using System.Text.Json.Nodes;

namespace CourseKit.Notebooks.Jupyter;

/// <summary>
/// The JSON file a Jupyter client writes before it starts a kernel (<c>kernel -f {connection_file}</c>): where the
/// five sockets listen and the key that signs every message.
/// </summary>
internal sealed record ConnectionFile(
    string Transport, string Ip, int ShellPort, int IopubPort, int StdinPort, int ControlPort, int HeartbeatPort,
    string Key, string SignatureScheme)
{
    public static ConnectionFile Load(string path)
    {
        var json = JsonNode.Parse(File.ReadAllText(path))?.AsObject()
            ?? throw new InvalidDataException($"{path} is not a Jupyter connection file (a JSON object).");
        int Port(string name) => (int?)json[name]
            ?? throw new InvalidDataException($"{path} has no {name}: it is not a Jupyter connection file.");
        return new ConnectionFile(
            (string?)json["transport"] ?? "tcp", (string?)json["ip"] ?? "127.0.0.1",
            Port("shell_port"), Port("iopub_port"), Port("stdin_port"), Port("control_port"), Port("hb_port"),
            (string?)json["key"] ?? "", (string?)json["signature_scheme"] ?? "hmac-sha256");
    }

    /// <summary>The address a socket binds, for example tcp://127.0.0.1:5555.</summary>
    public string Address(int port) => Transport == "ipc" ? $"ipc://{Ip}-{port}" : $"{Transport}://{Ip}:{port}";
}
