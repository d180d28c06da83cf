using CourseKit.Backends;
using CourseKit.Layers;
using CourseKit.Tests.Ilgpu;
using CourseKit.Training;

namespace CourseKit.Tests.Layers;

/// <summary>
/// Batch normalisation as the CPU backend's fused passes (IBatchNormalization): the kernels against their plain loops in
/// double, the layer against the definition written here in double, against its own tensor-operation path, and against
/// numerical differentiation; training and inference, (N, C, H, W) and (N, D), sizes that leave SIMD tails.
/// </summary>
public sealed class BatchNormalizationFusedTests
{
    // (N, C, L): odd planes, channels not a multiple of the vector width, (N, D) as L = 1, one value per channel's
    // image, and a map large enough to be shared over the cores in pieces of a channel's images.
    public static TheoryData<int, int, int> Views => new()
    {
        { 3, 5, 7 * 9 }, { 6, 11, 1 }, { 2, 3, 17 }, { 1, 4, 8 }, { 8, 3, 210 * 210 },
    };

    private static float[] Values(int length, int seed, float scale = 1f, float offset = 0f)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, length).Select(_ => offset + scale * (float)(random.NextDouble() * 2 - 1)).ToArray();
    }

    private static void Close(float[] expected, float[] actual, double relative, double absolute, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(expected[i] - actual[i]) <= absolute + relative * Math.Abs(expected[i]),
                $"{what}[{i}]: expected {expected[i]}, got {actual[i]}");
    }

    [Theory, MemberData(nameof(Views))]
    public void Kernels_match_their_plain_loops_in_double(int n, int c, int l)
    {
        var x = Values(n * c * l, seed: n + c + l, scale: 2f, offset: 0.5f);
        var dy = Values(n * c * l, seed: 7 * l);
        float[] gamma = Values(c, 3, 0.5f, 1f), beta = Values(c, 4);
        float[] mean = new float[c], variance = new float[c], meanRef = new float[c], varianceRef = new float[c];
        CpuBatchNormalization.Statistics(x, n, c, l, mean, variance);
        CpuBatchNormalization.StatisticsReference(x, n, c, l, meanRef, varianceRef);
        Close(meanRef, mean, 1e-6, 1e-7, "mean");
        Close(varianceRef, variance, 1e-5, 1e-7, "variance");

        var invStd = varianceRef.Select(v => (float)(1 / Math.Sqrt(v + 1e-5))).ToArray();
        float[] y = new float[x.Length], yRef = new float[x.Length];
        CpuBatchNormalization.Forward(x, n, c, l, meanRef, invStd, gamma, beta, y);
        CpuBatchNormalization.ForwardReference(x, n, c, l, meanRef, invStd, gamma, beta, yRef);
        Close(yRef, y, 1e-5, 1e-5, "y");

        foreach (bool batchStatistics in new[] { true, false })
        {
            float[] dx = new float[x.Length], dxRef = new float[x.Length];
            float[] dg = new float[c], db = new float[c], dgRef = new float[c], dbRef = new float[c];
            CpuBatchNormalization.Backward(dy, x, n, c, l, meanRef, invStd, gamma, batchStatistics, dx, dg, db);
            CpuBatchNormalization.BackwardReference(dy, x, n, c, l, meanRef, invStd, gamma, batchStatistics, dxRef, dgRef, dbRef);
            double scale = Math.Sqrt(n * l);     // sums of n·l terms of size ≤ 1 and random sign
            Close(dbRef, db, 1e-5, 1e-5 * scale, "dβ");
            Close(dgRef, dg, 1e-5, 1e-5 * scale, "dγ");
            Close(dxRef, dx, 1e-4, 1e-5, batchStatistics ? "dx (training)" : "dx (inference)");
        }
    }

    [Fact]
    public void Statistics_stay_accurate_for_a_large_map_whose_mean_dwarfs_its_spread()
    {
        // 8×16×128×128 (U-Net's first level) at 1000 ± 0.01: a float sum of x² would lose the variance entirely
        int n = 8, c = 16, l = 128 * 128;
        var x = Values(n * c * l, seed: 5, scale: 0.01f, offset: 1000f);
        float[] mean = new float[c], variance = new float[c], meanRef = new float[c], varianceRef = new float[c];
        CpuBatchNormalization.Statistics(x, n, c, l, mean, variance);
        CpuBatchNormalization.StatisticsReference(x, n, c, l, meanRef, varianceRef);
        Close(meanRef, mean, 1e-7, 0, "mean");
        Close(varianceRef, variance, 1e-4, 0, "variance");
        Assert.All(varianceRef, v => Assert.InRange(v, 2.5e-5, 4e-5));   // uniform in ±0.01 (up to float's spacing at 1000): 3.3e-5
    }

    private static BatchNormalization Layer(int features, int seed, bool fused)
    {
        var bn = new BatchNormalization(features, momentum: 0.8f) { UseBackendKernel = fused };
        Values(features, seed, 0.5f, 1.2f).CopyTo(bn.Gamma.Value.AsSpan());
        Values(features, seed + 1).CopyTo(bn.Beta.Value.AsSpan());
        return bn;
    }

    public static TheoryData<int[]> Shapes => new() { new[] { 3, 5, 7, 9 }, new[] { 6, 11 }, new[] { 2, 9, 4, 3 }, new[] { 4, 3 } };

    /// <summary>The definition in double: y = γ·(x − μ)/√(σ² + ε) + β, and dx from lecture's backward, per channel.</summary>
    private static (double[] Y, double[] Dx, double[] DGamma, double[] DBeta) Definition(
        float[] x, float[] dy, int n, int c, int l, float[] gamma, float[] beta, double[]? runningMean, double[]? runningVar, double eps)
    {
        var y = new double[x.Length];
        var dx = new double[x.Length];
        double[] dgamma = new double[c], dbeta = new double[c];
        int m = n * l;
        for (int ch = 0; ch < c; ch++)
        {
            var at = Enumerable.Range(0, n).SelectMany(i => Enumerable.Range((i * c + ch) * l, l)).ToArray();
            double mu = runningMean?[ch] ?? at.Average(i => (double)x[i]);
            double var = runningVar?[ch] ?? at.Average(i => (x[i] - mu) * (x[i] - mu));
            double sigma = Math.Sqrt(var + eps);
            var xHat = at.Select(i => (x[i] - mu) / sigma).ToArray();
            for (int k = 0; k < m; k++) y[at[k]] = gamma[ch] * xHat[k] + beta[ch];
            dbeta[ch] = at.Sum(i => (double)dy[i]);
            dgamma[ch] = Enumerable.Range(0, m).Sum(k => dy[at[k]] * xHat[k]);
            for (int k = 0; k < m; k++)
            {
                double dxHat = gamma[ch] * (double)dy[at[k]];
                dx[at[k]] = runningMean is null
                    ? (dxHat - gamma[ch] * dbeta[ch] / m - xHat[k] * gamma[ch] * dgamma[ch] / m) / sigma
                    : dxHat / sigma;
            }
        }
        return (y, dx, dgamma, dbeta);
    }

    [Theory, MemberData(nameof(Shapes))]
    public void Fused_layer_matches_the_definition_in_double_in_training_and_inference(int[] shape)
    {
        int n = shape[0], c = shape[1], l = shape.Length == 4 ? shape[2] * shape[3] : 1;
        var bn = Layer(c, seed: 11, fused: true);
        var x = Values(n * c * l, seed: 12, scale: 3f, offset: 1f);
        var dy = Values(n * c * l, seed: 13);
        float[] gamma = bn.Gamma.Value.ToArray(), beta = bn.Beta.Value.ToArray();

        var y = bn.Forward(Tensor.FromData(shape, x), training: true);
        var dx = bn.Backward(Tensor.FromData(shape, dy));
        var expected = Definition(x, dy, n, c, l, gamma, beta, null, null, bn.Epsilon);
        Close(expected.Y.Select(v => (float)v).ToArray(), y.ToArray(), 1e-5, 1e-5, "y (training)");
        Close(expected.Dx.Select(v => (float)v).ToArray(), dx.ToArray(), 1e-4, 1e-5, "dx (training)");
        Close(expected.DGamma.Select(v => (float)v).ToArray(), bn.Gamma.Grad.ToArray(), 1e-5, 1e-5, "dγ (training)");
        Close(expected.DBeta.Select(v => (float)v).ToArray(), bn.Beta.Grad.ToArray(), 1e-5, 1e-5, "dβ (training)");

        double[] runningMean = bn.RunningMean.ToArray().Select(v => (double)v).ToArray();
        double[] runningVar = bn.RunningVariance.ToArray().Select(v => (double)v).ToArray();
        var x2 = Values(n * c * l, seed: 14, scale: 2f);
        y = bn.Forward(Tensor.FromData(shape, x2), training: false);
        dx = bn.Backward(Tensor.FromData(shape, dy));
        expected = Definition(x2, dy, n, c, l, gamma, beta, runningMean, runningVar, bn.Epsilon);
        Close(expected.Y.Select(v => (float)v).ToArray(), y.ToArray(), 1e-5, 1e-5, "y (inference)");
        Close(expected.Dx.Select(v => (float)v).ToArray(), dx.ToArray(), 1e-5, 1e-5, "dx (inference)");
        Close(expected.DGamma.Select(v => (float)v).ToArray(), bn.Gamma.Grad.ToArray(), 1e-5, 1e-5, "dγ (inference)");
    }

    [Theory, MemberData(nameof(Shapes))]
    public void Fused_layer_matches_the_tensor_operation_path(int[] shape)
    {
        int c = shape[1];
        BatchNormalization fused = Layer(c, 21, fused: true), generic = Layer(c, 21, fused: false);
        for (int step = 0; step < 3; step++)
        {
            bool training = step < 2;
            var x = Tensor.FromData(shape, Values(new Shape(shape).Size, seed: 30 + step, scale: 2f, offset: step));
            var dy = Tensor.FromData(shape, Values(new Shape(shape).Size, seed: 40 + step));
            Close(generic.Forward(x, training).ToArray(), fused.Forward(x, training).ToArray(), 1e-5, 1e-5, $"y, step {step}");
            Close(generic.Backward(dy).ToArray(), fused.Backward(dy).ToArray(), 1e-4, 1e-5, $"dx, step {step}");
            Close(generic.Gamma.Grad.ToArray(), fused.Gamma.Grad.ToArray(), 1e-5, 1e-5, $"dγ, step {step}");
            Close(generic.Beta.Grad.ToArray(), fused.Beta.Grad.ToArray(), 1e-5, 1e-5, $"dβ, step {step}");
            Close(generic.RunningMean.ToArray(), fused.RunningMean.ToArray(), 1e-6, 1e-6, $"running mean, step {step}");
            Close(generic.RunningVariance.ToArray(), fused.RunningVariance.ToArray(), 1e-5, 1e-6, $"running variance, step {step}");
        }
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Fused_backward_matches_numerical_gradient(bool training)
    {
        var bn = Layer(5, seed: 51, fused: true);
        if (!training) bn.Forward(RandomTensor.Uniform([4, 5, 3, 3], seed: 52) * 2f, training: true);   // running statistics
        var conv = GradientCheck.Layer(bn, RandomTensor.Uniform([3, 5, 3, 5], seed: 53) * 3f, seed: 54, training: training);
        Assert.True(conv.MaxError < GradientBound.Float32, conv.ToString());
        var dense = Layer(11, seed: 55, fused: true);
        if (!training) dense.Forward(RandomTensor.Uniform([7, 11], seed: 56) * 2f, training: true);
        var result = GradientCheck.Layer(dense, RandomTensor.Uniform([6, 11], seed: 57) * 3f, seed: 58, training: training);
        Assert.True(result.MaxError < GradientBound.Float32, result.ToString());
    }

    [Fact]
    public void Inside_a_container_the_fused_layer_writes_dx_into_its_previous_one_and_y_into_a_new_tensor()
    {
        var bn = Layer(3, seed: 61, fused: true);
        var y1 = bn.Forward(RandomTensor.Uniform([2, 3, 5, 5], seed: 62), training: true, mayReuseResults: true);
        var dx1 = bn.Backward(RandomTensor.Uniform([2, 3, 5, 5], seed: 63), mayReuseResults: true);
        var x2 = RandomTensor.Uniform([2, 3, 5, 5], seed: 64);
        var dy2 = RandomTensor.Uniform([2, 3, 5, 5], seed: 65);
        var y2 = bn.Forward(x2, training: true, mayReuseResults: true);
        var dx2 = bn.Backward(dy2, mayReuseResults: true);
        Assert.NotSame(y1.Storage, y2.Storage);     // y is not held from step to step (the next layer keeps its own output)
        Assert.Same(dx1.Storage, dx2.Storage);
        var fresh = Layer(3, seed: 61, fused: true);
        fresh.Forward(RandomTensor.Uniform([2, 3, 5, 5], seed: 62), training: true);   // the same running statistics
        Assert.Equal(fresh.Forward(x2, training: true).ToArray(), y2.ToArray());
        Assert.Equal(fresh.Backward(dy2).ToArray(), dx2.ToArray());
        bn.Forward(x2, training: true);
        Assert.NotSame(dx2.Storage, bn.Backward(dy2).Storage);    // called directly: a new tensor
    }
}

/// <summary>The tensor-operation path on the ILGPU device (no IBatchNormalization there) against the CPU's fused passes.</summary>
[Collection(IlgpuCollection.Name)]
public sealed class BatchNormalizationDeviceTests(IlgpuFixture fixture)
{
    [Theory]
    [InlineData(new[] { 3, 5, 7, 9 })]
    [InlineData(new[] { 6, 11 })]
    public void Generic_path_on_the_device_matches_the_fused_cpu_passes(int[] shape)
    {
        Assert.False(fixture.Device.Backend is IBatchNormalization);
        int c = shape[1], size = new Shape(shape).Size;
        var onCpu = new BatchNormalization(c);
        var onDevice = new BatchNormalization(c);
        var random = new Random(71);
        var gamma = Enumerable.Range(0, c).Select(_ => 1f + (float)random.NextDouble()).ToArray();
        gamma.CopyTo(onCpu.Gamma.Value.AsSpan());
        gamma.CopyTo(onDevice.Gamma.Value.AsSpan());
        onDevice.To(fixture.Device);
        foreach (bool training in new[] { true, false })
        {
            var x = Tensor.FromData(shape, Enumerable.Range(0, size).Select(_ => 3f * (float)random.NextDouble() - 1f).ToArray());
            var dy = Tensor.FromData(shape, Enumerable.Range(0, size).Select(_ => (float)random.NextDouble() - 0.5f).ToArray());
            var y = onCpu.Forward(x, training).ToArray();
            var dx = onCpu.Backward(dy).ToArray();
            var yDevice = onDevice.Forward(x.To(fixture.Device), training).ToArray();
            var dxDevice = onDevice.Backward(dy.To(fixture.Device)).ToArray();
            for (int i = 0; i < size; i++)
            {
                Assert.True(Math.Abs(y[i] - yDevice[i]) <= 1e-5 + 1e-5 * Math.Abs(y[i]), $"y[{i}] ({training}): {y[i]} vs {yDevice[i]}");
                Assert.True(Math.Abs(dx[i] - dxDevice[i]) <= 1e-5 + 1e-4 * Math.Abs(dx[i]), $"dx[{i}] ({training}): {dx[i]} vs {dxDevice[i]}");
            }
            var dg = onCpu.Gamma.Grad.ToArray();
            var dgDevice = onDevice.Gamma.Grad.ToArray();
            for (int i = 0; i < c; i++) Assert.True(Math.Abs(dg[i] - dgDevice[i]) <= 1e-4 + 1e-5 * Math.Abs(dg[i]), $"dγ[{i}]: {dg[i]} vs {dgDevice[i]}");
        }
    }
}
