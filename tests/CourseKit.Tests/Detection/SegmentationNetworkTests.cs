using CourseKit.Detection;
using CourseKit.Layers;
using CourseKit.Tests.Layers;
using CourseKit.Training;

namespace CourseKit.Tests.Detection;

public class SegmentationNetworkTests
{
    private const double Bound = GradientBound.Float32;

    [Fact]
    public void UnpoolingPutsEachValueAtItsArgmax()
    {
        // lecture 6.4: the 2×2 maxima of [[1 5 2 0] [3 4 8 1]] are at (0,1) and (1,2); unpooling [10 20] puts them back there
        var pool = new MaxPooling(2);
        pool.Forward(new Tensor([1, 1, 2, 4], [1f, 5, 2, 0, 3, 4, 8, 1]));
        var unpool = new MaxUnpooling(pool);
        var y = unpool.Forward(new Tensor([1, 1, 1, 2], [10f, 20f]));
        Assert.Equal([0f, 10, 0, 0, 0, 0, 20, 0], y.ToArray());
        Assert.Equal([1, 1, 2, 4], y.Shape.ToArray());
        // backward reads dout at the same places
        var dx = unpool.Backward(new Tensor([1, 1, 2, 4], [1f, 2, 3, 4, 5, 6, 7, 8]));
        Assert.Equal([2f, 7f], dx.ToArray());
    }

    [Fact]
    public void UnpoolingBackwardMatchesNumericalGradientAndIsTheAdjoint()
    {
        var pool = new MaxPooling(2);
        pool.Forward(RandomTensor.Distinct([2, 3, 6, 4], seed: 1));
        var unpool = new MaxUnpooling(pool);
        var result = GradientCheck.Layer(unpool, RandomTensor.Uniform([2, 3, 3, 2], seed: 2), seed: 3);
        Assert.True(result.InputError < Bound, result.ToString());
        // ⟨unpool(x), d⟩ = ⟨x, unpoolᵀ(d)⟩ for any x and d
        var x = RandomTensor.Uniform([2, 3, 3, 2], seed: 4);
        var d = RandomTensor.Uniform([2, 3, 6, 4], seed: 5);
        double left = (unpool.Forward(x) * d).Sum().Item(), right = (x * unpool.Backward(d)).Sum().Item();
        Assert.Equal(left, right, 4);
    }

    [Fact]
    public void UnpoolingBeforeItsPoolingIsExplained()
    {
        var e = Assert.Throws<InvalidOperationException>(() => new MaxUnpooling(new MaxPooling(2)).Forward(Tensor.Zeros(1, 1, 2, 2)));
        Assert.Contains("MaxPooling", e.Message);
    }

    [Fact]
    public void SkipFusionAddsTheUpsampledCoarseAndTheScoredFineMaps()
    {
        var fusion = new FcnSkipFusion(classCount: 2, fineChannels: 3, seed: 6);
        var coarse = RandomTensor.Uniform([2, 2, 3, 3], seed: 7);
        var fine = RandomTensor.Uniform([2, 3, 6, 6], seed: 8);
        var y = fusion.Forward(coarse, fine);
        var expected = new ConvolutionTranspose(2, 2, 4, stride: 2, pad: 1, seed: 6).Forward(coarse) + new Convolution(3, 2, 1, seed: 7).Forward(fine);
        Assert.True(Tensor.AllClose(y, expected, 1e-5, 1e-6));
    }

    [Fact]
    public void SkipFusionGradientsMatchNumericalGradientsForBothInputs()
    {
        var fusion = new FcnSkipFusion(2, 3, seed: 9);
        var coarse = RandomTensor.Uniform([1, 2, 2, 3], seed: 10);
        var fine = RandomTensor.Uniform([1, 3, 4, 6], seed: 11);
        var r = RandomTensor.Uniform([1, 2, 4, 6], seed: 12);
        var rHost = r.ToArray();
        double E() => fusion.Forward(coarse, fine).ToArray().Select((v, i) => (double)v * rHost[i]).Sum();
        fusion.Forward(coarse, fine);
        var (dCoarse, dFine) = fusion.Backward(r);
        var gradW = fusion.Upsample.W.Grad.ToArray();
        Assert.True(GradientCheck.Compare(dCoarse.ToArray(), GradientCheck.Numerical(coarse, E)) < Bound);
        Assert.True(GradientCheck.Compare(dFine.ToArray(), GradientCheck.Numerical(fine, E)) < Bound);
        Assert.True(GradientCheck.Compare(gradW, GradientCheck.Numerical(fusion.Upsample.W.Value, E)) < Bound);
    }

    [Theory]
    [InlineData(20)] [InlineData(30)] [InlineData(40)]
    public void FcnBackwardMatchesNumericalGradient(int seed)
    {
        // The skips make pool1 and pool2 feed two consumers: their gradients must add up (a missing term gives errors
        // of order 1). Through six ReLU/max-pooling stages in float32 the errors reach 1e-3, hence the looser bound; a
        // seed whose step crosses a ReLU or max-pooling kink (seed 13: first-layer W 2e-2) is not a test of backward.
        var fcn = new Fcn(2, 3, width: 2, seed: seed);
        var result = GradientCheck.Layer(fcn, RandomTensor.Uniform([1, 2, 8, 8], seed: seed + 1), seed: seed + 2, h: 1e-3f);
        Assert.True(result.MaxError < 5e-3, result.ToString());
        Assert.Equal([1, 3, 16, 8], fcn.Forward(Tensor.Zeros(1, 2, 16, 8)).Shape.ToArray());
    }

    [Theory]
    [InlineData(false, 16)] [InlineData(true, 26)] [InlineData(true, 36)]
    public void SegNetBackwardMatchesNumericalGradient(bool batchNormalization, int seed)
    {
        // Batch normalisation squeezes each window's values together, so a step of h = 1e-3 more often moves a max-pooling
        // argmax or crosses a ReLU: with it, seeds 16 and 46 give errors of 0.11 and 1.0 at that step that fall to 1.4e-3 and
        // 3.2e-3 at h = 2.5e-4 (a kink, not backward). The seeds here are clear of kinks at h = 1e-3.
        var segnet = new SegNet(2, 3, width: 2, depth: 2, seed: seed, batchNormalization: batchNormalization);
        Assert.Equal(batchNormalization ? 4 : 0, segnet.Network.Count(l => l is BatchNormalization));
        var result = GradientCheck.Layer(segnet, RandomTensor.Uniform([1, 2, 8, 8], seed: seed + 1), seed: seed + 2, h: 1e-3f);
        Assert.True(result.MaxError < 5e-3, result.ToString());
        Assert.Equal([2, 3, 12, 8], segnet.Forward(Tensor.Zeros(2, 2, 12, 8)).Shape.ToArray());
    }
}
