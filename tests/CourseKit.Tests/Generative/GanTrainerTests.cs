using CourseKit.Generative;
using CourseKit.Layers;
using CourseKit.Optimizers;
using CourseKit.Tests.Layers;
using CourseKit.Training;

namespace CourseKit.Tests.Generative;

public class GanTrainerTests
{
    private const int Latent = 3, Batch = 6;

    private static Sequential SmallGenerator() => new(new Affine(Latent, 5, seed: 1), new Tanh(), new Affine(5, 2, seed: 2));
    private static Sequential SmallDiscriminator() => new(new Affine(2, 4, seed: 3), new Tanh(), new Affine(4, 1, seed: 4));

    private static float[][] Values(Layer layer) => [.. layer.Parameters.Select(p => p.Value.ToArray())];

    // The noise the trainer draws first: its generator seeded like the trainer's.
    private static Tensor FirstNoise(long seed) => Tensor.Normal([Batch, Latent], 0f, 1f, new Xoshiro256(seed));

    [Fact]
    public void DiscriminatorStepDescendsTheGradientOfMinusVOverBothBatches()
    {
        var g = SmallGenerator();
        var d = SmallDiscriminator();
        var real = RandomTensor.Uniform([Batch, 2], seed: 5);
        var fake = g.Forward(FirstNoise(seed: 7));
        double E() => GanLoss.Discriminator(d.Forward(real), d.Forward(fake)).Value;   // −V on these two batches
        var numerical = d.Parameters.Select(p => GradientCheck.Numerical(p.Value, E)).ToArray();
        var before = Values(d);
        var gBefore = Values(g);

        var trainer = new GanTrainer(g, d, new SGD(1f), new SGD(1f), Latent, seed: 7);
        trainer.DiscriminatorStep(real);

        var after = Values(d);
        for (int i = 0; i < after.Length; i++)
        {
            var step = after[i].Select((w, j) => before[i][j] - w).ToArray();   // = 1·∂(−V)/∂θ
            Assert.True(GradientCheck.Compare(step, numerical[i]) < 1e-3, $"{d.Parameters[i].Name}: {GradientCheck.Compare(step, numerical[i]):E2}");
        }
        Assert.Equal(gBefore, Values(g));   // G is fixed while D learns
    }

    [Fact]
    public void StepsGivenTheNoiseTrainAsTheStepsThatDrawTheSameNoise()
    {
        var real = RandomTensor.Uniform([Batch, 2], seed: 5);
        var (g1, d1, g2, d2) = (SmallGenerator(), SmallDiscriminator(), SmallGenerator(), SmallDiscriminator());
        var drawing = new GanTrainer(g1, d1, new SGD(0.5f), new SGD(0.5f), Latent, seed: 7);
        var given = new GanTrainer(g2, d2, new SGD(0.5f), new SGD(0.5f), Latent, seed: 99);
        var noise = new Xoshiro256(7);
        Tensor Next() => Tensor.Normal([Batch, Latent], 0f, 1f, noise);   // the trainer's draws, in its order

        drawing.DiscriminatorStep(real);
        given.DiscriminatorStep(real, latent: Next());
        drawing.GeneratorStep(Batch);
        given.GeneratorStep(Next());

        Assert.Equal(Values(d1), Values(d2));
        Assert.Equal(Values(g1), Values(g2));
    }

    [Fact]
    public void NoiseOfTheWrongShapeIsRefusedWithBothShapes()
    {
        var trainer = new GanTrainer(SmallGenerator(), SmallDiscriminator(), new SGD(0.1f), new SGD(0.1f), Latent);
        var e = Assert.Throws<ArgumentException>(() => trainer.DiscriminatorStep(Tensor.Zeros(Batch, 2), latent: Tensor.Zeros(Batch, Latent + 1)));
        Assert.Contains($"({Batch}, {Latent})", e.Message);
        Assert.Contains($"({Batch}, {Latent + 1})", e.Message);
        e = Assert.Throws<ArgumentException>(() => trainer.GeneratorStep(Tensor.Zeros(Batch, 2, 1)));
        Assert.Contains("GeneratorStep", e.Message);
    }

    [Fact]
    public void GeneratorStepDescendsMinusLogDAndLeavesTheDiscriminatorFrozen()
    {
        var g = SmallGenerator();
        var d = SmallDiscriminator();
        var z = FirstNoise(seed: 11);
        double E() => GanLoss.Generator(d.Forward(g.Forward(z))).Value;                // mean −log D(G(z))
        var numerical = g.Parameters.Select(p => GradientCheck.Numerical(p.Value, E)).ToArray();
        var before = Values(g);
        var dBefore = Values(d);

        var trainer = new GanTrainer(g, d, new SGD(1f), new SGD(1f), Latent, seed: 11);
        trainer.GeneratorStep(Batch);

        var after = Values(g);
        for (int i = 0; i < after.Length; i++)
        {
            var step = after[i].Select((w, j) => before[i][j] - w).ToArray();
            Assert.True(GradientCheck.Compare(step, numerical[i]) < 1e-3, $"{g.Parameters[i].Name}: {GradientCheck.Compare(step, numerical[i]):E2}");
        }
        Assert.Equal(dBefore, Values(d));   // D is fixed while G learns
    }

    [Fact]
    public void TheTrainedDiscriminatorApproachesTheOptimalOne()
    {
        // Goodfellow et al. 2014, Prop. 1: for a fixed G, D*(x) = p_data(x) / (p_data(x) + p_g(x)).
        var data = new Gaussian1D(0, 1);
        var generated = new Gaussian1D(1.5, 0.8);
        var g = new Sequential(new Affine(1, 1));
        LayerMath.Assign(((Affine)g[0]).W.Value, Tensor.Full([1, 1], (float)generated.Std));
        LayerMath.Assign(((Affine)g[0]).B.Value, Tensor.Full([1], (float)generated.Mean));   // G(z) = μ_g + σ_g·z exactly
        var d = new Sequential(new Affine(1, 32, seed: 1), new Tanh(), new Affine(32, 32, seed: 2), new Tanh(), new Affine(32, 1, seed: 3));
        var trainer = new GanTrainer(g, d, new SGD(1e-3f), new Adam(3e-3f), latentSize: 1, seed: 3);
        var random = new Xoshiro256(4);
        for (int step = 0; step < 1500; step++) trainer.DiscriminatorStep(data.Sample(256, random));

        var xs = Enumerable.Range(0, 17).Select(i => -1.0 + 0.2 * i).ToArray();   // −1 … 2.2, where both densities have mass
        var dx = GanLoss.Sigmoid(d.Forward(Tensor.FromData([xs.Length, 1], [.. xs.Select(x => (float)x)]))).ToArray();
        for (int i = 0; i < xs.Length; i++)
        {
            double optimal = ToyDistributions.OptimalDiscriminator(data.Density(xs[i]), generated.Density(xs[i]));
            Assert.True(Math.Abs(dx[i] - optimal) < 0.06, $"x = {xs[i]:F1}: D = {dx[i]:F3}, D* = {optimal:F3}");
        }
    }

    [Fact]
    public void FitTakesOneGeneratorStepPerKDiscriminatorSteps()
    {
        var trainer = new GanTrainer(SmallGenerator(), SmallDiscriminator(), new Adam(1e-3f), new Adam(1e-3f), Latent) { DiscriminatorSteps = 2 };
        var batches = Enumerable.Range(0, 10).Select(i => (RandomTensor.Uniform([Batch, 2], seed: i), new int[Batch])).ToArray();
        var history = trainer.Fit(batches, epochs: 2);
        Assert.Equal(10, history.Steps);                 // 2 epochs × 10 batches / k = 2
        Assert.Equal([5, 10], history.EpochEnds);
        Assert.Equal(20, trainer.DiscriminatorOptimizer.Steps);
        Assert.Equal(10, trainer.GeneratorOptimizer.Steps);
        Assert.All(history.DReal.Concat(history.DFake), p => Assert.InRange(p, 0f, 1f));
    }

    [Fact]
    public void OneOptimizerForBothNetworksIsRefused()
    {
        var adam = new Adam();
        var e = Assert.Throws<ArgumentException>(() => new GanTrainer(SmallGenerator(), SmallDiscriminator(), adam, adam, Latent));
        Assert.Contains("optimizer each", e.Message);
    }

    [Fact]
    public void ConditionalDiscriminatorSeesTheLabelAsPlanes()
    {
        var condition = new ClassCondition(3);
        var images = RandomTensor.Uniform([2, 1, 4, 4], seed: 1);
        var input = condition.DiscriminatorInput(images, [2, 0]);
        Assert.Equal(new Shape(2, 4, 4, 4), input.Shape);
        Assert.Equal(images.ToArray(), input[.., ..1].ToArray());
        Assert.Equal(Enumerable.Repeat(1f, 16), input[0, 3..4].ToArray());      // sample 0 is class 2: plane 1 + 2 is ones
        Assert.Equal(0f, input[0, 1..3].Sum().Item());
        Assert.Equal(Enumerable.Repeat(1f, 16), input[1, 1..2].ToArray());
        var z = condition.GeneratorInput(Tensor.Zeros(2, 5), [2, 0]);
        Assert.Equal([0f, 0f, 0f, 0f, 0f, 0f, 0f, 1f], z[0, ..].ToArray());
        Assert.Equal(new Shape(2, 1, 4, 4), condition.ImageGradient(input, 1).Shape);
    }

    [Fact]
    public void ConditionalGanStepsRunOnDcganNetworks()
    {
        var condition = new ClassCondition(10);
        var g = Dcgan.Generator(latentSize: 4, imageSize: 28, width: 4, classes: 10);
        var d = Dcgan.Discriminator(imageSize: 28, width: 4, classes: 10);
        var trainer = new GanTrainer(g, d, new Adam(2e-4f, beta1: 0.5f), new Adam(2e-4f, beta1: 0.5f), latentSize: 4, condition);
        var (loss, dReal, dFake) = trainer.DiscriminatorStep(RandomTensor.Uniform([3, 1, 28, 28], seed: 2), [1, 7, 7]);
        Assert.True(float.IsFinite(loss) && dReal is > 0 and < 1 && dFake is > 0 and < 1);
        Assert.True(float.IsFinite(trainer.GeneratorStep(3)));
        Assert.Equal(new Shape(2, 1, 28, 28), trainer.Generate(trainer.SampleLatent(2), [3, 4]).Shape);
    }
}
