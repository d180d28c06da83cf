using CourseKit.Backends;

namespace CourseKit.Layers;

/// <summary>
/// Batch normalization (Ioffe &amp; Szegedy 2015): per feature for (N, D) input, per channel for (N, C, H, W).
/// Training: x̂ = (x − μ_B) / √(σ²_B + ε), y = γ·x̂ + β, and running averages of μ and σ² are updated
/// (running = momentum·running + (1 − momentum)·batch). Inference uses the running statistics.
/// The batch variance normalises x with 1/m (the lecture, DLFS); PyTorch's running_var keeps the unbiased m/(m − 1)·σ²_B
/// instead (m values per channel), which <c>unbiasedRunningVariance: true</c> does too, to compare with PyTorch
/// (whose momentum 0.1 is this class's 0.9).
/// On a backend with <see cref="IBatchNormalization"/> (the CPU) the same formulas run as a few fused passes over the map,
/// dx written into the buffer a container lets the layer reuse; elsewhere as the tensor operations below.
/// </summary>
public sealed class BatchNormalization : Layer
{
    private readonly Parameter gamma, beta;
    // kept for backward: x itself, not x̂ = (x − μ)·σ⁻¹, which backward makes again from the per-channel μ and σ⁻¹. In a
    // network x is the convolution's output, which that layer keeps anyway; a saved x̂ would be a second copy of it.
    private Tensor? input, usedMean, invStd;
    private Tensor? dxBuffer;  // dx, which a container reads only until our next call (MayReuseResults)
    private bool lastWasTraining;

    public BatchNormalization(int features, float momentum = 0.9f, float epsilon = 1e-5f, bool unbiasedRunningVariance = false)
    {
        if (features <= 0) throw new ArgumentException($"BatchNormalization: the number of features/channels must be positive, got {features}.");
        gamma = new Parameter("gamma", Tensor.Ones(features));
        beta = new Parameter("beta", Tensor.Zeros(features));
        RunningMean = Tensor.Zeros(features);
        RunningVariance = Tensor.Ones(features);
        Momentum = momentum;
        Epsilon = epsilon;
        UnbiasedRunningVariance = unbiasedRunningVariance;
    }

    /// <summary>False (the lecture): running_var averages σ²_B; true (PyTorch): it averages m/(m − 1)·σ²_B.</summary>
    public bool UnbiasedRunningVariance { get; }

    /// <summary>
    /// True: where the backend implements <see cref="IBatchNormalization"/> (the CPU), forward and backward are its few
    /// passes over the map; false: always the tensor operations of the definition (which tests and the benchmark compare).
    /// </summary>
    internal bool UseBackendKernel { get; set; } = true;

    public int Features => gamma.Shape[0];
    public float Momentum { get; }
    public float Epsilon { get; }
    public Parameter Gamma => gamma;
    public Parameter Beta => beta;
    public Tensor RunningMean { get; private set; }
    public Tensor RunningVariance { get; private set; }

    public override IReadOnlyList<Parameter> Parameters => [gamma, beta];

    public override IEnumerable<(string Name, Tensor Value)> State() =>
        [.. base.State(), ("running_mean", RunningMean), ("running_var", RunningVariance)];

    public override Layer To(Device device)
    {
        base.To(device);
        RunningMean = RunningMean.To(device);
        RunningVariance = RunningVariance.To(device);
        return this;
    }

    public override Tensor Forward(Tensor x, bool training = false)
    {
        if (x.Rank is not (2 or 4) || x.Shape[1] != Features)
            throw new ArgumentException($"{Name}: expects (N, {Features}) or (N, {Features}, H, W) input, got {x.Shape}.");
        var v = View(x.Shape);                       // (N, C, L) with L = H·W or 1
        var x3 = x.Reshape(v.N, v.C, v.L);
        var fused = UseBackendKernel ? x.Backend as IBatchNormalization : null;  // a few passes over the map, else tensor operations
        Tensor mean, variance;
        if (training)
        {
            if (fused is null)
            {
                mean = x3.Mean([0, 2]);                                    // per channel: over the batch and the pixels
                variance = (x3 - mean.Reshape(1, v.C, 1)).Square().Mean([0, 2]);
            }
            else
            {
                mean = new Tensor([v.C], x.Device);
                variance = new Tensor([v.C], x.Device);
                fused.BatchNormalizationStatistics(x.Storage, v.N, v.C, v.L, mean.Storage, variance.Storage);
            }
            LayerMath.Assign(RunningMean, Momentum * RunningMean + (1f - Momentum) * mean);
            int m = v.N * v.L;                                             // values per channel
            var kept = UnbiasedRunningVariance && m > 1 ? variance * ((float)m / (m - 1)) : variance;
            LayerMath.Assign(RunningVariance, Momentum * RunningVariance + (1f - Momentum) * kept);
        }
        else
        {
            mean = RunningMean;
            variance = RunningVariance;
        }
        invStd = 1f / (variance + Epsilon).Sqrt();
        input = x3;
        usedMean = mean;
        lastWasTraining = training;
        if (fused is null)
        {
            var y = XHat(x3, mean, invStd) * gamma.Value.Reshape(1, v.C, 1) + beta.Value.Reshape(1, v.C, 1);
            return y.Reshape(x.Shape.ToArray());
        }
        // y into a new tensor, not into last call's: the next layer (ReLU) keeps its own output, so a y held here from
        // step to step would be one more map per layer kept through the forward pass (U-Net: 1.94x the minimum
        // activation memory becomes 2.37x); a new map costs little here, where dx's below cost twenty times the pass
        var into = new Tensor(x.Shape, x.Device);
        fused.BatchNormalizationForward(x.Storage, v.N, v.C, v.L, mean.Storage, invStd.Storage, gamma.Value.Storage, beta.Value.Storage, into.Storage);
        return into;
    }

    public override Tensor Backward(Tensor dout)
    {
        var x3 = Saved(input);
        var s = Saved(invStd);
        var v = View(dout.Shape);
        ExpectGradient(dout.Reshape(v.N, v.C, v.L), x3.Shape);
        if (UseBackendKernel && dout.Backend is IBatchNormalization fused)
        {
            var into = ResultTensor(ref dxBuffer, dout.Shape, dout.Device);
            var dgamma = new Tensor([v.C], dout.Device);
            var dbeta = new Tensor([v.C], dout.Device);
            fused.BatchNormalizationBackward(dout.Storage, x3.Storage, v.N, v.C, v.L, Saved(usedMean).Storage, s.Storage, gamma.Value.Storage,
                                             lastWasTraining, into.Storage, dgamma.Storage, dbeta.Storage);
            gamma.Grad = dgamma;
            beta.Grad = dbeta;
            return into;
        }
        var xh = XHat(x3, Saved(usedMean), s);
        var dy = dout.Reshape(v.N, v.C, v.L);
        beta.Grad = dy.Sum([0, 2]);                               // dβ = Σ dy
        gamma.Grad = (dy * xh).Sum([0, 2]);                       // dγ = Σ dy·x̂
        var dxHat = dy * gamma.Value.Reshape(1, v.C, 1);
        Tensor dx;
        if (lastWasTraining)
        {
            // μ and σ² depend on every x of the channel: dx = (1/σ)·(dx̂ − mean(dx̂) − x̂·mean(dx̂·x̂)).
            var meanDxHat = dxHat.Mean([0, 2], keepDims: true);
            var meanDxHatXHat = (dxHat * xh).Mean([0, 2], keepDims: true);
            dx = (dxHat - meanDxHat - xh * meanDxHatXHat) * s.Reshape(1, v.C, 1);
        }
        else
        {
            dx = dxHat * s.Reshape(1, v.C, 1);                    // inference: a fixed affine map per channel
        }
        return dx.Reshape(dout.Shape.ToArray());
    }

    /// <summary>x̂ = (x − μ)·σ⁻¹ per channel, for (N, C, L) x.</summary>
    private static Tensor XHat(Tensor x3, Tensor mean, Tensor invStd) =>
        (x3 - mean.Reshape(1, x3.Shape[1], 1)) * invStd.Reshape(1, x3.Shape[1], 1);

    private static (int N, int C, int L) View(Shape s) => (s[0], s[1], s.Rank == 4 ? s[2] * s[3] : 1);
}
