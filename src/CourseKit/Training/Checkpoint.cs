using System.Text;
using CourseKit.Layers;

namespace CourseKit.Training;

/// <summary>
/// Saving and loading a network's parameters (and buffers such as running statistics).
/// File format, little-endian: magic "CKPT", int32 version (1), int32 count; then per tensor its name
/// (length-prefixed UTF-8), int32 rank, int32 dims, float32 values; finally the magic "END!" so that a
/// truncated file is recognised. Files are written to a temporary file first and then renamed, so a crash
/// never leaves half a checkpoint under the real name.
/// </summary>
public static class Checkpoint
{
    public const int Version = 1;
    private static readonly byte[] Magic = "CKPT"u8.ToArray();
    private static readonly byte[] EndMagic = "END!"u8.ToArray();

    public static void Save(Layer network, string path)
    {
        string full = Path.GetFullPath(path);
        string temp = full + $".{Guid.NewGuid():N}.tmp";
        try
        {
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write))
            using (var writer = new BinaryWriter(stream, Encoding.UTF8))
            {
                var state = network.State().ToList();
                writer.Write(Magic);
                writer.Write(Version);
                writer.Write(state.Count);
                foreach (var (name, value) in state)
                {
                    writer.Write(name);
                    writer.Write(value.Rank);
                    foreach (int d in value.Shape) writer.Write(d);
                    var data = value.ToArray();
                    writer.Write(System.Runtime.InteropServices.MemoryMarshal.AsBytes(data.AsSpan()));
                }
                writer.Write(EndMagic);
                writer.Flush();
                stream.Flush(flushToDisk: true);
            }
            File.Move(temp, full, overwrite: true);
        }
        finally
        {
            if (File.Exists(temp)) File.Delete(temp);
        }
    }

    /// <summary>
    /// Loads into <paramref name="network"/>'s tensors. Every name and shape must match the network;
    /// otherwise nothing is changed and the error names the first tensor (layer) that differs and both shapes.
    /// </summary>
    public static void Load(Layer network, string path)
    {
        var expected = network.State().ToList();
        var file = new List<(string Name, Shape Shape, float[] Data)>();
        using (var stream = File.OpenRead(path))
        using (var reader = new BinaryReader(stream, Encoding.UTF8))
        {
            try
            {
                if (!reader.ReadBytes(4).AsSpan().SequenceEqual(Magic))
                    throw new InvalidDataException($"Checkpoint.Load: {path} is not a CourseKit checkpoint (it does not start with \"CKPT\").");
                int version = reader.ReadInt32();
                if (version != Version)
                    throw new InvalidDataException($"Checkpoint.Load: {path} has format version {version}; this library reads version {Version}.");
                int count = reader.ReadInt32();
                if (count < 0) throw new InvalidDataException($"Checkpoint.Load: {path} is corrupt (it claims {count} tensors).");
                for (int i = 0; i < count; i++)
                {
                    string fileName = reader.ReadString();
                    int rank = reader.ReadInt32();
                    if (rank is < 0 or > 8) throw new InvalidDataException($"Checkpoint.Load: {path} is corrupt (tensor {fileName} claims rank {rank}).");
                    var dims = new int[rank];
                    for (int d = 0; d < rank; d++) dims[d] = reader.ReadInt32();
                    if (dims.Any(d => d < 0)) throw new InvalidDataException($"Checkpoint.Load: {path} is corrupt (tensor {fileName} has a negative size).");
                    var fileShape = new Shape(dims);
                    // a tensor the network does not expect here is not read into memory: the comparison below names it
                    bool fits = i < expected.Count && expected[i].Name == fileName && expected[i].Value.Shape == fileShape;
                    long bytes = (long)fileShape.Size * sizeof(float);
                    if (!fits)
                    {
                        if (stream.Position + bytes > stream.Length) throw new EndOfStreamException();
                        stream.Seek(bytes, SeekOrigin.Current);
                        file.Add((fileName, fileShape, []));
                        continue;
                    }
                    var data = reader.ReadBytes((int)bytes);
                    if (data.Length != bytes) throw new EndOfStreamException();
                    file.Add((fileName, fileShape, System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(data).ToArray()));
                }
                if (!reader.ReadBytes(4).AsSpan().SequenceEqual(EndMagic)) throw new EndOfStreamException();
            }
            catch (EndOfStreamException)
            {
                throw new InvalidDataException($"Checkpoint.Load: {path} is truncated ({new FileInfo(path).Length} bytes); it ends before all tensors were read.");
            }
        }
        for (int i = 0; i < Math.Min(file.Count, expected.Count); i++)
        {
            var (name, value) = expected[i];
            if (file[i].Name != name)
                throw new InvalidDataException($"Checkpoint.Load: {path} was saved from a different architecture: tensor {i + 1} of {network.Name} is '{name}' {value.Shape}, " +
                                               $"but the file has '{file[i].Name}' {file[i].Shape} there.");
            if (file[i].Shape != value.Shape)
                throw new InvalidDataException($"Checkpoint.Load: shape mismatch for '{name}': the network has {value.Shape} but {path} has {file[i].Shape} " +
                                               "(saved from a different architecture?).");
        }
        if (file.Count != expected.Count)
            throw new InvalidDataException(file.Count < expected.Count
                ? $"Checkpoint.Load: {path} holds {file.Count} tensors but {network.Name} has {expected.Count}: it was saved from a different architecture; the first tensor it lacks is '{expected[file.Count].Name}' {expected[file.Count].Value.Shape}."
                : $"Checkpoint.Load: {path} holds {file.Count} tensors but {network.Name} has {expected.Count}: it was saved from a different architecture; the first extra one is '{file[expected.Count].Name}' {file[expected.Count].Shape}.");
        for (int i = 0; i < expected.Count; i++) expected[i].Value.Storage.CopyFrom(file[i].Data);
    }
}
