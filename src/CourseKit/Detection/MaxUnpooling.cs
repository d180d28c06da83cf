using CourseKit.Layers;

namespace CourseKit.Detection;

/// <summary>
/// SegNet's unpooling (lecture 6.4): the decoder puts each value back where the encoder's max pooling found its maximum
/// and zeros everywhere else, so the encoder passes only its argmax indices to the decoder, not whole feature maps (FCN).
/// It reads the indices of <paramref name="pooling"/>'s last Forward; the output has that pooling's input shape.
/// Forward is the routing of max pooling's backward (lecture 2.3); backward gathers dout at the same places.
/// </summary>
public sealed class MaxUnpooling(MaxPooling pooling) : Layer
{
    public MaxPooling Pooling { get; } = pooling;

    public override Tensor Forward(Tensor x, bool training = false)
    {
        var (argmax, g) = Pooling.LastArgMax;
        if (argmax is null)
            throw new InvalidOperationException($"{Name}: {Pooling.Name} has not run yet; the encoder's max pooling must run Forward before its unpooling.");
        if (x.Shape != argmax.Shape)
            throw new ArgumentException($"{Name}: input {x.Shape} must have the shape of {Pooling.Name}'s output {argmax.Shape}, whose indices it reuses.");
        var y = new Tensor([g.N, g.C, g.H, g.W], x.Device);
        x.Backend.MaxPoolBackward(x.Storage, argmax.Storage, g, y.Storage);  // the value goes to its argmax, zeros elsewhere
        return y;
    }

    public override Tensor Backward(Tensor dout)
    {
        var (argmax, g) = Pooling.LastArgMax;
        if (argmax is null) throw new InvalidOperationException($"{Name}.Backward was called before {Name}.Forward.");
        ExpectGradient(dout, [g.N, g.C, g.H, g.W]);
        var d = dout.ToArray();
        var k = argmax.ToArray();
        var dx = new float[argmax.Length];
        int frameWidth = g.PW;
        for (int plane = 0; plane < g.N * g.C; plane++)
            for (int i = 0; i < g.OH; i++)
                for (int j = 0; j < g.OW; j++)
                {
                    int o = (plane * g.OH + i) * g.OW + j, index = (int)k[o];
                    int y = i * g.StrideH - g.PadH + index / frameWidth, x = j * g.StrideW - g.PadW + index % frameWidth;
                    if ((uint)y < (uint)g.H && (uint)x < (uint)g.W)  // a maximum in the padding was put nowhere
                        dx[o] = d[(plane * g.H + y) * g.W + x];  // ∂E/∂x is dout where x was put
                }
        return new Tensor([g.N, g.C, g.OH, g.OW], dx).To(dout.Device);
    }
}
