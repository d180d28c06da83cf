using CourseKit.Backends;

namespace CourseKit.Layers;

/// <summary>
/// One layer of a network (lecture 2: a class with forward and backward). Forward keeps what Backward
/// needs; Backward receives ∂E/∂y, stores the gradients of the parameters and returns ∂E/∂x.
/// </summary>
public abstract class Layer
{
    protected Layer(string? name = null) => Name = name ?? GetType().Name;

    /// <summary>The layer's name; a <see cref="Sequential"/> numbers them like the lecture (Convolution1, ReLU1, …).</summary>
    public string Name { get; internal set; }

    /// <summary>The learnable parameters with their gradients (none by default).</summary>
    public virtual IReadOnlyList<Parameter> Parameters => [];

    /// <summary>
    /// Writes <paramref name="values"/> into the parameter called <paramref name="name"/> (W, b, gamma, beta), from any
    /// device, checking its shape: e.g. the filters of a lecture example, <c>conv.SetParameter("W", F)</c>.
    /// </summary>
    public void SetParameter(string name, Tensor values) => ParameterNamed(name).Set(values);

    /// <summary>The parameter called <paramref name="name"/>, or an error listing the names this layer has.</summary>
    public Parameter ParameterNamed(string name)
    {
        var found = Parameters.Where(p => p.Name == name).ToList();
        string all = string.Join(", ", Parameters.Select(p => $"{p.Name} {p.Shape}"));
        return found.Count switch
        {
            1 => found[0],
            0 when Parameters.Count == 0 => throw new ArgumentException($"{Name} has no parameters, so it has none called {name}."),
            0 => throw new ArgumentException($"{Name} has no parameter called {name}; its parameters are {all}."),
            _ => throw new ArgumentException(
                $"{Name} has {found.Count} parameters called {name} (one per layer inside it: {all}); set it on the layer itself, e.g. network[0].SetParameter(\"{name}\", values)."),
        };
    }

    /// <summary>y = layer(x). <paramref name="training"/> switches dropout and batch statistics on.</summary>
    public abstract Tensor Forward(Tensor x, bool training = false);

    /// <summary>Given dout = ∂E/∂y of the last Forward, sets the parameters' gradients and returns ∂E/∂x.</summary>
    public abstract Tensor Backward(Tensor dout);

    /// <summary>
    /// Every tensor that defines the layer, named for saving: the parameters' values plus buffers such as
    /// batch normalization's running statistics. Containers prefix their children's names.
    /// </summary>
    public virtual IEnumerable<(string Name, Tensor Value)> State() => Parameters.Select(p => (p.Name, p.Value));

    /// <summary>
    /// Moves the layer's parameters (and buffers) to <paramref name="device"/>, e.g. an OpenCL GPU, and returns the
    /// layer. Do it before creating the optimizer's state, i.e. before the first training step.
    /// </summary>
    public virtual Layer To(Device device)
    {
        foreach (var p in Parameters) p.MoveTo(device);
        return this;
    }

    /// <summary>
    /// True while a container runs this layer and promises to read what the call returns (the output of Forward, dx of
    /// Backward) only until this layer's next call: <see cref="Sequential"/> does so for the output of every layer but
    /// the last (only the next layer reads it, in its Forward and Backward) and for the dx of every layer but the first.
    /// The layer may then write its result into the tensor it returned last time (<see cref="ResultTensor"/>) instead of
    /// a new one: a new tensor of several MB costs more than ReLU or pooling itself (fresh memory from the system,
    /// garbage collections). Called directly, a layer always returns new tensors.
    /// </summary>
    protected internal bool MayReuseResults { get; private set; }

    /// <summary>
    /// A tensor of <paramref name="shape"/> for a result this call overwrites completely: the one in
    /// <paramref name="buffer"/> again when <see cref="MayReuseResults"/> allows it and it fits, else a new one. Only
    /// tensors handed out under that promise are kept in the buffer, so a tensor a direct caller holds is never written again.
    /// </summary>
    protected Tensor ResultTensor(ref Tensor? buffer, Shape shape, Device device)
    {
        if (!MayReuseResults) return new Tensor(shape, device);
        if (buffer is null || buffer.Shape != shape || buffer.Device != device) buffer = new Tensor(shape, device);
        return buffer;
    }

    /// <summary>Forward with <see cref="MayReuseResults"/> set for this one call: how a container runs its layers.</summary>
    internal Tensor Forward(Tensor x, bool training, bool mayReuseResults)
    {
        MayReuseResults = mayReuseResults;
        try { return Forward(x, training); }
        finally { MayReuseResults = false; }
    }

    /// <summary>Backward with <see cref="MayReuseResults"/> set for this one call.</summary>
    internal Tensor Backward(Tensor dout, bool mayReuseResults)
    {
        MayReuseResults = mayReuseResults;
        try { return Backward(dout); }
        finally { MayReuseResults = false; }
    }

    /// <summary>
    /// Stops this layer (for a container: every layer in it) from learning: its parameters are frozen, so the optimizer
    /// skips them and Backward skips their gradients; dX still flows through to the layers before (lecture 3.4).
    /// Returns the layer.
    /// </summary>
    public Layer Freeze()
    {
        foreach (var p in Parameters) p.Frozen = true;
        return this;
    }

    /// <summary>Lets the layer learn again (after <see cref="Freeze"/>): fine-tuning. Returns the layer.</summary>
    public Layer Unfreeze()
    {
        foreach (var p in Parameters) p.Frozen = false;
        return this;
    }

    /// <summary>True when the layer has parameters and all of them are frozen.</summary>
    public bool IsFrozen => Parameters.Count > 0 && Parameters.All(p => p.Frozen);

    /// <summary>The number of learnable scalars.</summary>
    public int ParameterCount => Parameters.Sum(p => p.Value.Length);

    public override string ToString() => Name;

    /// <summary>What Backward saved from Forward, or an error telling the student the order of calls.</summary>
    protected T Saved<T>(T? value) where T : class =>
        value ?? throw new InvalidOperationException($"{Name}.Backward was called before {Name}.Forward: run Forward on a mini-batch first.");

    /// <summary>Checks that dout has the shape of the last output.</summary>
    protected void ExpectGradient(Tensor dout, Shape outputShape)
    {
        if (dout.Shape != outputShape)
            throw new ArgumentException($"{Name}.Backward: dout has shape {dout.Shape}, but the last Forward produced {outputShape}; they must match.");
    }
}
