using System.Text;
using CourseKit.Backends;
using CourseKit.Layers;

namespace CourseKit.Models;

/// <summary>
/// U-Net (lecture 5.4; Ronneberger et al. 2015): a convolutional autoencoder with skip connections, for semantic
/// segmentation (a class for every pixel).
/// <code>
/// x ─ Encoder1 ──────────────────────────── copy (crop) ─┐
///        └ MaxPooling ─ Encoder2 ─────── copy (crop) ─┐    Concat ─ Decoder1 ─ 1×1 conv ─ scores (N, K, H, W)
///                          └ MaxPooling ─ Bottom ─ Up2 ─ Concat ─ Decoder2 ─ Up1 ─┘
/// </code>
/// Each encoder level doubles the channels (width, 2·width, …) with two 3×3 convolutions (padding 1, so the size stays)
/// and halves height and width by 2×2 max pooling; each decoder level doubles the size back with a 2×2 transposed
/// convolution of stride 2 (Keras' Conv2DTranspose), joins the encoder's map of that size along the channels and
/// mixes them with two 3×3 convolutions. The skips hand the decoder the fine detail that the code at the bottom has
/// lost: where exactly an edge is. When the two sizes differ (an odd size was halved) the encoder's map is cropped
/// to the decoder's (<see cref="CenterCrop"/>), as in the original U-Net.
/// <para>
/// Backward runs the same graph in reverse. An encoder's output feeds two consumers, the pooling below it and its
/// skip connection, so the gradient arriving there is the sum of both paths; Concat's backward splits the decoder's
/// gradient back into the skip's channels and the upsampled channels.
/// </para>
/// </summary>
public sealed class UNet : Layer
{
    private readonly Sequential[] encoders, decoders;
    private readonly MaxPooling[] pools;
    private readonly ConvolutionTranspose[] ups;
    private readonly Concat[] joins;
    private readonly CenterCrop?[] crops;
    private readonly Sequential bottom;
    private readonly Convolution head;

    /// <param name="inChannels">channels of the input image (1 for MRI)</param>
    /// <param name="classes">output channels: K ≥ 2 class scores for a per-pixel softmax, or 1 logit for a sigmoid</param>
    /// <param name="depth">how many times the encoder halves the size (the original U-Net: 4)</param>
    /// <param name="width">channels of the first level (the original: 64); level l has width·2^l</param>
    /// <param name="batchNormalization">batch normalization after every 3×3 convolution (trains faster and steadier)</param>
    /// <param name="activation">makes the activation after each 3×3 convolution (ReLU unless given)</param>
    /// <param name="skipConnections">false gives the plain convolutional autoencoder of the same shape (no copies from the
    /// encoder), the baseline that shows what the skips add</param>
    public UNet(int inChannels = 1, int classes = 2, int depth = 3, int width = 16, bool batchNormalization = true, int seed = 0,
                Func<Layer>? activation = null, bool skipConnections = true)
    {
        if (inChannels < 1 || classes < 1 || depth < 0 || width < 1)
            throw new ArgumentException($"UNet: needs at least one input channel, one class, depth 0 or more and width 1 or more; got inChannels={inChannels}, classes={classes}, depth={depth}, width={width}.");
        var act = activation ?? (() => new ReLU());
        InChannels = inChannels;
        Classes = classes;
        Depth = depth;
        Width = width;
        SkipConnections = skipConnections;
        encoders = new Sequential[depth];
        decoders = new Sequential[depth];
        pools = new MaxPooling[depth];
        ups = new ConvolutionTranspose[depth];
        joins = new Concat[depth];
        crops = new CenterCrop?[depth];
        int channels = inChannels;
        for (int l = 0; l < depth; l++)
        {
            int c = width << l;
            encoders[l] = DoubleConvolution($"Encoder{l + 1}", channels, c, batchNormalization, act, seed + 10 * l);
            pools[l] = new MaxPooling(2) { Name = $"MaxPooling{l + 1}" };
            channels = c;
        }
        bottom = DoubleConvolution("Bottom", channels, width << depth, batchNormalization, act, seed + 10 * depth);
        for (int l = depth - 1; l >= 0; l--)
        {
            int c = width << l;
            ups[l] = new ConvolutionTranspose(2 * c, c, 2, stride: 2, seed: seed + 10 * l + 5) { Name = $"Up{l + 1}" };
            joins[l] = new Concat();
            decoders[l] = DoubleConvolution($"Decoder{l + 1}", skipConnections ? 2 * c : c, c, batchNormalization, act, seed + 10 * l + 7);
        }
        head = new Convolution(width, classes, 1, init: WeightInit.Xavier, seed: seed + 1) { Name = "Output" };
    }

    public int InChannels { get; }
    public int Classes { get; }
    public int Depth { get; }
    public int Width { get; }

    /// <summary>Whether the decoder receives the encoder's maps (U-Net) or only what comes up from the bottom (a plain autoencoder).</summary>
    public bool SkipConnections { get; }

    /// <summary>
    /// False when the input is the data itself (nothing upstream learns from it): the first convolution then skips the
    /// input gradient, as a framework's autograd does for data that needs no gradient.
    /// </summary>
    public bool ComputeInputGradient
    {
        get => FirstConvolution.ComputeInputGradient;
        set => FirstConvolution.ComputeInputGradient = value;
    }

    private Convolution FirstConvolution => (Convolution)(Depth > 0 ? encoders[0] : bottom)[0];

    /// <summary>Every part in the order forward runs them (for reading the architecture and counting parameters).</summary>
    public IEnumerable<Layer> Parts =>
        [.. encoders.Zip(pools).SelectMany(p => new Layer[] { p.First, p.Second }), bottom,
         .. Enumerable.Range(0, Depth).Reverse().SelectMany(l => new Layer[] { ups[l], decoders[l] }), head];

    public override IReadOnlyList<Parameter> Parameters => [.. Parts.SelectMany(p => p.Parameters)];

    public override IEnumerable<(string Name, Tensor Value)> State() =>
        Parts.SelectMany(p => p.State().Select(s => ($"{p.Name}.{s.Name}", s.Value)));

    public override Layer To(Device device)
    {
        foreach (var part in Parts) part.To(device);
        return this;
    }

    public override Tensor Forward(Tensor x, bool training = false)
    {
        if (x.Rank != 4 || x.Shape[1] != InChannels)
            throw new ArgumentException($"{Name}: expects images (N, {InChannels}, H, W), got {x.Shape}.");
        int minimum = 1 << Depth;
        if (x.Shape[2] < minimum || x.Shape[3] < minimum)
            throw new ArgumentException($"{Name}: {Depth} halvings need images of at least {minimum}x{minimum}, got {x.Shape[2]}x{x.Shape[3]}.");
        var skips = new Tensor[Depth];
        var h = x;
        for (int l = 0; l < Depth; l++)
        {
            skips[l] = h = encoders[l].Forward(h, training);   // kept for the skip connection
            h = pools[l].Forward(h, training);
        }
        h = bottom.Forward(h, training);
        for (int l = Depth - 1; l >= 0; l--)
        {
            var up = ups[l].Forward(h, training);
            if (!SkipConnections) { h = decoders[l].Forward(up, training); continue; }
            var skip = skips[l];
            crops[l] = skip.Shape[2] == up.Shape[2] && skip.Shape[3] == up.Shape[3] ? null : new CenterCrop(up.Shape[2], up.Shape[3]);
            if (crops[l] is { } crop) skip = crop.Forward(skip);
            h = decoders[l].Forward(joins[l].Forward(skip, up), training);   // copy and concatenate
        }
        return head.Forward(h, training);
    }

    public override Tensor Backward(Tensor dout)
    {
        var d = head.Backward(dout);
        var dSkips = new Tensor[Depth];
        for (int l = 0; l < Depth; l++)
        {
            if (!SkipConnections) { d = ups[l].Backward(decoders[l].Backward(d)); continue; }
            var (dSkip, dUp) = joins[l].Backward(decoders[l].Backward(d));   // Concat splits the channels back
            dSkips[l] = crops[l] is { } crop ? crop.Backward(dSkip) : dSkip;
            d = ups[l].Backward(dUp);
        }
        d = bottom.Backward(d);
        for (int l = Depth - 1; l >= 0; l--)
        {
            // The encoder's output went to the pooling and to the skip: its gradient is the sum of both paths.
            d = SkipConnections ? pools[l].Backward(d) + dSkips[l] : pools[l].Backward(d);
            d = encoders[l].Backward(d);
        }
        return d;
    }

    /// <summary>
    /// The shapes through the network for one image of (C, H, W), layer by layer (the lecture's question in 5.5:
    /// how height, width and channels change), with each part's parameter count.
    /// </summary>
    public string Summary(Shape sampleShape)
    {
        var rows = new List<(string Part, string Shape, int Params)>();
        var x = new Tensor([1, .. sampleShape.ToArray()], Parameters[0].Value.Device);
        rows.Add(("Input", Show(x.Shape), 0));
        var skips = new Tensor[Depth];
        for (int l = 0; l < Depth; l++)
        {
            skips[l] = x = encoders[l].Forward(x);
            rows.Add((encoders[l].Name, Show(x.Shape), encoders[l].ParameterCount));
            x = pools[l].Forward(x);
            rows.Add((pools[l].Name, Show(x.Shape), 0));
        }
        x = bottom.Forward(x);
        rows.Add((bottom.Name, Show(x.Shape), bottom.ParameterCount));
        for (int l = Depth - 1; l >= 0; l--)
        {
            var up = ups[l].Forward(x);
            rows.Add((ups[l].Name + " (ConvolutionTranspose)", Show(up.Shape), ups[l].ParameterCount));
            if (!SkipConnections)
            {
                x = decoders[l].Forward(up);
                rows.Add((decoders[l].Name, Show(x.Shape), decoders[l].ParameterCount));
                continue;
            }
            var skip = skips[l];
            bool cropped = skip.Shape[2] != up.Shape[2] || skip.Shape[3] != up.Shape[3];
            if (cropped) skip = CenterCrop.Apply(skip, up.Shape[2], up.Shape[3]);
            x = new Concat().Forward(skip, up);
            rows.Add(($"Concat{l + 1} (+ {encoders[l].Name}{(cropped ? ", cropped" : "")})", Show(x.Shape), 0));
            x = decoders[l].Forward(x);
            rows.Add((decoders[l].Name, Show(x.Shape), decoders[l].ParameterCount));
        }
        x = head.Forward(x);
        rows.Add((head.Name + " (1x1 Convolution)", Show(x.Shape), head.ParameterCount));
        int w1 = rows.Max(r => r.Part.Length), w2 = Math.Max(12, rows.Max(r => r.Shape.Length));
        var sb = new StringBuilder();
        sb.AppendLine($"{"Layer".PadRight(w1)}  {"Output shape".PadRight(w2)}  {"Params",10}");
        sb.AppendLine(new string('-', w1 + w2 + 14));
        foreach (var (part, shape, p) in rows) sb.AppendLine($"{part.PadRight(w1)}  {shape.PadRight(w2)}  {p,10:N0}");
        sb.AppendLine(new string('-', w1 + w2 + 14));
        sb.Append($"{"Total".PadRight(w1)}  {"".PadRight(w2)}  {ParameterCount,10:N0}");
        return sb.ToString();
    }

    /// <summary>
    /// The same network written with <see cref="Model"/> (Keras' functional API, as the lecture's notebook builds it):
    /// it reads top to bottom like U-Net's picture, each skip a <see cref="Node.Concat"/> of an encoder's node and the
    /// upsampled node. Same layers and seeds as <c>new UNet(...)</c>, so both compute the same function; the model's
    /// input is <paramref name="imageSize"/>² images, and where an odd size was halved a <see cref="CenterCrop"/> is put
    /// on the skip.
    /// </summary>
    public static Model Functional(int inChannels = 1, int classes = 2, int depth = 3, int width = 16, int imageSize = 128,
                                   bool batchNormalization = true, int seed = 0, Func<Layer>? activation = null, bool skipConnections = true)
    {
        var act = activation ?? (() => new ReLU());
        var x = Model.Input(inChannels, imageSize, imageSize);
        var skips = new Node[depth];
        var sizes = new int[depth];
        var h = x;
        int size = imageSize, channels = inChannels;
        for (int l = 0; l < depth; l++)
        {
            skips[l] = h = h.Then(DoubleConvolution($"Encoder{l + 1}", channels, width << l, batchNormalization, act, seed + 10 * l));
            sizes[l] = size;
            h = h.Then(new MaxPooling(2) { Name = $"MaxPooling{l + 1}" });
            size /= 2;
            channels = width << l;
        }
        h = h.Then(DoubleConvolution("Bottom", channels, width << depth, batchNormalization, act, seed + 10 * depth));
        for (int l = depth - 1; l >= 0; l--)
        {
            int c = width << l;
            h = h.Then(new ConvolutionTranspose(2 * c, c, 2, stride: 2, seed: seed + 10 * l + 5) { Name = $"Up{l + 1}" });
            size *= 2;
            var skip = sizes[l] == size ? skips[l] : skips[l].Then(new CenterCrop(size, size) { Name = $"Crop{l + 1}" });
            h = skipConnections ? Node.Concat(skip, h) : h;   // copy (and crop) and concatenate
            h = h.Then(DoubleConvolution($"Decoder{l + 1}", skipConnections ? 2 * c : c, c, batchNormalization, act, seed + 10 * l + 7));
        }
        var output = h.Then(new Convolution(width, classes, 1, init: WeightInit.Xavier, seed: seed + 1) { Name = "Output" });
        return new Model(x, output, "UNet");
    }

    private static string Show(Shape s) => "(" + string.Join(", ", s.Select((d, i) => i == 0 ? "N" : d.ToString())) + ")";

    // Two 3×3 convolutions with padding 1 (the size stays), each followed by batch normalization and ReLU.
    private static Sequential DoubleConvolution(string name, int inChannels, int outChannels, bool batchNormalization, Func<Layer> activation, int seed)
    {
        var block = new Sequential(name);
        block.Add(new Convolution(inChannels, outChannels, 3, pad: 1, seed: seed));
        if (batchNormalization) block.Add(new BatchNormalization(outChannels));
        block.Add(activation());
        block.Add(new Convolution(outChannels, outChannels, 3, pad: 1, seed: seed + 1));
        if (batchNormalization) block.Add(new BatchNormalization(outChannels));
        block.Add(activation());
        return block;
    }
}
