using CourseKit.Data;
using CourseKit.Generative;
using CourseKit.Layers;
using CourseKit.Optimizers;
using CourseKit.Tests.Layers;
using CourseKit.Training;

namespace CourseKit.Tests.Generative;

public class Pix2PixTests
{
    [Theory]
    [InlineData(1, 16)]
    [InlineData(2, 34)]
    [InlineData(3, 70)]
    public void PatchGanLogitSeesThePatchItsReceptiveFieldSays(int layers, int expected)
    {
        Assert.Equal(expected, Pix2Pix.ReceptiveField(layers));
        // Independently: the input pixels that one logit depends on are where its gradient is not 0 (inference mode, so
        // batch normalisation does not tie the positions together).
        var d = Pix2Pix.PatchGan(inChannels: 2, layers, width: 4);
        const int size = 160;
        var x = RandomTensor.Uniform([1, 2, size, size], seed: 1);
        var logits = d.Forward(x, training: false);
        var dout = Tensor.ZerosLike(logits);
        int oh = logits.Shape[2], ow = logits.Shape[3];
        dout[0, 0, oh / 2, ow / 2] = 1f;
        var dx = d.Backward(dout).Abs().Sum(axis: 1).Reshape(size, size).ToArray();
        int[] rows = [.. Enumerable.Range(0, size).Where(r => Enumerable.Range(0, size).Any(c => dx[r * size + c] != 0))];
        int[] cols = [.. Enumerable.Range(0, size).Where(c => Enumerable.Range(0, size).Any(r => dx[r * size + c] != 0))];
        Assert.Equal(expected, rows[^1] - rows[0] + 1);
        Assert.Equal(expected, cols[^1] - cols[0] + 1);
    }

    [Fact]
    public void PatchGanGivesOneLogitPerPatch()
    {
        // 128×128 → 64 → 32 → 16 → 15 → 14: a 14×14 map (30×30 for the paper's 256×256)
        var d = Pix2Pix.PatchGan(inChannels: 4, width: 4);
        Assert.Equal(new Shape(2, 1, 14, 14), d.Forward(Tensor.Zeros(2, 4, 128, 128), training: true).Shape);
    }

    [Fact]
    public void GeneratorIsAUNetFromImageToImage()
    {
        var g = Pix2Pix.Generator(inChannels: 1, outChannels: 3, imageSize: 32, width: 4);
        var y = g.Forward(RandomTensor.Uniform([2, 1, 32, 32], seed: 2), training: true);
        Assert.Equal(new Shape(2, 3, 32, 32), y.Shape);
        Assert.All(y.ToArray(), v => Assert.InRange(v, -1f, 1f));
        Assert.Equal(4, g.Nodes.Count(n => n.Join == NodeJoin.Concat));           // log₂ 32 = 5 levels, 4 skips
        Assert.Equal(3, g.Layers.Count(l => l is Dropout));                       // the three innermost decoder layers
        Assert.Equal(32, ((Convolution)g.Layers.Where(l => l is Convolution).Last()).OutChannels);   // 4·min(2⁴, 8)
    }

    [Fact]
    public void WithoutDropoutGHasTheSameWeightsAndADeterministicTrainingForward()
    {
        var noisy = Pix2Pix.Generator(imageSize: 32, width: 4, seed: 3);
        var plain = Pix2Pix.Generator(imageSize: 32, width: 4, seed: 3, dropout: 0f);
        Assert.DoesNotContain(plain.Layers, l => l is Dropout);
        Assert.Equal(noisy.Parameters.Select(p => p.Value.ToArray()), plain.Parameters.Select(p => p.Value.ToArray()));
        var x = RandomTensor.Uniform([2, 1, 32, 32], seed: 4);
        Assert.Equal(plain.Forward(x, training: true).ToArray(), plain.Forward(x, training: true).ToArray());
        Assert.NotEqual(noisy.Forward(x, training: true).ToArray(), noisy.Forward(x, training: true).ToArray());
    }

    [Fact]
    public void AnImageSizeTheDepthDoesNotDivideIsRefused()
    {
        var e = Assert.Throws<ArgumentException>(() => Pix2Pix.Generator(imageSize: 48, depth: 5));
        Assert.Contains("48", e.Message);
    }

    // A small smooth G (image → image) and D (pair → logit map): the trainer's gradients against numerical ones.
    private static Sequential SmallG() => new(new Convolution(1, 2, 3, pad: 1, seed: 1), new Tanh(), new Convolution(2, 3, 3, pad: 1, seed: 2));
    private static Sequential SmallD() => new(new Convolution(4, 2, 3, stride: 2, pad: 1, seed: 3), new Tanh(), new Convolution(2, 1, 3, pad: 1, seed: 4));

    private static float[][] Values(Layer layer) => [.. layer.Parameters.Select(p => p.Value.ToArray())];

    [Fact]
    public void TheStepDescendsHalfOfDsLossThenGanPlusLambdaL1ForG()
    {
        const float lambda = 100f;
        var g = SmallG();
        var d = SmallD();
        var x = RandomTensor.Uniform([2, 1, 6, 6], seed: 5);
        var y = RandomTensor.Uniform([2, 3, 6, 6], seed: 6);
        var gBefore = Values(g);
        var dBefore = Values(d);

        var fake = g.Forward(x);
        double DLoss() => 0.5 * GanLoss.Discriminator(d.Forward(Tensor.Concat([x, y], 1)), d.Forward(Tensor.Concat([x, fake], 1))).Value;
        var dNumerical = d.Parameters.Select(p => GradientCheck.Numerical(p.Value, DLoss)).ToArray();

        var trainer = new Pix2PixTrainer(g, d, new SGD(1f), new SGD(1f), lambda);
        trainer.Step(x, y);
        var dAfter = Values(d);
        for (int i = 0; i < dAfter.Length; i++)
        {
            var step = dAfter[i].Select((w, j) => dBefore[i][j] - w).ToArray();
            Assert.True(GradientCheck.Compare(step, dNumerical[i]) < 1e-3, $"D {d.Parameters[i].Name}: {GradientCheck.Compare(step, dNumerical[i]):E2}");
        }

        // G's step used the D of after D's step: restore G and recompute its loss with that D.
        var gAfter = Values(g);
        for (int i = 0; i < gAfter.Length; i++) g.Parameters[i].Value[..] = Tensor.FromData(g.Parameters[i].Shape, gBefore[i]);
        double GLoss()
        {
            var f = g.Forward(x);
            double l1 = (f - y).Abs().Sum().Item() / f.Length;
            return GanLoss.Generator(d.Forward(Tensor.Concat([x, f], 1))).Value + lambda * l1;
        }
        var gNumerical = g.Parameters.Select(p => GradientCheck.Numerical(p.Value, GLoss, 1e-3f)).ToArray();
        for (int i = 0; i < gAfter.Length; i++)
        {
            var step = gAfter[i].Select((w, j) => gBefore[i][j] - w).ToArray();
            Assert.True(GradientCheck.Compare(step, gNumerical[i]) < 2e-3, $"G {g.Parameters[i].Name}: {GradientCheck.Compare(step, gNumerical[i]):E2}");
        }
        Assert.Equal(dAfter, Values(d));   // G's step left D as D's step made it
        Assert.Single(trainer.History.L1);
    }

    [Fact]
    public void FacadesArePairsOfColourImagesInTheUnitInterval()
    {
        var test = Facades.Load("test");
        Assert.Equal(106, test.Count);
        Assert.Equal(new Shape(106, 3, 128, 128), test.Photos.Shape);
        Assert.Equal(test.Photos.Shape, test.Labels.Shape);
        Assert.InRange(test.Photos.Min().Item(), 0f, 1f);
        Assert.InRange(test.Photos.Max().Item(), 0f, 1f);
        Assert.True(test.Photos.Max().Item() > 0.9f && test.Labels.Max().Item() > 0.5f);
        Assert.Equal(test.Files.Order(StringComparer.Ordinal), test.Files);
    }

    [Fact]
    public void GrayIsTheBt601MixOfTheChannels()
    {
        var rgb = Tensor.FromData([1, 3, 1, 2], [1f, 0f, 0f, 1f, 0f, 0.5f]);   // pixel 0 = (1, 0, 0), pixel 1 = (0, 1, 0.5)
        Assert.Equal([0.299f, 0.587f + 0.057f], Facades.ToGray(rgb).ToArray(), (a, b) => Math.Abs(a - b) < 1e-6);
    }

    [Fact]
    public void JitterMovesInputAndTargetTogether()
    {
        var photos = Facades.Load("test").Take(4).Photos;
        var (a, b) = Facades.Jitter(photos, photos, new Xoshiro256(7));
        Assert.Equal(photos.Shape, a.Shape);
        Assert.Equal(a.ToArray(), b.ToArray());                       // the same cut and mirror for both sides of a pair
        var (again, _) = Facades.Jitter(photos, photos, new Xoshiro256(7));
        Assert.Equal(a.ToArray(), again.ToArray());                   // seeded
        Assert.NotEqual(photos.ToArray(), a.ToArray());
    }
}

public class SharpnessTests
{
    [Fact]
    public void SharpnessIsTheMeanNeighbourDifference()
    {
        // 2×3 image: across |1−0|, |0−1|, |3−3|, |3−3| and down |3−0|, |3−1|, |3−0|: (2 + 0 + 3 + 2 + 3) / 7
        var image = Tensor.FromData([1, 1, 2, 3], [0f, 1f, 0f, 3f, 3f, 3f]);
        Assert.Equal(10.0 / 7, Sharpness.MeanGradientMagnitude(image), 6);
        Assert.Equal(0.0, Sharpness.MeanGradientMagnitude(Tensor.Full([1, 1, 4, 4], 0.3f)));
    }
}
