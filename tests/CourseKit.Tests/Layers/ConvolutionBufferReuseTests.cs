using CourseKit.Layers;
using CourseKit.Training;

namespace CourseKit.Tests.Layers;

/// <summary>The convolution layer writes each batch's column matrix into the previous one's; backward must see the new batch.</summary>
public sealed class ConvolutionBufferReuseTests
{
    [Fact]
    public void Second_batch_gets_the_gradients_of_a_fresh_layer()
    {
        var first = RandomTensor.Uniform([3, 2, 7, 7], seed: 41);
        var second = RandomTensor.Uniform([3, 2, 7, 7], seed: 42);
        var dy = RandomTensor.Uniform([3, 4, 5, 5], seed: 43);

        var reused = new Convolution(2, 4, 3, seed: 44);
        reused.Forward(first, training: true);
        reused.Backward(dy);
        var y = reused.Forward(second, training: true);
        var dx = reused.Backward(dy);

        var fresh = new Convolution(2, 4, 3, seed: 44);
        Assert.Equal(fresh.Forward(second, training: true).ToArray(), y.ToArray());
        Assert.Equal(fresh.Backward(dy).ToArray(), dx.ToArray());
        Assert.Equal(fresh.W.Grad!.ToArray(), reused.W.Grad!.ToArray());
        Assert.Equal(fresh.B.Grad!.ToArray(), reused.B.Grad!.ToArray());
    }
}
