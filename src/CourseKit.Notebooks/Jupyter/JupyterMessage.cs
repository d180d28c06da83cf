using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace CourseKit.Notebooks.Jupyter;

/// <summary>
/// One message of the Jupyter messaging protocol (version 5.3) and its wire format: the routing identities, the
/// delimiter <c>&lt;IDS|MSG&gt;</c>, the signature, then header, parent header, metadata and content as JSON frames.
/// </summary>
internal sealed record JupyterMessage(IReadOnlyList<byte[]> Identities, JsonObject Header, JsonObject ParentHeader, JsonObject Metadata, JsonObject Content)
{
    public const string ProtocolVersion = "5.3";

    private static readonly byte[] Delimiter = "<IDS|MSG>"u8.ToArray();

    public string Type => (string?)Header["msg_type"] ?? "";

    /// <summary>
    /// The message in <paramref name="frames"/>, or null with the reason when it is malformed or not signed with the
    /// session's key (such a message is dropped: whoever sent it does not hold the key, so it must not run code).
    /// </summary>
    public static (JupyterMessage? Message, string? Problem) Parse(IReadOnlyList<byte[]> frames, MessageSigner signer)
    {
        int delimiter = -1;
        for (int i = 0; i < frames.Count && delimiter < 0; i++)
            if (frames[i].AsSpan().SequenceEqual(Delimiter)) delimiter = i;
        if (delimiter < 0) return (null, "no <IDS|MSG> delimiter");
        if (frames.Count < delimiter + 6) return (null, $"{frames.Count - delimiter - 1} frames after the delimiter, expected 5");

        var parts = frames.Skip(delimiter + 2).Take(4).ToArray();
        if (!signer.Verify(Encoding.ASCII.GetString(frames[delimiter + 1]), parts)) return (null, "bad signature");
        try
        {
            var objects = parts.Select(p => JsonNode.Parse(p)?.AsObject() ?? throw new JsonException("null")).ToArray();
            if (objects[0]["msg_type"] is null || objects[0]["msg_id"] is null) return (null, "a header without msg_type or msg_id");
            return (new JupyterMessage(frames.Take(delimiter).ToArray(), objects[0], objects[1], objects[2], objects[3]), null);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            return (null, "a frame that is not a JSON object");
        }
    }

    /// <summary>A new message of <paramref name="type"/> in reply to (or caused by) <paramref name="parent"/>.</summary>
    public static JupyterMessage Create(string type, JsonObject content, JupyterMessage? parent, IReadOnlyList<byte[]>? identities = null)
    {
        var header = new JsonObject
        {
            ["msg_id"] = Guid.NewGuid().ToString("N"),
            ["session"] = (string?)parent?.Header["session"] ?? SessionId,
            ["username"] = (string?)parent?.Header["username"] ?? "kernel",
            ["date"] = DateTimeOffset.UtcNow.ToString("yyyy-MM-ddTHH:mm:ss.ffffffZ"),
            ["msg_type"] = type,
            ["version"] = ProtocolVersion,
        };
        return new JupyterMessage(identities ?? parent?.Identities ?? [], header, parent?.Header.DeepClone().AsObject() ?? [], [], content);
    }

    public List<byte[]> ToFrames(MessageSigner signer)
    {
        var parts = new[] { Header, ParentHeader, Metadata, Content }.Select(o => Encoding.UTF8.GetBytes(o.ToJsonString())).ToArray();
        return [.. Identities, Delimiter, Encoding.ASCII.GetBytes(signer.Sign(parts)), .. parts];
    }

    private static readonly string SessionId = Guid.NewGuid().ToString("N");
}
