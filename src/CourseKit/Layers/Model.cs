using System.Text;
using CourseKit.Backends;

namespace CourseKit.Layers;

/// <summary>
/// A network given by its picture (Keras' functional <c>Model(inputs, outputs)</c>): the <see cref="Node"/>s from
/// <see cref="Input"/> to the output, with branches and joins (⊕, Concat) anywhere. Forward runs the nodes in the order
/// they were written; Backward runs them in reverse, and where a node fed several consumers their gradients are summed
/// (lecture 4.2: at the branch X → X₁, X₂, ∂E/∂X = ∂E/∂X₁ + ∂E/∂X₂). A Model is a <see cref="Layer"/>: it trains with
/// <see cref="Training.Trainer"/>, saves with <see cref="Training.Checkpoint"/> and can itself be a block of a larger
/// Model or <see cref="Sequential"/>.
/// </summary>
public sealed class Model : Layer
{
    private readonly Node[] nodes;          // in creation order: every node after its inputs
    private readonly int[][] sources;       // sources[i]: indices of node i's inputs
    private readonly string[] names;        // "Convolution3", "Add1", "Input"
    private readonly Add?[] adds;
    private readonly Concat?[] concats;
    private readonly Tensor?[] joinBuffers, gradientBuffers;
    private readonly Layer[] layers;

    /// <summary>The network from <paramref name="input"/> to <paramref name="output"/>.</summary>
    public Model(Node input, Node output, string? name = null) : base(name)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(output);
        if (!input.IsInput) throw new ArgumentException($"{Name}: the first argument must be made by Model.Input(...), not the output of {input}.");
        nodes = [.. Reachable(output).OrderBy(n => n.Order)];
        if (nodes[0] != input && !nodes.Contains(input))
            throw new ArgumentException($"{Name}: the output does not depend on the input; build it from the input's node with Then(...).");
        var strayInput = nodes.FirstOrDefault(n => n.IsInput && n != input);
        if (strayInput is not null)
            throw new ArgumentException($"{Name}: the output depends on an Input ({string.Join(", ", strayInput.SampleShape!)}) other than the model's input; build every branch from the same Model.Input.");

        var index = new Dictionary<Node, int>();
        for (int i = 0; i < nodes.Length; i++) index[nodes[i]] = i;
        sources = [.. nodes.Select(n => n.Inputs.Select(p => index[p]).ToArray())];
        adds = [.. nodes.Select(n => n.Join == NodeJoin.Add ? new Add() : null)];
        concats = [.. nodes.Select(n => n.Join == NodeJoin.Concat ? new Concat() : null)];
        joinBuffers = new Tensor?[nodes.Length];
        gradientBuffers = new Tensor?[nodes.Length];
        layers = [.. nodes.Where(n => n.Layer is not null).Select(n => n.Layer!)];
        var twice = layers.GroupBy(l => l).FirstOrDefault(g => g.Count() > 1);
        if (twice is not null)
            throw new ArgumentException($"{Name}: the layer {twice.Key.Name} is applied at {twice.Count()} places; a layer keeps what Backward needs from one Forward, so create one layer per place.");
        names = NameNodes();
    }

    /// <summary>The input of a model: samples of <paramref name="sampleShape"/>, e.g. <c>Model.Input(3, 32, 32)</c>.</summary>
    public static Node Input(params int[] sampleShape) => Node.Input(sampleShape);

    /// <summary>The shape of one sample that <see cref="Input"/> declared, e.g. (3, 32, 32).</summary>
    public Shape SampleShape => new([.. nodes[0].SampleShape!]);

    /// <summary>The nodes from the input to the output, every node after its inputs.</summary>
    public IReadOnlyList<Node> Nodes => nodes;

    /// <summary>The layers in the order they run.</summary>
    public IReadOnlyList<Layer> Layers => layers;

    /// <summary>The layer named <paramref name="name"/> ("Convolution3").</summary>
    public Layer this[string name] => layers.FirstOrDefault(l => l.Name == name)
        ?? throw new KeyNotFoundException($"{Name} has no layer named '{name}'; its layers are {string.Join(", ", layers.Select(l => l.Name))}.");

    public override IReadOnlyList<Parameter> Parameters => [.. layers.SelectMany(l => l.Parameters)];

    public override IEnumerable<(string Name, Tensor Value)> State() =>
        layers.SelectMany(l => l.State().Select(s => ($"{l.Name}.{s.Name}", s.Value)));

    public override Layer To(Device device)
    {
        foreach (var layer in layers) layer.To(device);
        return this;
    }

    public override Tensor Forward(Tensor x, bool training = false) => Run(x, training, observe: null);

    // Every node's output but the last is read only by nodes inside (in their Forward and Backward) before it is
    // computed again, so layers and joins may write into their previous results (Layer.MayReuseResults); the last
    // output goes to our caller and is reused only when our caller allows it.
    private Tensor Run(Tensor x, bool training, Action<int, Tensor>? observe)
    {
        var sample = nodes[0].SampleShape!;
        if (x.Rank != sample.Count + 1 || x.Shape[1] != sample[0])
            throw new ArgumentException($"{Name}: expects a batch of samples of shape ({string.Join(", ", sample)}), i.e. (N, {string.Join(", ", sample)}), got {x.Shape}.");
        var values = new Tensor[nodes.Length];
        values[0] = x;
        observe?.Invoke(0, x);
        int last = nodes.Length - 1;
        for (int i = 1; i <= last; i++)
        {
            bool reuse = i < last || MayReuseResults;
            var inputs = sources[i];
            try
            {
                values[i] = nodes[i].Join switch
                {
                    NodeJoin.Add => adds[i]!.Forward(Gather(values, inputs), JoinBuffer(i, reuse)),
                    NodeJoin.Concat => concats[i]!.Forward(Gather(values, inputs), JoinBuffer(i, reuse)),
                    _ => nodes[i].Layer!.Forward(values[inputs[0]], training, reuse),
                };
            }
            catch (ArgumentException e) when (nodes[i].Join != NodeJoin.None)
            {
                throw new ArgumentException($"{Name}: {names[i]} joins {string.Join(" and ", inputs.Select(j => $"{names[j]} {BatchShape(values[j].Shape)}"))}: {e.Message}", e);
            }
            if (nodes[i].Join != NodeJoin.None && reuse) joinBuffers[i] = values[i];
            observe?.Invoke(i, values[i]);
        }
        var y = values[last];
        // A layer that hands back (a view of) its input, like Flatten, would give our caller a tensor we write again.
        if (!MayReuseResults && last > 0 && sources[last].Any(j => j > 0 && values[j].Storage == y.Storage)) y = y.Clone();
        return y;
    }

    public override Tensor Backward(Tensor dout)
    {
        int last = nodes.Length - 1;
        var grads = new Tensor?[nodes.Length];
        var owned = new bool[nodes.Length];    // grads[j] is our own sum buffer, so later gradients may be added into it
        grads[last] = dout;
        for (int i = last; i > 0; i--)
        {
            var g = grads[i] ?? throw new InvalidOperationException($"{Name}: no gradient reached {names[i]}.");
            var inputs = sources[i];
            switch (nodes[i].Join)
            {
                case NodeJoin.Add:                                  // lecture 4.2: ⊕ passes dout to every input
                    var dAdd = adds[i]!.BackwardAll(g);
                    for (int k = 0; k < inputs.Length; k++) Accumulate(grads, owned, inputs[k], dAdd[k]);
                    break;
                case NodeJoin.Concat:                               // each input gets its channels of dout
                    var dConcat = concats[i]!.BackwardAll(g);
                    for (int k = 0; k < inputs.Length; k++) Accumulate(grads, owned, inputs[k], dConcat[k]);
                    break;
                default:
                    bool reuse = inputs[0] > 0 || MayReuseResults;
                    Accumulate(grads, owned, inputs[0], nodes[i].Layer!.Backward(g, reuse));
                    break;
            }
            grads[i] = null;
        }
        var dx = grads[0] ?? throw new InvalidOperationException($"{Name}: no gradient reached the input.");
        return MayReuseResults || owned[0] || ReferenceEquals(dx, dout) ? dx : dx.Clone();
    }

    /// <summary>
    /// Adds gradient <paramref name="d"/> arriving at node <paramref name="j"/> to what arrived before (lecture 4.2: a
    /// node used by several consumers gets the sum of their gradients). The first one is kept as it is; the second
    /// makes a sum in our own buffer, into which any further ones are added.
    /// </summary>
    private void Accumulate(Tensor?[] grads, bool[] owned, int j, Tensor d)
    {
        var previous = grads[j];
        if (previous is null) { grads[j] = d; return; }
        if (previous.Shape != d.Shape)
            throw new InvalidOperationException($"{Name}: gradients of shapes {previous.Shape} and {d.Shape} arrive at {names[j]}.");
        var shape = d.Shape.ToArray();
        var strides = d.Shape.Strides();
        if (owned[j])
        {
            d.Backend.Binary(BinaryOp.Add, previous.Storage, strides, d.Storage, strides, previous.Storage, shape);
            return;
        }
        // the input's gradient goes to our caller: a buffer of ours only if the caller reads it before our next call
        bool reuse = j > 0 || MayReuseResults;
        var sum = reuse && gradientBuffers[j] is { } b && b.Shape == d.Shape && b.Device == d.Device ? b : new Tensor(d.Shape, d.Device);
        if (reuse) gradientBuffers[j] = sum;
        d.Backend.Binary(BinaryOp.Add, previous.Storage, strides, d.Storage, strides, sum.Storage, shape);
        grads[j] = sum;
        owned[j] = true;
    }

    private Tensor? JoinBuffer(int i, bool reuse) => reuse ? joinBuffers[i] : null;

    private static Tensor[] Gather(Tensor[] values, int[] indices) => [.. indices.Select(j => values[j])];

    private static HashSet<Node> Reachable(Node output)
    {
        var seen = new HashSet<Node>();
        var stack = new Stack<Node>([output]);
        while (stack.Count > 0)
        {
            var n = stack.Pop();
            if (!seen.Add(n)) continue;
            foreach (var p in n.Inputs) stack.Push(p);
        }
        return seen;
    }

    // Layers are named like Sequential's: the n-th layer of a kind is "Kind{n}"; joins are "Add{n}" and "Concat{n}".
    private string[] NameNodes()
    {
        var result = new string[nodes.Length];
        var counts = new Dictionary<string, int>();
        var used = new HashSet<string>();
        for (int i = 0; i < nodes.Length; i++)
        {
            var n = nodes[i];
            string kind = n.IsInput ? "Input" : n.Layer?.GetType().Name ?? n.Join.ToString();
            counts[kind] = counts.GetValueOrDefault(kind) + 1;
            if (n.Layer is { } layer)
            {
                if (layer.Name == kind) layer.Name = $"{kind}{counts[kind]}";
                if (!used.Add(layer.Name))
                    throw new ArgumentException($"{Name}: two layers are named '{layer.Name}'; names must be unique.");
                result[i] = layer.Name;
            }
            else result[i] = n.IsInput ? "Input" : $"{kind}{counts[kind]}";
        }
        return result;
    }

    /// <summary>
    /// Each node's output shape for a batch of one sample (one inference forward on zeros; the layers' own state is
    /// unchanged apart from what Forward keeps for Backward).
    /// </summary>
    public IReadOnlyList<Shape> OutputShapes()
    {
        var shapes = new Shape[nodes.Length];
        var x = new Tensor([1, .. nodes[0].SampleShape!], Parameters.FirstOrDefault()?.Value.Device);
        Run(x, training: false, (i, v) => shapes[i] = v.Shape);
        return shapes;
    }

    /// <summary>The rows of <see cref="Summary"/>: name, kind, output shape, parameters and the nodes it reads.</summary>
    public IReadOnlyList<ModelSummaryRow> SummaryRows()
    {
        var shapes = OutputShapes();
        return [.. nodes.Select((n, i) => new ModelSummaryRow(names[i], n.IsInput ? "Input" : n.Layer?.GetType().Name ?? n.Join.ToString(),
                                                               shapes[i], n.Layer?.ParameterCount ?? 0, [.. sources[i].Select(j => names[j])]))];
    }

    /// <summary>
    /// A table like Keras' <c>summary()</c>: every node's output shape (N for the batch), its parameter count and,
    /// where it does not simply follow the row above, the nodes it is computed from.
    /// </summary>
    public string Summary()
    {
        var rows = SummaryRows();
        var cells = rows.Select((r, i) => (Layer: r.Kind == r.Name ? r.Name : $"{r.Name} ({r.Kind})", Shape: BatchShape(r.OutputShape),
                                           r.Parameters, From: r.Inputs.Count == 1 && i > 0 && r.Inputs[0] == rows[i - 1].Name ? "" : string.Join(", ", r.Inputs))).ToList();
        int w1 = Math.Max(5, cells.Max(c => c.Layer.Length)), w2 = Math.Max(12, cells.Max(c => c.Shape.Length));
        var sb = new StringBuilder();
        sb.AppendLine($"{"Layer".PadRight(w1)}  {"Output shape".PadRight(w2)}  {"Params",11}  Connected to");
        sb.AppendLine(new string('-', w1 + w2 + 29));
        foreach (var c in cells) sb.AppendLine($"{c.Layer.PadRight(w1)}  {c.Shape.PadRight(w2)}  {c.Parameters,11:N0}  {c.From}".TrimEnd());
        sb.AppendLine(new string('-', w1 + w2 + 29));
        sb.Append($"{"Total".PadRight(w1)}  {"".PadRight(w2)}  {ParameterCount,11:N0}");
        return sb.ToString();
    }

    // (N, 64, 56, 56): the batch axis is shown as N.
    internal static string BatchShape(Shape s) => "(" + string.Join(", ", s.Select((d, i) => i == 0 ? "N" : d.ToString())) + ")";
}

/// <summary>One row of <see cref="Model.Summary"/>.</summary>
public sealed record ModelSummaryRow(string Name, string Kind, Shape OutputShape, int Parameters, IReadOnlyList<string> Inputs);
