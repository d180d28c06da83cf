namespace CourseKit.Backends;

/// <summary>
/// Optional for a backend: batch normalisation in a few passes over the map. Its definition as tensor operations
/// (what <see cref="Layers.BatchNormalization"/> runs on a backend without this interface) makes about fourteen
/// whole-map temporaries per training step; these methods read x once for the statistics, once for y, and x and dy
/// twice for backward. x is viewed as (N, C, L): L = H·W for (N, C, H, W) input, 1 for (N, D) input (C = D), and every
/// statistic is per channel, over the N·L values of that channel. Same numbers as the tensor operations, up to rounding.
/// </summary>
public interface IBatchNormalization
{
    /// <summary>μ_c and the biased σ²_c = (1/m)·Σ(x − μ_c)², m = N·L, of every channel. Overwrites mean and variance (C each).</summary>
    void BatchNormalizationStatistics(TensorStorage x, int n, int channels, int pixels, TensorStorage mean, TensorStorage variance);

    /// <summary>y = (x − μ_c)·σ⁻¹_c·γ_c + β_c. Overwrites y.</summary>
    void BatchNormalizationForward(TensorStorage x, int n, int channels, int pixels, TensorStorage mean, TensorStorage invStd,
                                   TensorStorage gamma, TensorStorage beta, TensorStorage y);

    /// <summary>
    /// dβ_c = Σ dy, dγ_c = Σ dy·x̂ with x̂ = (x − μ_c)·σ⁻¹_c made again from x; and dx = γσ⁻¹·(dy − mean(dy) − x̂·mean(dy·x̂))
    /// when μ and σ came from this batch (<paramref name="batchStatistics"/>, training), else dx = γσ⁻¹·dy (the running
    /// statistics are constants). Overwrites dx, dgamma and dbeta.
    /// </summary>
    void BatchNormalizationBackward(TensorStorage dy, TensorStorage x, int n, int channels, int pixels, TensorStorage mean,
                                    TensorStorage invStd, TensorStorage gamma, bool batchStatistics,
                                    TensorStorage dx, TensorStorage dgamma, TensorStorage dbeta);
}
