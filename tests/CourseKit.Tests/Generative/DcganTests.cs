using CourseKit.Generative;
using CourseKit.Layers;
using CourseKit.Tests.Layers;
using CourseKit.Training;

namespace CourseKit.Tests.Generative;

public class DcganTests
{
    [Theory]
    [InlineData(28, 1)]
    [InlineData(32, 3)]
    [InlineData(64, 3)]
    public void GeneratorDrawsImagesInTheTanhRangeAndDiscriminatorGivesOneLogit(int size, int channels)
    {
        var g = Dcgan.Generator(latentSize: 8, imageSize: size, channels: channels, width: 4);
        var images = g.Forward(Tensor.RandN(2, 8, seed: 1), training: true);
        Assert.Equal(new Shape(2, channels, size, size), images.Shape);
        Assert.All(images.ToArray(), v => Assert.InRange(v, -1f, 1f));
        var d = Dcgan.Discriminator(imageSize: size, channels: channels, width: 4);
        Assert.Equal(new Shape(2, 1), d.Forward(images, training: true).Shape);
    }

    [Fact]
    public void NoPoolingAndGanInitialisationAsTheGuidelines()
    {
        var g = Dcgan.Generator(latentSize: 100, imageSize: 64, channels: 3, width: 64);
        var d = Dcgan.Discriminator(imageSize: 64, channels: 3, width: 64);
        Assert.DoesNotContain(g.Layers.Concat(d.Layers), l => l is MaxPooling or AveragePooling);
        Assert.IsType<Tanh>(g.Layers[^1]);
        Assert.Contains(d.Layers, l => l is LeakyReLU);
        var w = ((ConvolutionTranspose)g.Layers.First(l => l is ConvolutionTranspose)).W.Value.ToArray();
        double std = Math.Sqrt(w.Select(v => (double)v * v).Average());
        Assert.InRange(std, 0.019, 0.021);                                     // N(0, 0.02²)
        // The paper's 64×64 generator: 4×4×512 → 8×8×256 → 16×16×128 → 32×32×64 → 64×64×3.
        Assert.Equal([512, 256, 128, 64], g.Layers.OfType<BatchNormalization>().Select(b => b.Features));
    }

    // A whole network in float32 (two batch normalisations, a dozen layers) differs from central differences by up to a
    // few 1e-3 in its first layers; a wiring error (a wrong reshape, a lost gradient) gives errors of order 1.
    private const double NetworkBound = 1e-2;

    // A bias just before batch normalisation has no effect in training mode (the batch mean removes it): its true
    // gradient is 0, so a relative error means nothing there; the check asserts it is 0 instead.
    private static void AssertGradients(GradientCheckResult result, Layer network, params string[] biasesBeforeNormalization)
    {
        foreach (var (name, error) in result.ParameterErrors.Where(e => !biasesBeforeNormalization.Contains(e.Key)))
            Assert.True(error < NetworkBound, $"{name}: {error:E2} ({result})");
        Assert.True(result.InputError < NetworkBound, result.ToString());
        float scale = network.Parameters.Max(p => p.Grad.Abs().Max().Item());
        var named = result.ParameterErrors.Keys.Zip(network.Parameters).ToDictionary(x => x.First, x => x.Second);
        foreach (var bias in biasesBeforeNormalization)
            Assert.True(named[bias].Grad.Abs().Max().Item() < 1e-5f * scale, $"{bias}: {named[bias].Grad}");
    }

    // Two things defeat central differences on DCGAN as built: its kinked activations (among thousands of them some
    // lie within h of 0; the error shrinks with h, as a kink's does) and its N(0, 0.02²) weights (a step h = 0.01 is half
    // a weight, far outside the range where batch normalisation's 1/σ is linear). So the check runs the networks' own
    // layers with each kinked activation swapped for softsign and the weights scaled to He-like sizes: what it tests is
    // the wiring of convolutions, normalisation and reshapes (each layer has its own check).
    private static Sequential Smooth(Sequential network)
    {
        var smooth = new Sequential([.. network.Layers.Select(l => l is ReLU or LeakyReLU ? new Softsign() : l)]);
        foreach (var p in smooth.Parameters.Where(p => p.Name == "W")) LayerMath.Assign(p.Value, p.Value * 20f);
        return smooth;
    }

    [Fact]
    public void SmallGeneratorBackwardMatchesNumericalGradient()
    {
        var g = Smooth(Dcgan.Generator(latentSize: 3, imageSize: 28, width: 2, seed: 5));
        var result = GradientCheck.Layer(g, RandomTensor.Uniform([8, 3], seed: 6), seed: 7, h: 3e-3f);
        AssertGradients(result, g, "b#2");   // Affine's b is per pixel, not per channel: batch normalisation keeps it
    }

    [Fact]
    public void SmallDiscriminatorBackwardMatchesNumericalGradient()
    {
        var d = Smooth(Dcgan.Discriminator(imageSize: 28, width: 2, classes: 2, seed: 8));
        var result = GradientCheck.Layer(d, RandomTensor.Uniform([4, 3, 28, 28], seed: 9), seed: 10, h: 3e-3f);
        AssertGradients(result, d, "b#2");
    }

    [Fact]
    public void HiddenUnitsAddOneFullyConnectedLayerToEachNetwork()
    {
        var g = Dcgan.Generator(latentSize: 62, imageSize: 28, width: 64, hiddenUnits: 1024);
        var d = Dcgan.Discriminator(imageSize: 28, width: 64, hiddenUnits: 1024);
        // The MNIST GAN of the collection the lecture links: z → 1024 → 128·7·7 → 64@14×14 → 1@28×28, and back.
        Assert.Equal([(62, 1024), (1024, 128 * 7 * 7)], g.Layers.OfType<Affine>().Select(a => (a.W.Value.Shape[0], a.W.Value.Shape[1])));
        Assert.Equal([(128 * 7 * 7, 1024), (1024, 1)], d.Layers.OfType<Affine>().Select(a => (a.W.Value.Shape[0], a.W.Value.Shape[1])));
        Assert.Equal([1024, 128, 64], g.Layers.OfType<BatchNormalization>().Select(b => b.Features));
        Assert.Equal([128, 1024], d.Layers.OfType<BatchNormalization>().Select(b => b.Features));
        var images = g.Forward(Tensor.RandN(3, 62, seed: 1), training: true);
        Assert.Equal(new Shape(3, 1, 28, 28), images.Shape);
        Assert.Equal(new Shape(3, 1), d.Forward(images, training: true).Shape);
    }

    [Fact]
    public void SmallGeneratorWithHiddenUnitsBackwardMatchesNumericalGradient()
    {
        var g = Smooth(Dcgan.Generator(latentSize: 3, imageSize: 28, width: 2, hiddenUnits: 5, seed: 5));
        var result = GradientCheck.Layer(g, RandomTensor.Uniform([8, 3], seed: 6), seed: 7, h: 3e-3f);
        AssertGradients(result, g, "b", "b#3");   // the hidden Affine's b (per feature) and the first transposed convolution's (per channel)
    }

    [Fact]
    public void SmallDiscriminatorWithHiddenUnitsBackwardMatchesNumericalGradient()
    {
        var d = Smooth(Dcgan.Discriminator(imageSize: 28, width: 2, hiddenUnits: 5, seed: 8));
        var result = GradientCheck.Layer(d, RandomTensor.Uniform([4, 1, 28, 28], seed: 9), seed: 10, h: 3e-3f);
        AssertGradients(result, d, "b#2", "b#3");   // the second convolution's and the hidden Affine's
    }

    [Fact]
    public void AnUnsupportedSizeIsNamed()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => Dcgan.Generator(10, imageSize: 48));
        Assert.Contains("48", e.Message);
    }
}
