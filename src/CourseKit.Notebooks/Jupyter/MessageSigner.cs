using System.Security.Cryptography;
using System.Text;

namespace CourseKit.Notebooks.Jupyter;

/// <summary>
/// The signature of a Jupyter message: HMAC-SHA256 of its header, parent header, metadata and content frames, keyed
/// by the connection file's key, as lowercase hex. An empty key turns signing off (the protocol allows it).
/// </summary>
internal sealed class MessageSigner
{
    private readonly byte[] key;

    public MessageSigner(string key, string scheme)
    {
        if (key.Length > 0 && scheme != "hmac-sha256")
            throw new NotSupportedException($"The connection file asks for the signature scheme '{scheme}'; this kernel signs with hmac-sha256 only.");
        this.key = Encoding.UTF8.GetBytes(key);
    }

    public string Sign(IReadOnlyList<byte[]> frames)
    {
        if (key.Length == 0) return "";
        using var hmac = new HMACSHA256(key);
        foreach (var frame in frames) hmac.TransformBlock(frame, 0, frame.Length, null, 0);
        hmac.TransformFinalBlock([], 0, 0);
        return Convert.ToHexStringLower(hmac.Hash!);
    }

    /// <summary>True when <paramref name="signature"/> is the frames' signature (compared in constant time).</summary>
    public bool Verify(string signature, IReadOnlyList<byte[]> frames) =>
        key.Length == 0 || CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(signature), Encoding.ASCII.GetBytes(Sign(frames)));
}
