namespace CourseKit.Generative;

/// <summary>
/// The condition c of a conditional GAN (lecture 5.8) when c is a class label: the generator receives z joined with
/// the one-hot vector of c, the discriminator receives its image joined with c as one-hot planes (one constant
/// channel per class), so that D(G(z, c), c) judges "a real image of class c", not just "a real image".
/// </summary>
public sealed class ClassCondition
{
    public ClassCondition(int classes)
    {
        if (classes < 2) throw new ArgumentOutOfRangeException(nameof(classes), $"ClassCondition: a condition needs at least 2 classes, got {classes}.");
        Classes = classes;
    }

    public int Classes { get; }

    /// <summary>(z, one-hot(c)) side by side: (N, latent) → (N, latent + classes), the generator's input.</summary>
    public Tensor GeneratorInput(Tensor z, int[] labels)
    {
        ExpectBatch("GeneratorInput", z, labels);
        return Tensor.Concat([z.Reshape(z.Shape[0], z.Length / z.Shape[0]), Losses.Loss.OneHot(labels, Classes, z.Device)], axis: 1);
    }

    /// <summary>
    /// The discriminator's input: images (N, C, H, W) with <see cref="Classes"/> planes appended, plane c all ones for
    /// a sample of class c and zeros elsewhere: (N, C + classes, H, W). Flat samples (N, D) get the one-hot vector.
    /// </summary>
    public Tensor DiscriminatorInput(Tensor images, int[] labels)
    {
        ExpectBatch("DiscriminatorInput", images, labels);
        var oneHot = Losses.Loss.OneHot(labels, Classes, images.Device);
        if (images.Rank == 2) return Tensor.Concat([images, oneHot], axis: 1);
        if (images.Rank != 4)
            throw new ArgumentException($"ClassCondition.DiscriminatorInput: expects images (N, C, H, W) or flat samples (N, D), got {images.Shape}.");
        int n = images.Shape[0], h = images.Shape[2], w = images.Shape[3];
        var planes = oneHot.Reshape(n, Classes, 1, 1).BroadcastTo([n, Classes, h, w]);
        return Tensor.Concat([images, planes], axis: 1);
    }

    /// <summary>
    /// The gradient that reaches the images from ∂E/∂(discriminator input): the first <paramref name="imageChannels"/>
    /// channels (or features); the condition's planes are data, not something G produced.
    /// </summary>
    public Tensor ImageGradient(Tensor dInput, int imageChannels) => dInput[.., ..imageChannels];   // a copy

    /// <summary>Channels (or features) of the discriminator's input for images of <paramref name="imageChannels"/> channels.</summary>
    public int DiscriminatorChannels(int imageChannels) => imageChannels + Classes;

    private void ExpectBatch(string operation, Tensor x, int[] labels)
    {
        if (x.Rank < 2 || x.Shape[0] != labels.Length)
            throw new ArgumentException($"ClassCondition.{operation}: {labels.Length} labels for a batch of shape {x.Shape}; give one label per sample.");
    }
}
