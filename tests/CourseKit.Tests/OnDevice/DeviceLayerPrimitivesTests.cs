using CourseKit.Backends;

namespace CourseKit.Tests.OnDevice;

/// <summary>
/// Activation backward, softmax and the Adam step on the device against the formulas documented in
/// IComputeBackend.Layers.cs, evaluated here in double. Bound: |Δ| ≤ 1e-5·|expected| + 1e-6 (exp and
/// tanh-based terms are within a few ulp on every device; everything else is a handful of float roundings).
/// </summary>
public abstract class DeviceLayerPrimitivesTests(IDeviceFixture fixture)
{
    public static TheoryData<UnaryOp> Activations => new()
    {
        UnaryOp.Relu, UnaryOp.LeakyRelu, UnaryOp.Elu, UnaryOp.Sigmoid, UnaryOp.Tanh, UnaryOp.Softsign, UnaryOp.Abs,
    };

    [Theory]
    [MemberData(nameof(Activations))]
    public void ActivationBackwardIsTheDerivativeTimesDy(UnaryOp op)
    {
        const float alpha = 0.2f;
        var random = new Random(60 + (int)op);
        var x = Numbers.Random(random, 517, -4f, 4f);
        var dy = Numbers.Random(random, x.Length);
        var y = new float[x.Length];
        CpuBackend.Instance.Unary(op, new CpuStorage(x), new CpuStorage(y), x.Length, alpha);

        var expected = x.Select((v, i) => (float)(Derivative(op, v, alpha) * dy[i])).ToArray();
        var dx = fixture.Device.Allocate(x.Length);
        fixture.Backend.ActivationBackward(op, fixture.Upload(x), fixture.Upload(y), fixture.Upload(dy), dx, x.Length, alpha);
        Numbers.Close(expected, fixture.Download(dx), 1e-5f, 1e-6f, $"ActivationBackward({op})");
    }

    [Fact]
    public void ActivationBackwardOfAnOpWithoutDerivativeSaysSo()
    {
        var s = fixture.Device.Allocate(1);
        var error = Assert.Throws<NotSupportedException>(() => fixture.Backend.ActivationBackward(UnaryOp.Log, s, s, s, s, 1));
        Assert.Contains("Log", error.Message);
    }

    [Theory]
    [InlineData(1, 10, 1)]
    [InlineData(33, 10, 1)]
    [InlineData(2, 5, 49)]
    [InlineData(3, 1, 4)]
    public void SoftmaxAlongTheMiddleAxisSumsToOneAndMatchesTheFormula(int outer, int axis, int inner)
    {
        // Large logits: without subtracting the maximum, exp would overflow.
        var x = Numbers.Random(new Random(outer * axis + inner), outer * axis * inner, -50f, 120f);
        var expected = new float[x.Length];
        for (int o = 0; o < outer; o++)
        for (int i = 0; i < inner; i++)
        {
            int start = o * axis * inner + i;
            double max = Enumerable.Range(0, axis).Max(a => x[start + a * inner]);
            double sum = Enumerable.Range(0, axis).Sum(a => Math.Exp(x[start + a * inner] - max));
            for (int a = 0; a < axis; a++) expected[start + a * inner] = (float)(Math.Exp(x[start + a * inner] - max) / sum);
        }
        var y = fixture.Device.Allocate(x.Length);
        fixture.Backend.Softmax(fixture.Upload(x), outer, axis, inner, y);
        Numbers.Close(expected, fixture.Download(y), 1e-5f, 1e-7f, $"Softmax over (outer {outer}, axis {axis}, inner {inner})");
    }

    [Fact]
    public void AdamStepUpdatesParametersAndBothMoments()
    {
        const float lr = 0.01f, beta1 = 0.9f, beta2 = 0.999f, eps = 1e-8f;
        var random = new Random(77);
        int length = 1001;
        var p = Numbers.Random(random, length);
        var g = Numbers.Random(random, length);
        var m = Numbers.Random(random, length, -0.1f, 0.1f);
        var v = Numbers.Random(random, length, 0f, 0.01f);
        int t = 3;
        float c1 = 1f - MathF.Pow(beta1, t), c2 = 1f - MathF.Pow(beta2, t);

        var (pd, gd, md, vd) = (fixture.Upload(p), fixture.Upload(g), fixture.Upload(m), fixture.Upload(v));
        fixture.Backend.AdamUpdate(pd, gd, md, vd, length, lr, beta1, beta2, eps, c1, c2);

        var mExpected = m.Select((mi, i) => (float)(beta1 * (double)mi + (1 - (double)beta1) * g[i])).ToArray();
        var vExpected = v.Select((vi, i) => (float)(beta2 * (double)vi + (1 - (double)beta2) * g[i] * (double)g[i])).ToArray();
        var pExpected = p.Select((pi, i) => (float)(pi - lr * (mExpected[i] / (double)c1) / (Math.Sqrt(vExpected[i] / (double)c2) + eps))).ToArray();
        Numbers.Close(mExpected, fixture.Download(md), 1e-5f, 1e-7f, "Adam first moment");
        Numbers.Close(vExpected, fixture.Download(vd), 1e-5f, 1e-9f, "Adam second moment");
        Numbers.Close(pExpected, fixture.Download(pd), 1e-5f, 1e-6f, "Adam parameters");
    }

    private static double Derivative(UnaryOp op, double x, double alpha) => op switch
    {
        UnaryOp.Relu => x > 0 ? 1 : 0,
        UnaryOp.LeakyRelu => x > 0 ? 1 : alpha,
        UnaryOp.Elu => x > 0 ? 1 : alpha * Math.Exp(x),
        UnaryOp.Sigmoid => Math.Exp(-x) / Math.Pow(1 + Math.Exp(-x), 2),
        UnaryOp.Tanh => 1 - Math.Tanh(x) * Math.Tanh(x),
        UnaryOp.Softsign => 1 / Math.Pow(1 + Math.Abs(x), 2),
        UnaryOp.Abs => Math.Sign(x),
        _ => throw new ArgumentOutOfRangeException(nameof(op)),
    };
}
