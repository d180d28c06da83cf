using CourseKit.Backends;
using CourseKit.Layers;

namespace CourseKit.Models;

/// <summary>
/// An autoencoder (lecture 5.2): an encoder that reduces x to a short code z (the latent representation) and a
/// decoder that makes x back from z. Trained to give its input back, with the squared error between input and
/// output as the loss and a sigmoid output layer because pixels lie in [0, 1]. A large reconstruction error on an
/// image says it is unlike the training data: anomaly detection (<see cref="ReconstructionError"/>).
/// Backward is the decoder's backward followed by the encoder's.
/// </summary>
public sealed class Autoencoder : Layer
{
    public Autoencoder(Sequential encoder, Sequential decoder, string? name = null) : base(name)
    {
        Encoder = encoder;
        Decoder = decoder;
    }

    /// <summary>x → z.</summary>
    public Sequential Encoder { get; }

    /// <summary>z → x̂.</summary>
    public Sequential Decoder { get; }

    public override IReadOnlyList<Parameter> Parameters => [.. Encoder.Parameters, .. Decoder.Parameters];

    public override IEnumerable<(string Name, Tensor Value)> State() =>
        [.. Encoder.State().Select(s => ($"encoder.{s.Name}", s.Value)),
         .. Decoder.State().Select(s => ($"decoder.{s.Name}", s.Value))];

    public override Layer To(Device device)
    {
        Encoder.To(device);
        Decoder.To(device);
        return this;
    }

    public override Tensor Forward(Tensor x, bool training = false) => Decoder.Forward(Encoder.Forward(x, training), training);

    public override Tensor Backward(Tensor dout) => Encoder.Backward(Decoder.Backward(dout));

    /// <summary>The code z of each image (inference mode): the point where the encoder puts it in the latent space.</summary>
    public Tensor Encode(Tensor x) => Encoder.Forward(x);

    /// <summary>The image the decoder makes from codes z (inference mode), e.g. from points of the code space no image was encoded to.</summary>
    public Tensor Decode(Tensor z) => Decoder.Forward(z);

    /// <summary>
    /// The dense (fully connected) autoencoder on (N, 1, 28, 28) images: 784 → hidden → code → hidden → 784,
    /// ReLU inside, sigmoid at the output, reshaped back to (N, 1, 28, 28).
    /// </summary>
    public static Autoencoder Dense(int codeSize = 2, int hidden = 256, int height = 28, int width = 28, int seed = 0)
    {
        int pixels = height * width;
        var encoder = new Sequential(new Flatten(), new Affine(pixels, hidden, seed: seed), new ReLU(), new Affine(hidden, codeSize, WeightInit.Xavier, seed + 1)) { Name = "Encoder" };
        var decoder = new Sequential(new Affine(codeSize, hidden, seed: seed + 2), new ReLU(), new Affine(hidden, pixels, WeightInit.Xavier, seed + 3),
                                     new Sigmoid(), new Reshape(1, height, width)) { Name = "Decoder" };
        return new Autoencoder(encoder, decoder, "DenseAutoencoder");
    }

    /// <summary>
    /// The convolutional autoencoder (lecture 5.3): 3×3 convolutions and 2×2 max pooling halve the size twice while the
    /// channels grow (1 → width → 2·width); two transposed convolutions with 2×2 filters and stride 2 double it back.
    /// (N, C, H, W) → code (N, 2·width, H/4, W/4) → (N, C, H, W); H and W must be multiples of 4.
    /// </summary>
    public static Autoencoder Convolutional(int channels = 1, int width = 16, int seed = 0)
    {
        var encoder = new Sequential(
            new Convolution(channels, width, 3, pad: 1, seed: seed), new ReLU(), new MaxPooling(2),
            new Convolution(width, 2 * width, 3, pad: 1, seed: seed + 1), new ReLU(), new MaxPooling(2)) { Name = "Encoder" };
        var decoder = new Sequential(
            new ConvolutionTranspose(2 * width, width, 2, stride: 2, seed: seed + 2), new ReLU(),
            new ConvolutionTranspose(width, channels, 2, stride: 2, init: WeightInit.Xavier, seed: seed + 3), new Sigmoid()) { Name = "Decoder" };
        return new Autoencoder(encoder, decoder, "ConvolutionalAutoencoder");
    }

    /// <summary>
    /// The mean squared difference between each image and its reconstruction (inference mode), one number per image:
    /// large for images unlike those the autoencoder was trained on (lecture 5.2, anomaly detection).
    /// </summary>
    public static float[] ReconstructionError(Layer autoencoder, Tensor x)
    {
        var y = autoencoder.Forward(x);
        if (y.Shape != x.Shape)
            throw new ArgumentException($"ReconstructionError: the network turns {x.Shape} into {y.Shape}; an autoencoder must give back the input's shape.");
        int n = x.Shape[0], per = x.Length / n;
        var (xs, ys) = (x.ToArray(), y.ToArray());
        var errors = new float[n];
        for (int i = 0; i < n; i++)
        {
            double sum = 0;
            for (int p = i * per; p < (i + 1) * per; p++) sum += (double)(ys[p] - xs[p]) * (ys[p] - xs[p]);
            errors[i] = (float)(sum / per);
        }
        return errors;
    }

    /// <summary>
    /// x with Gaussian noise of standard deviation <paramref name="std"/> added and clipped to [0, 1]: the input of a
    /// denoising autoencoder, trained to give back the clean x.
    /// </summary>
    public static Tensor AddNoise(Tensor x, float std, long seed = 0)
    {
        var noisy = x.ToArray();
        var noise = Tensor.Normal(x.Shape, 0f, std, seed).ToArray();
        for (int i = 0; i < noisy.Length; i++) noisy[i] = Math.Clamp(noisy[i] + noise[i], 0f, 1f);
        return new Tensor(x.Shape, noisy).To(x.Device);
    }
}
