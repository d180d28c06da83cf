using CourseKit.Layers;
using CourseKit.Losses;
using CourseKit.Optimizers;

namespace CourseKit.Generative;

/// <summary>What pix2pix's training looked like, one entry per step.</summary>
public sealed class Pix2PixHistory
{
    public List<float> DiscriminatorLoss { get; } = [];
    public List<float> GeneratorGanLoss { get; } = [];
    public List<float> L1 { get; } = [];

    /// <summary>Mean D(x, y) over the patches of real pairs.</summary>
    public List<float> DReal { get; } = [];

    /// <summary>Mean D(x, G(x)) over the patches of generated pairs.</summary>
    public List<float> DFake { get; } = [];
}

/// <summary>
/// Trains pix2pix (lecture 5.9): D judges pairs (input x, output y) patch by patch; G minimises the GAN loss plus
/// λ·L1(G(x), y), λ = 100 in the paper. The L1 term pulls G towards the truth at low frequencies (alone it gives the
/// blurry average), the GAN term makes the patches look real (sharp). As in the paper, D's objective is halved, Adam
/// uses lr 2e-4 and β₁ = 0.5 (the caller's optimizers), and G runs in training mode also when generating (dropout
/// as noise, batch statistics).
/// </summary>
public sealed class Pix2PixTrainer(Layer generator, Layer discriminator, Optimizer generatorOptimizer, Optimizer discriminatorOptimizer,
                                   float lambda = 100f)
{
    private readonly L1Loss l1 = new();

    public Layer Generator { get; } = generator;
    public Layer Discriminator { get; } = discriminator;
    public float Lambda { get; } = lambda;
    public Pix2PixHistory History { get; } = new();

    /// <summary>G(x) as during training (the paper keeps dropout and batch statistics at test time).</summary>
    public Tensor Generate(Tensor x) => Generator.Forward(x, training: true);

    /// <summary>One D step, then one G step, on a batch of pairs (x: input images, y: their true outputs).</summary>
    public void Step(Tensor x, Tensor y)
    {
        if (x.Rank != 4 || y.Rank != 4 || x.Shape[0] != y.Shape[0] || x.Shape[2] != y.Shape[2] || x.Shape[3] != y.Shape[3])
            throw new ArgumentException($"Pix2PixTrainer.Step: inputs {x.Shape} and targets {y.Shape} must be batches of images of one size.");
        var fake = Generator.Forward(x, training: true);

        // D: −½ (E[log D(x, y)] + E[log(1 − D(x, G(x)))]), the two batches through D one after the other
        var realLogits = Discriminator.Forward(Tensor.Concat([x, y], axis: 1), training: true);
        var (realLoss, dReal) = GanLoss.RealTerm(realLogits);
        Discriminator.Backward(dReal * 0.5f);
        var realGradients = Discriminator.Parameters.Select(p => p.Grad.Clone()).ToArray();
        var fakeLogits = Discriminator.Forward(Tensor.Concat([x, fake], axis: 1), training: true);
        var (fakeLoss, dFake) = GanLoss.FakeTerm(fakeLogits);
        Discriminator.Backward(dFake * 0.5f);
        var parameters = Discriminator.Parameters;
        for (int i = 0; i < parameters.Count; i++) parameters[i].Grad = parameters[i].Grad + realGradients[i];
        DiscriminatorOptimizer.Step(parameters);

        // G: −log D(x, G(x)) + λ·|G(x) − y|₁, D frozen
        var logits = Discriminator.Forward(Tensor.Concat([x, fake], axis: 1), training: true);
        var gan = GanLoss.Generator(logits);
        var dPair = Discriminator.Backward(gan.DFake);
        var dFromD = dPair[.., x.Shape[1]..];                          // the output's channels of the pair
        float l1Value = l1.Forward(fake, y);
        Generator.Backward(dFromD + Lambda * l1.Backward());
        GeneratorOptimizer.Step(Generator.Parameters);

        History.DiscriminatorLoss.Add(0.5f * (realLoss + fakeLoss));
        History.GeneratorGanLoss.Add(gan.Value);
        History.L1.Add(l1Value);
        History.DReal.Add(GanLoss.Sigmoid(realLogits).Mean().Item());
        History.DFake.Add(GanLoss.Sigmoid(fakeLogits).Mean().Item());
    }

    public Optimizer GeneratorOptimizer { get; } = generatorOptimizer;
    public Optimizer DiscriminatorOptimizer { get; } = discriminatorOptimizer;
}
