using System.Collections;
using System.Text;
using CourseKit.Backends;

namespace CourseKit.Layers;

/// <summary>
/// Layers applied one after the other; backward runs them in reverse. Layers are named like the lecture's
/// networks: the n-th layer of a kind is "Kind{n}" (Convolution1, ReLU1, MaxPooling1, …).
/// </summary>
public sealed class Sequential : Layer, IEnumerable<Layer>
{
    private readonly List<Layer> layers = [];

    public Sequential(string? name = null) : base(name) { }

    public Sequential(params Layer[] layers) : this((string?)null)
    {
        foreach (var layer in layers) Add(layer);
    }

    public IReadOnlyList<Layer> Layers => layers;

    public Layer this[int index] => layers[index];

    /// <summary>Appends a layer and numbers its name among the layers of its kind.</summary>
    public void Add(Layer layer)
    {
        string kind = layer.GetType().Name;
        if (layer.Name == kind) layer.Name = $"{kind}{layers.Count(l => l.GetType() == layer.GetType()) + 1}";
        if (layers.Any(l => l.Name == layer.Name))
            throw new ArgumentException($"Sequential: a layer named '{layer.Name}' is already in the network; names must be unique.");
        layers.Add(layer);
    }

    public override IReadOnlyList<Parameter> Parameters => [.. layers.SelectMany(l => l.Parameters)];

    public override IEnumerable<(string Name, Tensor Value)> State() =>
        layers.SelectMany(l => l.State().Select(s => ($"{l.Name}.{s.Name}", s.Value)));

    public override Layer To(Device device)
    {
        foreach (var layer in layers) layer.To(device);
        return this;
    }

    // The output of every layer but the last is read only by the next layer, and the dx of every layer but the first
    // only by the layer before it, all before that layer runs again: those layers may write into their previous results
    // (Layer.MayReuseResults). The last output and the first dx go to our caller, so they are reused only when our
    // own caller allows it.
    public override Tensor Forward(Tensor x, bool training = false)
    {
        var input = x;
        int last = layers.Count - 1;
        for (int i = 0; i < last; i++) x = layers[i].Forward(x, training, mayReuseResults: true);
        return last < 0 ? x : OwnCopy(layers[last].Forward(x, training, MayReuseResults), x, input);
    }

    public override Tensor Backward(Tensor dout)
    {
        var incoming = dout;
        for (int i = layers.Count - 1; i > 0; i--) dout = layers[i].Backward(dout, mayReuseResults: true);
        return layers.Count == 0 ? dout : OwnCopy(layers[0].Backward(dout, MayReuseResults), dout, incoming);
    }

    // A layer that hands back (a reshaped view of) its input, like Flatten, Reshape or Dropout in inference, would give
    // our caller a tensor that the layer before it writes again on the next call: then the caller gets a copy.
    private Tensor OwnCopy(Tensor result, Tensor layerInput, Tensor callerInput) =>
        !MayReuseResults && result.Storage == layerInput.Storage && result.Storage != callerInput.Storage
            ? result.Clone()
            : result;

    /// <summary>
    /// A table of layer, output shape and parameter count for samples of <paramref name="sampleShape"/>
    /// (without the batch axis, e.g. (1, 28, 28)). Runs one inference forward on zeros to find the shapes.
    /// </summary>
    public string Summary(Shape sampleShape)
    {
        var rows = new List<(string Layer, string Shape, int Params)>();
        // (Spreading a Shape in a collection expression would use its Length, the element count, so build the array.)
        var x = new Tensor([1, .. sampleShape.ToArray()], Parameters.FirstOrDefault()?.Value.Device);
        rows.Add(("Input", BatchShape(x.Shape), 0));
        foreach (var layer in layers)
        {
            x = layer.Forward(x);
            rows.Add(($"{layer.Name} ({layer.GetType().Name})", BatchShape(x.Shape), layer.ParameterCount));
        }
        int w1 = Math.Max(5, rows.Max(r => r.Layer.Length)), w2 = Math.Max(12, rows.Max(r => r.Shape.Length));
        var sb = new StringBuilder();
        sb.AppendLine($"{"Layer".PadRight(w1)}  {"Output shape".PadRight(w2)}  {"Params",10}");
        sb.AppendLine(new string('-', w1 + w2 + 14));
        foreach (var (layer, shape, p) in rows) sb.AppendLine($"{layer.PadRight(w1)}  {shape.PadRight(w2)}  {p,10:N0}");
        sb.AppendLine(new string('-', w1 + w2 + 14));
        sb.Append($"{"Total".PadRight(w1)}  {"".PadRight(w2)}  {ParameterCount,10:N0}");
        return sb.ToString();
    }

    // (N, 30, 24, 24): the batch axis is shown as N.
    private static string BatchShape(Shape s) => "(" + string.Join(", ", s.Select((d, i) => i == 0 ? "N" : d.ToString())) + ")";

    public IEnumerator<Layer> GetEnumerator() => layers.GetEnumerator();
    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
