using System.Diagnostics;
using CourseKit.Layers;
using CourseKit.Optimizers;

namespace CourseKit.Generative;

/// <summary>Where a GAN's training stands after a generator step (for a progress bar or a log line).</summary>
public sealed record GanProgress(int Epoch, int Epochs, int Step, float DiscriminatorLoss, float GeneratorLoss,
                                 float DReal, float DFake, bool IsEpochEnd, TimeSpan Elapsed)
{
    public override string ToString() =>
        $"epoch {Epoch}/{Epochs}  step {Step}  D loss {DiscriminatorLoss:F3}  G loss {GeneratorLoss:F3}  " +
        $"D(x) {DReal:F2}  D(G(z)) {DFake:F2}  ({Elapsed.TotalSeconds:F1} s)";
}

/// <summary>
/// Trains a generator G and a discriminator D against each other, as the lecture's algorithm (5.6): k steps that train
/// only D with G fixed, then one step that trains only G with D fixed.
/// <list type="bullet">
/// <item>D step: fakes G(z) from fresh noise; D maximises V = E[log D(x)] + E[log(1 − D(G(z)))]; real and fake batches
/// go through D separately (DCGAN's advice, so batch normalisation never mixes them) and D's gradients are summed.</item>
/// <item>G step: D's loss gradient flows back through D into G; only G's optimizer steps, so D is frozen.</item>
/// </list>
/// D ends in one logit per sample (or per patch, for pix2pix's PatchGAN); D = σ(logit).
/// </summary>
public sealed class GanTrainer
{
    private readonly Xoshiro256 random;

    public GanTrainer(Layer generator, Layer discriminator, Optimizer generatorOptimizer, Optimizer discriminatorOptimizer,
                      int latentSize, ClassCondition? condition = null, long seed = 0)
    {
        if (latentSize <= 0) throw new ArgumentOutOfRangeException(nameof(latentSize), $"GanTrainer: the latent size must be positive, got {latentSize}.");
        if (ReferenceEquals(generatorOptimizer, discriminatorOptimizer))
            throw new ArgumentException("GanTrainer: G and D need an optimizer each (each keeps its own state and steps only its own network).");
        Generator = generator;
        Discriminator = discriminator;
        GeneratorOptimizer = generatorOptimizer;
        DiscriminatorOptimizer = discriminatorOptimizer;
        LatentSize = latentSize;
        Condition = condition;
        random = new Xoshiro256(seed);
    }

    public Layer Generator { get; }
    public Layer Discriminator { get; }
    public Optimizer GeneratorOptimizer { get; }
    public Optimizer DiscriminatorOptimizer { get; }
    public int LatentSize { get; }

    /// <summary>The class condition of a conditional GAN (lecture 5.8), or null for a plain GAN.</summary>
    public ClassCondition? Condition { get; }

    /// <summary>k of the lecture's algorithm: discriminator steps per generator step.</summary>
    public int DiscriminatorSteps { get; init; } = 1;

    /// <summary>D's target for real data: 1, or e.g. 0.9 for one-sided label smoothing (Salimans et al. 2016).</summary>
    public float RealLabel { get; init; } = 1f;

    /// <summary>G minimises −log D(G(z)) (lecture 5.6 ②, true) or log(1 − D(G(z))) (the minimax value function, false).</summary>
    public bool NonSaturating { get; init; } = true;

    public GanHistory History { get; } = new();

    public IProgress<GanProgress>? Progress { get; init; }

    /// <summary>Where the line per epoch goes; null for silence.</summary>
    public TextWriter? Log { get; init; }

    /// <summary>Noise z ~ N(0, I) of shape (n, latent size), drawn from the trainer's seeded generator.</summary>
    public Tensor SampleLatent(int n) => Tensor.Normal([n, LatentSize], 0f, 1f, random);

    /// <summary>Labels drawn uniformly from the condition's classes (for the fakes of a conditional GAN).</summary>
    public int[] SampleLabels(int n)
    {
        var condition = Condition ?? throw new InvalidOperationException("GanTrainer.SampleLabels: this GAN has no class condition.");
        var labels = new int[n];
        for (int i = 0; i < n; i++) labels[i] = random.NextInt(condition.Classes);
        return labels;
    }

    /// <summary>G(z) (or G(z, c)) in inference mode: what the generator draws now.</summary>
    public Tensor Generate(Tensor z, int[]? labels = null) => Generator.Forward(GeneratorInput(z, labels), training: false);

    /// <summary>
    /// One step that trains only D on a real batch and as many fakes, G(z) for fresh noise or for the given
    /// <paramref name="latent"/> (n, latent size). Returns D's loss, mean D(x) and mean D(G(z)).
    /// </summary>
    public (float Loss, float DReal, float DFake) DiscriminatorStep(Tensor real, int[]? labels = null, Tensor? latent = null)
    {
        int n = real.Shape[0];
        var fakeLabels = Condition is null ? null : SampleLabels(n);
        var z = latent is null ? SampleLatent(n) : CheckLatent(latent, n, "DiscriminatorStep");
        var fake = Generator.Forward(GeneratorInput(z, fakeLabels), training: true);   // G is not updated here

        var realLogits = Discriminator.Forward(DiscriminatorInput(real, labels), training: true);
        var (realLoss, dReal) = GanLoss.RealTerm(realLogits, RealLabel);
        float dOfReal = GanLoss.Sigmoid(realLogits).Mean().Item();
        Discriminator.Backward(dReal);
        var realGradients = Discriminator.Parameters.Select(p => p.Grad.Clone()).ToArray();   // the next Backward overwrites them

        var fakeLogits = Discriminator.Forward(DiscriminatorInput(fake, fakeLabels), training: true);
        var (fakeLoss, dFake) = GanLoss.FakeTerm(fakeLogits);
        float dOfFake = GanLoss.Sigmoid(fakeLogits).Mean().Item();
        Discriminator.Backward(dFake);
        var parameters = Discriminator.Parameters;
        for (int i = 0; i < parameters.Count; i++) parameters[i].Grad = parameters[i].Grad + realGradients[i];   // ∂(−V)/∂θ_D of both halves

        DiscriminatorOptimizer.Step(parameters);
        return (realLoss + fakeLoss, dOfReal, dOfFake);
    }

    /// <summary>One step that trains only G on <paramref name="n"/> fresh fakes; D's parameters are not updated. Returns G's loss.</summary>
    public float GeneratorStep(int n)
    {
        var labels = Condition is null ? null : SampleLabels(n);
        return GeneratorStep(SampleLatent(n), labels);
    }

    /// <summary>One step that trains only G on the fakes G(<paramref name="latent"/>) (with <paramref name="labels"/> for a conditional GAN). Returns G's loss.</summary>
    public float GeneratorStep(Tensor latent, int[]? labels = null)
    {
        if ((Condition is null) != (labels is null))
            throw new ArgumentException($"GanTrainer.GeneratorStep: {(Condition is null ? "this GAN has no class condition, so no labels" : "a conditional GAN needs the fakes' labels")}.");
        var fake = Generator.Forward(GeneratorInput(CheckLatent(latent, latent.Shape[0], "GeneratorStep"), labels), training: true);
        var logits = Discriminator.Forward(DiscriminatorInput(fake, labels), training: true);
        var loss = GanLoss.Generator(logits, NonSaturating);
        var dInput = Discriminator.Backward(loss.DFake);            // through D to its input; D's own gradients are left unused
        var dFake = Condition is null ? dInput : Condition.ImageGradient(dInput, fake.Shape[1]);
        Generator.Backward(dFake);
        GeneratorOptimizer.Step(Generator.Parameters);
        return loss.Value;
    }

    private Tensor CheckLatent(Tensor latent, int n, string caller) =>
        latent.Rank == 2 && latent.Shape[0] == n && latent.Shape[1] == LatentSize ? latent
            : throw new ArgumentException($"GanTrainer.{caller}: the latent batch must be ({n}, {LatentSize}), got {latent.Shape}.");

    /// <summary>
    /// Trains for <paramref name="epochs"/> passes over <paramref name="data"/>: every real batch is one D step, and after
    /// every <see cref="DiscriminatorSteps"/> D steps comes one G step with a batch of the same size.
    /// <paramref name="epochEnded"/> runs after each epoch (e.g. to show a grid of samples).
    /// </summary>
    public GanHistory Fit(IEnumerable<(Tensor Images, int[] Labels)> data, int epochs, Action<int>? epochEnded = null)
    {
        if (DiscriminatorSteps < 1) throw new InvalidOperationException($"GanTrainer: DiscriminatorSteps (k) must be at least 1, got {DiscriminatorSteps}.");
        var clock = Stopwatch.StartNew();
        for (int epoch = 1; epoch <= epochs; epoch++)
        {
            int dSteps = 0;
            float dLoss = 0, dReal = 0, dFake = 0;
            GanProgress? last = null;
            foreach (var (images, labels) in data)
            {
                (dLoss, dReal, dFake) = DiscriminatorStep(images, Condition is null ? null : labels);
                if (++dSteps % DiscriminatorSteps != 0) continue;
                float gLoss = GeneratorStep(images.Shape[0]);
                if (!float.IsFinite(gLoss) || !float.IsFinite(dLoss))
                    throw new InvalidOperationException($"GanTrainer: the losses became D {dLoss}, G {gLoss} at epoch {epoch}, step {History.Steps + 1}; lower the learning rates.");
                History.DiscriminatorLoss.Add(dLoss);
                History.GeneratorLoss.Add(gLoss);
                History.DReal.Add(dReal);
                History.DFake.Add(dFake);
                last = new GanProgress(epoch, epochs, History.Steps, dLoss, gLoss, dReal, dFake, false, clock.Elapsed);
                Progress?.Report(last);
            }
            if (dSteps == 0) throw new ArgumentException("GanTrainer.Fit: the data gave no mini-batches.");
            History.EpochEnds.Add(History.Steps);
            if (last is not null)
            {
                var end = last with { IsEpochEnd = true, Elapsed = clock.Elapsed };
                Log?.WriteLine(end);
                Progress?.Report(end);
            }
            epochEnded?.Invoke(epoch);
        }
        return History;
    }

    private Tensor GeneratorInput(Tensor z, int[]? labels)
    {
        if (Condition is null) return z;
        return Condition.GeneratorInput(z, labels ?? throw new ArgumentException("GanTrainer: a conditional GAN needs the labels of its samples."));
    }

    private Tensor DiscriminatorInput(Tensor images, int[]? labels)
    {
        if (Condition is null) return images;
        return Condition.DiscriminatorInput(images, labels ?? throw new ArgumentException("GanTrainer: a conditional GAN needs the labels of the real batch."));
    }
}
