using CourseKit.Layers;
using CourseKit.Losses;
using CourseKit.Models;
using CourseKit.Optimizers;
using CourseKit.Tests.Layers;
using CourseKit.Training;

namespace CourseKit.Tests.Models;

public class UNetTests
{
    [Fact]
    public void Output_has_the_input_size_and_one_channel_per_class()
    {
        var net = new UNet(inChannels: 1, classes: 2, depth: 3, width: 4);
        Assert.Equal(new Shape(2, 2, 32, 24), net.Forward(Tensor.Zeros(2, 1, 32, 24)).Shape);
    }

    // ReLU's kink makes finite differences of a deep ReLU network unreliable (a step of 1e-2 moves many pre-activations
    // across 0), so the checks use tanh, which is smooth; ReLU's own backward is checked in ActivationTests. Max pooling
    // still switches its maximum when two values in a window lie closer than the step, hence a smaller step than the
    // layers' tests (3e-3) and twice their bound: a gradient off by 1 % still gives about 1e-2.
    private static Layer Smooth() => new Tanh();
    private const float Step = 3e-3f;
    private const double Bound = 2 * GradientBound.Float32;

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Tiny_unet_backward_matches_numerical_gradient(bool batchNormalization)
    {
        // Two levels, width 2: every path (both skips, the pooling, the transposed convolutions) carries gradient.
        var net = new UNet(inChannels: 1, classes: 2, depth: 2, width: 2, batchNormalization: batchNormalization, seed: 3, activation: Smooth);
        var r = GradientCheck.Layer(net, RandomTensor.Uniform([2, 1, 8, 8], seed: 4), seed: 5, h: Step);
        // A bias just before batch normalization has no effect (the batch mean removes it): both gradients are about 0
        // and their relative error means nothing; all other parameters are compared.
        var compared = r.ParameterErrors.Where(p => !batchNormalization || !IsBiasBeforeBatchNormalization(net, p.Key)).ToList();
        Assert.True(r.InputError < Bound && compared.All(p => p.Value < Bound), r.ToString());
        Assert.Equal(batchNormalization ? 46 - 10 : 26, compared.Count);   // 5 double convolutions, 2 transposed, the 1x1 head
    }

    private static bool IsBiasBeforeBatchNormalization(UNet net, string key)
    {
        // GradientCheck names repeated parameters b, b#2, …, in the order of net.Parameters.
        var names = new List<string>();
        var seen = new Dictionary<string, int>();
        var parameters = net.Parameters;
        for (int i = 0; i < parameters.Count; i++)
        {
            string name = parameters[i].Name;
            int k = seen[name] = seen.GetValueOrDefault(name) + 1;
            if ((k == 1 ? name : $"{name}#{k}") == key)
                return name == "b" && i + 1 < parameters.Count && parameters[i + 1].Name == "gamma";
        }
        throw new ArgumentException(key);
    }

    [Fact]
    public void Odd_sizes_crop_the_skip_and_the_gradient_is_still_right()
    {
        // 10 → 5 → 2 halvings come back as 4 and 8: the skips of 5 and 10 are cropped to them.
        var net = new UNet(inChannels: 2, classes: 1, depth: 2, width: 2, batchNormalization: false, seed: 7, activation: Smooth);
        var x = RandomTensor.Uniform([1, 2, 10, 10], seed: 8);
        Assert.Equal(new Shape(1, 1, 8, 8), net.Forward(x).Shape);
        var r = GradientCheck.Layer(net, x, seed: 9, h: Step);
        Assert.True(r.MaxError < Bound, r.ToString());
    }

    [Fact]
    public void Without_skips_it_is_a_plain_autoencoder_and_its_gradient_is_right()
    {
        var net = new UNet(inChannels: 1, classes: 2, depth: 2, width: 2, batchNormalization: false, seed: 4, activation: Smooth, skipConnections: false);
        var withSkips = new UNet(inChannels: 1, classes: 2, depth: 2, width: 2, batchNormalization: false, seed: 4);
        // The decoders read c channels instead of 2c: 2 levels · 9 · c · c fewer first-convolution weights.
        Assert.Equal(withSkips.ParameterCount - 9 * (2 * 2 + 4 * 4), net.ParameterCount);
        var r = GradientCheck.Layer(net, RandomTensor.Uniform([1, 1, 8, 8], seed: 2), seed: 3, h: Step);
        Assert.True(r.MaxError < Bound, r.ToString());
        Assert.DoesNotContain("Concat", net.Summary([1, 8, 8]));
    }

    [Theory]
    [InlineData(16, true)]
    [InlineData(10, false)]   // 10 → 5 → 2 → 4 ≠ 5: the functional model crops the skip like the class
    public void The_functional_model_computes_what_the_class_computes_forward_and_backward(int size, bool batchNormalization)
    {
        var net = new UNet(inChannels: 1, classes: 2, depth: 2, width: 3, batchNormalization: batchNormalization, seed: 5);
        var model = UNet.Functional(inChannels: 1, classes: 2, depth: 2, width: 3, imageSize: size, batchNormalization: batchNormalization, seed: 5);
        Assert.Equal(net.ParameterCount, model.ParameterCount);
        var x = RandomTensor.Uniform([2, 1, size, size], seed: 6);
        var y = net.Forward(x, training: true);
        var ym = model.Forward(x, training: true);
        Assert.Equal(y.Shape, ym.Shape);
        var (a, b) = (y.ToArray(), ym.ToArray());
        for (int i = 0; i < a.Length; i++) Assert.True(Math.Abs(a[i] - b[i]) < 1e-5, $"output {i}: {a[i]} vs {b[i]}");
        var dout = RandomTensor.Uniform(y.Shape, seed: 7);
        var (dx, dxm) = (net.Backward(dout).ToArray(), model.Backward(dout).ToArray());
        for (int i = 0; i < dx.Length; i++) Assert.True(Math.Abs(dx[i] - dxm[i]) < 1e-4, $"dx {i}: {dx[i]} vs {dxm[i]}");
        // The same parameters in another order: compare the gradients as sorted lists of values.
        var g = net.Parameters.SelectMany(p => p.Grad.ToArray()).Order().ToArray();
        var gm = model.Parameters.SelectMany(p => p.Grad.ToArray()).Order().ToArray();
        for (int i = 0; i < g.Length; i++) Assert.True(Math.Abs(g[i] - gm[i]) < 1e-4, $"sorted gradient entry {i}: {g[i]} vs {gm[i]}");
        Assert.Contains("Concat", model.Summary());
    }

    [Fact]
    public void Summary_lists_how_size_and_channels_change_level_by_level()
    {
        var summary = new UNet(inChannels: 1, classes: 2, depth: 2, width: 8).Summary([1, 64, 64]);
        string[] expected =
        [
            "Encoder1", "(N, 8, 64, 64)", "MaxPooling1", "(N, 8, 32, 32)", "Encoder2", "(N, 16, 32, 32)", "MaxPooling2", "(N, 16, 16, 16)",
            "Bottom", "(N, 32, 16, 16)", "Up2", "(N, 16, 32, 32)", "Concat2", "(N, 32, 32, 32)", "Decoder2", "(N, 16, 32, 32)",
            "Up1", "(N, 8, 64, 64)", "Concat1", "(N, 16, 64, 64)", "Decoder1", "(N, 8, 64, 64)", "Output", "(N, 2, 64, 64)",
        ];
        int at = 0;
        foreach (var part in expected)
        {
            int found = summary.IndexOf(part, at, StringComparison.Ordinal);
            Assert.True(found >= 0, $"'{part}' not found after position {at} in\n{summary}");
            at = found + part.Length;
        }
        Assert.Contains(new UNet(inChannels: 1, classes: 2, depth: 2, width: 8).ParameterCount.ToString("N0"), summary);
    }

    [Fact]
    public void Learns_to_segment_bright_squares_with_pixelwise_cross_entropy()
    {
        // 16x16 images with a bright square somewhere on noise; the mask is the square.
        var rng = new Random(1);
        int n = 24;
        var images = new float[n * 256];
        var masks = new float[n * 256];
        for (int i = 0; i < n; i++)
        {
            int top = rng.Next(0, 10), left = rng.Next(0, 10), size = rng.Next(4, 7);
            for (int p = 0; p < 256; p++)
            {
                bool inside = p / 16 >= top && p / 16 < top + size && p % 16 >= left && p % 16 < left + size;
                images[i * 256 + p] = (float)(rng.NextDouble() * 0.4 + (inside ? 0.5 : 0));
                masks[i * 256 + p] = inside ? 1 : 0;
            }
        }
        var x = new Tensor([n, 1, 16, 16], images);
        var t = new Tensor([n, 1, 16, 16], masks);
        var net = new UNet(inChannels: 1, classes: 1, depth: 2, width: 4, seed: 2);
        var trainer = new ImageToImageTrainer(net, new SigmoidBinaryCrossEntropy(), new Adam(0.01f));
        trainer.Fit(x, t, epochs: 30, batchSize: 8);
        double dice = SegmentationMetrics.Dice(SegmentationMetrics.PredictedMask(ImageToImageTrainer.Predict(net, x)), t);
        Assert.True(dice > 0.9, $"Dice {dice}");
    }

    [Fact]
    public void Errors_say_what_input_fits()
    {
        var net = new UNet(inChannels: 3, depth: 3, width: 2);
        Assert.Contains("(N, 3, H, W)", Assert.Throws<ArgumentException>(() => net.Forward(Tensor.Zeros(1, 1, 16, 16))).Message);
        Assert.Contains("at least 8x8", Assert.Throws<ArgumentException>(() => net.Forward(Tensor.Zeros(1, 3, 4, 16))).Message);
    }
}
