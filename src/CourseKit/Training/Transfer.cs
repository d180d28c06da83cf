using CourseKit.Layers;

namespace CourseKit.Training;

/// <summary>
/// Transfer of features (lecture 3.4): a model trained for one task lends its learned layers "up to the middle" to a
/// model for a related task. <see cref="CopyLayers"/> copies them (checked layer by layer), <see cref="ReplaceHead"/>
/// gives a network a new output part, and <see cref="Layer.Freeze"/> keeps the copied layers as they are while the
/// rest learns.
/// </summary>
public static class Transfer
{
    /// <summary>
    /// Copies the learned values (parameters and buffers such as batch normalization's running statistics) of the first
    /// <paramref name="layers"/> layers of <paramref name="source"/> into the same layers of <paramref name="target"/>.
    /// The layers must be of the same kinds with tensors of the same shapes; a mismatch names the layer.
    /// </summary>
    public static void CopyLayers(Sequential source, Sequential target, int layers)
    {
        CheckLayerCount(source, target, layers);
        for (int i = 0; i < layers; i++) CopyLayer(source, target, i);
    }

    /// <summary>
    /// Copies every learned value of <paramref name="source"/> into <paramref name="target"/>, a network of the same
    /// layers (a copy of a trained model, or the same model on another device: the values move between devices).
    /// </summary>
    public static void CopyLayers(Sequential source, Sequential target)
    {
        if (source.Layers.Count != target.Layers.Count)
            throw new ArgumentException(
                $"Transfer.CopyLayers: {source.Name} has {source.Layers.Count} layers but {target.Name} {target.Layers.Count}; to copy only the first ones, give their number.");
        CopyLayers(source, target, source.Layers.Count);
    }

    private static void CheckLayerCount(Sequential source, Sequential target, int layers)
    {
        if (layers < 0 || layers > source.Layers.Count || layers > target.Layers.Count)
            throw new ArgumentOutOfRangeException(nameof(layers),
                $"Transfer.CopyLayers: cannot copy {layers} layers: the source {source.Name} has {source.Layers.Count}, the target {target.Name} {target.Layers.Count}.");
    }

    private static void CopyLayer(Sequential source, Sequential target, int i)
    {
        Layer from = source[i], to = target[i];
        if (from.GetType() != to.GetType())
            throw new ArgumentException(
                $"Transfer.CopyLayers: layer {i + 1} is {from.Name} ({from.GetType().Name}) in {source.Name} but {to.Name} ({to.GetType().Name}) in {target.Name}; the layers copied must be of the same kinds, in the same order.");
        var fromState = from.State().ToList();
        var toState = to.State().ToList();
        if (fromState.Count != toState.Count)
            throw new ArgumentException($"Transfer.CopyLayers: {from.Name} holds {fromState.Count} tensors in {source.Name} but {to.Name} holds {toState.Count} in {target.Name}.");
        for (int k = 0; k < fromState.Count; k++)
        {
            var (name, value) = fromState[k];
            var into = toState[k].Value;
            if (value.Shape != into.Shape)
                throw new ArgumentException(
                    $"Transfer.CopyLayers: {from.Name}.{name} has shape {value.Shape} in {source.Name} but {into.Shape} in {target.Name} ({to.Name}); " +
                    "the networks must agree up to the layers copied (same input channels, filters and sizes).");
        }
        for (int k = 0; k < fromState.Count; k++)
            LayerMath.Assign(toState[k].Value, fromState[k].Value.To(toState[k].Value.Device));
    }

    /// <summary>
    /// A network made of <paramref name="network"/>'s layers without its last <paramref name="headLayers"/> (the same
    /// layer objects, so they keep what they learned) followed by <paramref name="newHead"/>: e.g. a new last Affine with
    /// as many outputs as the new task has classes.
    /// </summary>
    public static Sequential ReplaceHead(Sequential network, int headLayers, params Layer[] newHead)
    {
        if (headLayers < 0 || headLayers > network.Layers.Count)
            throw new ArgumentOutOfRangeException(nameof(headLayers), $"Transfer.ReplaceHead: {network.Name} has {network.Layers.Count} layers; cannot replace its last {headLayers}.");
        var result = new Sequential(network.Name);
        foreach (var layer in network.Layers.Take(network.Layers.Count - headLayers)) result.Add(layer);
        foreach (var layer in newHead) result.Add(layer);
        return result;
    }
}
