using CourseKit.Backends;

namespace CourseKit.Generative;

/// <summary>A GAN loss and its gradients with respect to the logits it was computed from.</summary>
public sealed record GanLossResult(float Value, Tensor DReal, Tensor DFake);

/// <summary>
/// The losses of lecture 5.6, computed from the discriminator's logits a (D = σ(a)), stably:
/// −log σ(a) = softplus(−a) and −log(1 − σ(a)) = softplus(a), with softplus(a) = max(a, 0) + log(1 + e^−|a|).
/// Each term is a mean over its mini-batch.
/// </summary>
public static class GanLoss
{
    /// <summary>
    /// The discriminator maximises V(D, G) = E[log D(x)] + E[log(1 − D(G(z)))] (lecture 5.6 ①), so it minimises
    /// −V = mean softplus(−a_real) + mean softplus(a_fake). With one-sided label smoothing the real target is
    /// <paramref name="realLabel"/> (e.g. 0.9) instead of 1: the real term becomes a binary cross entropy with that target.
    /// ∂/∂a_real = (σ(a_real) − realLabel)/n_real; ∂/∂a_fake = σ(a_fake)/n_fake.
    /// </summary>
    public static GanLossResult Discriminator(Tensor realLogits, Tensor fakeLogits, float realLabel = 1f)
    {
        if (!(realLabel > 0f && realLabel <= 1f))
            throw new ArgumentOutOfRangeException(nameof(realLabel), $"GanLoss.Discriminator: the real label must be in (0, 1], got {realLabel}.");
        var (realValue, dReal) = RealTerm(realLogits, realLabel);
        var (fakeValue, dFake) = FakeTerm(fakeLogits);
        return new GanLossResult(realValue + fakeValue, dReal, dFake);
    }

    /// <summary>
    /// The real half of D's loss, −E[log D(x)] (a binary cross entropy with target <paramref name="realLabel"/>:
    /// t·softplus(−a) + (1 − t)·softplus(a)), and its gradient (σ(a) − t)/n. A trainer needs the halves apart: D's
    /// backward for the real batch must run before D sees the fake one.
    /// </summary>
    public static (float Value, Tensor Gradient) RealTerm(Tensor realLogits, float realLabel = 1f)
    {
        var perSample = realLabel * Softplus(-realLogits) + (1f - realLabel) * Softplus(realLogits);
        return (perSample.Mean().Item(), (Sigmoid(realLogits) - realLabel) / realLogits.Length);
    }

    /// <summary>The fake half of D's loss, −E[log(1 − D(G(z)))] = mean softplus(a), and its gradient σ(a)/n.</summary>
    public static (float Value, Tensor Gradient) FakeTerm(Tensor fakeLogits) =>
        (Softplus(fakeLogits).Mean().Item(), Sigmoid(fakeLogits) / fakeLogits.Length);

    /// <summary>
    /// The generator's loss on D's logits for G(z). Non-saturating (lecture 5.6 ②, the default): mean −log D(G(z)) =
    /// mean softplus(−a), ∂/∂a = (σ(a) − 1)/n — strong gradients while D still rejects the fakes. Minimax
    /// (<paramref name="nonSaturating"/> false): mean log(1 − D(G(z))) = −mean softplus(a), ∂/∂a = −σ(a)/n, which
    /// vanishes as D(G(z)) → 0, the problem ② was introduced for. <see cref="GanLossResult.DReal"/> is empty.
    /// </summary>
    public static GanLossResult Generator(Tensor fakeLogits, bool nonSaturating = true)
    {
        var sigma = Sigmoid(fakeLogits);
        if (nonSaturating)
            return new GanLossResult(Softplus(-fakeLogits).Mean().Item(), Tensor.Zeros(0), (sigma - 1f) / fakeLogits.Length);
        return new GanLossResult(-Softplus(fakeLogits).Mean().Item(), Tensor.Zeros(0), -sigma / fakeLogits.Length);
    }

    /// <summary>softplus(a) = log(1 + eᵃ), written as max(a, 0) + log(1 + e^−|a|) so that no exponential overflows.</summary>
    public static Tensor Softplus(Tensor a) => a.Map(UnaryOp.Relu) + (1f + (-a.Abs()).Exp()).Log();

    /// <summary>D = σ(a), the probability that the input is training data.</summary>
    public static Tensor Sigmoid(Tensor a) => a.Map(UnaryOp.Sigmoid);
}
