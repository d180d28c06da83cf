using CourseKit.Backends;

namespace CourseKit.Layers;

/// <summary>
/// A residual block (lecture 4.2): y = body(x) + shortcut(x), the shortcut being the identity unless given
/// (e.g. a 1×1 convolution when the shapes change). x feeds two consumers, so backward sums their
/// gradients: ∂E/∂x = ∂E/∂x₁ + ∂E/∂x₂.
/// </summary>
public sealed class Residual : Layer
{
    private readonly Add join = new();

    public Residual(Layer body, Layer? shortcut = null)
    {
        Body = body;
        Shortcut = shortcut;
    }

    public Layer Body { get; }
    public Layer? Shortcut { get; }

    public override IReadOnlyList<Parameter> Parameters =>
        [.. Body.Parameters, .. Shortcut?.Parameters ?? []];

    public override IEnumerable<(string Name, Tensor Value)> State() =>
        [.. Body.State().Select(s => ($"body.{s.Name}", s.Value)),
         .. (Shortcut?.State() ?? []).Select(s => ($"shortcut.{s.Name}", s.Value))];

    public override Layer To(Device device)
    {
        Body.To(device);
        Shortcut?.To(device);
        return this;
    }

    public override Tensor Forward(Tensor x, bool training = false)
    {
        var main = Body.Forward(x, training);
        var skip = Shortcut?.Forward(x, training) ?? x;
        if (main.Shape != skip.Shape)
            throw new ArgumentException($"{Name}: the body gives {main.Shape} but the shortcut gives {skip.Shape}; add a shortcut layer that maps {x.Shape} to {main.Shape}.");
        return join.Forward(main, skip);
    }

    public override Tensor Backward(Tensor dout)
    {
        var (dMain, dSkip) = join.Backward(dout);             // ⊕ passes dout to both branches
        var dx1 = Body.Backward(dMain);
        var dx2 = Shortcut?.Backward(dSkip) ?? dSkip;
        return dx1 + dx2;                                     // lecture 4.2: the branch sums the gradients
    }
}
