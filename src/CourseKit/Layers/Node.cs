namespace CourseKit.Layers;

/// <summary>
/// A tensor in the picture of a network (Keras' symbolic tensor): the input, the output of a layer applied to a node,
/// or the join of several nodes by ⊕ (<see cref="Add"/>) or by <see cref="Concat"/>. Nodes hold no numbers; they record
/// who computes what from what, and a <see cref="Model"/> built from the input and the output node runs them:
/// <code>
/// var x = Model.Input(16, 32, 32);
/// var body = x.Then(new Convolution(16, 16, 3, pad: 1), new BatchNormalization(16), new ReLU(),
///                   new Convolution(16, 16, 3, pad: 1), new BatchNormalization(16));
/// var y = (body + x).Then(new ReLU());        // lecture 4.2: ⊕, then ReLU
/// var block = new Model(x, y);
/// </code>
/// A node may feed any number of later nodes (x above feeds the convolution and the ⊕): backward sums their gradients.
/// </summary>
public sealed class Node
{
    private static long created;

    private Node(IReadOnlyList<Node> inputs, Layer? layer, NodeJoin join, int[]? sampleShape)
    {
        Inputs = inputs;
        Layer = layer;
        Join = join;
        SampleShape = sampleShape;
        Order = Interlocked.Increment(ref created);
    }

    /// <summary>The nodes this one is computed from (none for the input).</summary>
    public IReadOnlyList<Node> Inputs { get; }

    /// <summary>The layer that computes this node from its one input, or null for the input and for joins.</summary>
    public Layer? Layer { get; }

    /// <summary>How several inputs are joined (None for the input and for layer nodes).</summary>
    public NodeJoin Join { get; }

    /// <summary>For the input node: the shape of one sample, e.g. (3, 32, 32).</summary>
    public IReadOnlyList<int>? SampleShape { get; }

    public bool IsInput => SampleShape is not null;

    // Nodes can only be made from nodes that exist already, so creation order is an order in which every node comes
    // after its inputs (a topological order): forward runs in it, backward in reverse.
    internal long Order { get; }

    /// <summary>The input of a network: samples of <paramref name="sampleShape"/> (without the batch axis).</summary>
    public static Node Input(params int[] sampleShape)
    {
        if (sampleShape.Length == 0 || sampleShape.Any(d => d <= 0))
            throw new ArgumentException($"Model.Input: give the shape of one sample without the batch axis, e.g. (3, 32, 32); got ({string.Join(", ", sampleShape)}).");
        return new Node([], null, NodeJoin.None, [.. sampleShape]);
    }

    /// <summary>Applies <paramref name="layers"/> one after the other to this node; returns the last one's output.</summary>
    public Node Then(params Layer[] layers)
    {
        if (layers.Length == 0) throw new ArgumentException("Node.Then: give at least one layer.");
        var node = this;
        foreach (var layer in layers)
        {
            ArgumentNullException.ThrowIfNull(layer);
            node = new Node([node], layer, NodeJoin.None, null);
        }
        return node;
    }

    /// <summary>⊕: the element-wise sum of nodes of one shape (lecture 4.2, ResNet's skip connection).</summary>
    public static Node Add(params Node[] nodes) => Joined(nodes, NodeJoin.Add);

    /// <summary>The nodes joined along the channel axis (Inception's branches, U-Net's skips).</summary>
    public static Node Concat(params Node[] nodes) => Joined(nodes, NodeJoin.Concat);

    /// <summary>⊕ of two nodes: <c>body + x</c>.</summary>
    public static Node operator +(Node a, Node b) => Add(a, b);

    private static Node Joined(Node[] nodes, NodeJoin join)
    {
        if (nodes.Length < 2) throw new ArgumentException($"Node.{join}: join at least two nodes, got {nodes.Length}.");
        foreach (var n in nodes) ArgumentNullException.ThrowIfNull(n);
        return new Node([.. nodes], null, join, null);
    }

    /// <summary>What computes this node, for summaries and error messages: "Convolution3", "Add", "Input".</summary>
    public override string ToString() => IsInput ? "Input" : Layer?.Name ?? Join.ToString();
}

/// <summary>How a <see cref="Node"/> joins several inputs.</summary>
public enum NodeJoin { None, Add, Concat }
