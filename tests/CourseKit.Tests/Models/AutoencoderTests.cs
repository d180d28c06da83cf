using CourseKit.Layers;
using CourseKit.Losses;
using CourseKit.Models;
using CourseKit.Optimizers;
using CourseKit.Tests.Layers;
using CourseKit.Training;

namespace CourseKit.Tests.Models;

public class AutoencoderTests
{
    [Fact]
    public void Dense_autoencoder_squeezes_784_pixels_into_the_code_and_back()
    {
        var ae = Autoencoder.Dense(codeSize: 2, hidden: 32);
        var x = RandomTensor.Uniform([3, 1, 28, 28], seed: 1);
        Assert.Equal(new Shape(3, 2), ae.Encode(x).Shape);
        var y = ae.Forward(x);
        Assert.Equal(x.Shape, y.Shape);
        Assert.All(y.ToArray(), v => Assert.InRange(v, 0f, 1f));   // sigmoid output: pixels in [0, 1]
        Assert.Equal(ae.Decode(ae.Encode(x)).ToArray(), y.ToArray());
    }

    [Fact]
    public void Convolutional_autoencoder_halves_twice_and_transposed_convolutions_double_back()
    {
        var ae = Autoencoder.Convolutional(channels: 1, width: 4);
        var x = RandomTensor.Uniform([2, 1, 12, 8], seed: 2);
        Assert.Equal(new Shape(2, 8, 3, 2), ae.Encode(x).Shape);
        Assert.Equal(x.Shape, ae.Forward(x).Shape);
    }

    [Fact]
    public void Backward_runs_decoder_then_encoder_and_matches_numerical_gradient()
    {
        var dense = Autoencoder.Dense(codeSize: 3, hidden: 5, height: 4, width: 3, seed: 4);
        var r = GradientCheck.Layer(dense, RandomTensor.Uniform([2, 1, 4, 3], seed: 3), seed: 1);
        Assert.True(r.MaxError < GradientBound.Float32, r.ToString());
        var conv = Autoencoder.Convolutional(channels: 2, width: 2, seed: 5);
        r = GradientCheck.Layer(conv, RandomTensor.AwayFromZero([1, 2, 4, 4], seed: 6), seed: 2);
        Assert.True(r.MaxError < 5 * GradientBound.Float32, r.ToString());
    }

    [Fact]
    public void Reconstruction_error_is_the_mean_squared_difference_of_each_image()
    {
        // A network that outputs 0.5 everywhere: the error of image i is mean((x − 0.5)²).
        var constant = new Sequential(new Affine(6, 6, seed: 0), new Reshape(1, 2, 3));
        constant.Parameters[0].Value.AsSpan().Clear();
        Tensor.Full([6], 0.5f).AsSpan().CopyTo(constant.Parameters[1].Value.AsSpan());
        var flat = new Sequential(new Flatten(), constant);
        var x = new Tensor([2, 1, 2, 3], new float[] { 0, 1, 0.5f, 0.5f, 0.5f, 0.5f, 1, 1, 1, 1, 1, 1 });
        var errors = Autoencoder.ReconstructionError(flat, x);
        Assert.Equal(new[] { 0.5f / 6, 0.25f }, errors);
    }

    [Fact]
    public void Add_noise_keeps_pixels_in_0_1_and_changes_them_by_about_the_standard_deviation()
    {
        var x = Tensor.Full([1, 1, 50, 50], 0.5f);
        var noisy = Autoencoder.AddNoise(x, 0.1f, seed: 3).ToArray();
        Assert.All(noisy, v => Assert.InRange(v, 0f, 1f));
        double std = Math.Sqrt(noisy.Select(v => (v - 0.5) * (v - 0.5)).Average());
        Assert.InRange(std, 0.09, 0.11);
        Assert.All(Autoencoder.AddNoise(Tensor.Ones(1, 1, 4, 4), 0.5f, seed: 1).ToArray(), v => Assert.InRange(v, 0f, 1f));
    }

    [Fact]
    public void Training_on_a_few_patterns_makes_their_reconstruction_error_smaller_than_for_an_anomaly()
    {
        // Four 8x8 stripe patterns as the "normal" data; a checkerboard is the anomaly.
        var normal = new float[4 * 64];
        for (int k = 0; k < 4; k++) for (int p = 0; p < 64; p++) normal[k * 64 + p] = (p / 8 + k) % 4 < 2 ? 1 : 0;
        var x = new Tensor([4, 1, 8, 8], normal);
        var ae = Autoencoder.Dense(codeSize: 4, hidden: 16, height: 8, width: 8, seed: 1);
        var trainer = new ImageToImageTrainer(ae, new MeanSquaredError(), new Adam(0.01f));
        var history = trainer.Fit(x, x, epochs: 150, batchSize: 4);
        Assert.True(history.EpochLoss[^1] < 0.1 * history.EpochLoss[0], $"loss {history.EpochLoss[0]} → {history.EpochLoss[^1]}");
        var checker = new float[64];
        for (int p = 0; p < 64; p++) checker[p] = (p / 8 + p % 8) % 2;
        float anomaly = Autoencoder.ReconstructionError(ae, new Tensor([1, 1, 8, 8], checker))[0];
        Assert.True(Autoencoder.ReconstructionError(ae, x).Max() < anomaly / 5, $"normal {Autoencoder.ReconstructionError(ae, x).Max()} vs anomaly {anomaly}");
    }
}
