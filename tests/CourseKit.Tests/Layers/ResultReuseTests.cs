using CourseKit.Layers;
using CourseKit.Losses;
using CourseKit.Models;
using CourseKit.Optimizers;
using CourseKit.Training;

namespace CourseKit.Tests.Layers;

/// <summary>
/// Inside a container a layer writes its results into the tensors of its previous call (Layer.MayReuseResults);
/// called directly it returns new ones. Either way the numbers are those of a fresh layer, and no tensor a caller
/// holds is ever written again.
/// </summary>
public sealed class ResultReuseTests
{
    // One of each layer that reuses its results, with an input of the right shape. (The first convolution of a network,
    // which needs no dX, returns the same zeros; LargeConvolution's columns do not fit in the cache, so it works from X:
    // implicit im2col / Winograd on the CPU.)
    public static TheoryData<string> LayerNames => ["ReLU", "Sigmoid", "MaxPooling", "Convolution", "FirstConvolution", "LargeConvolution", "Affine"];

    private static (Layer Layer, Shape Input) Make(string name) => name switch
    {
        "ReLU" => (new ReLU(), [2, 3, 4, 4]),
        "Sigmoid" => (new Sigmoid(), [3, 5]),
        "MaxPooling" => (new MaxPooling(2), [2, 3, 6, 6]),
        "Convolution" => (new Convolution(2, 4, 3, pad: 1, seed: 5), [2, 2, 5, 5]),
        "FirstConvolution" => (new Convolution(2, 4, 3, pad: 1, seed: 5) { ComputeInputGradient = false }, [2, 2, 5, 5]),
        "LargeConvolution" => (new Convolution(8, 8, 3, pad: 1, seed: 5), [2, 8, 128, 128]),
        "Affine" => (new Affine(3 * 4 * 4, 5, seed: 6), [2, 3, 4, 4]),
        _ => throw new ArgumentException(name),
    };

    [Theory, MemberData(nameof(LayerNames))]
    public void Called_directly_a_layer_returns_new_tensors_and_never_writes_an_old_one(string name)
    {
        var (layer, shape) = Make(name);
        var y1 = layer.Forward(RandomTensor.Uniform(shape, seed: 1), training: true);
        var dx1 = layer.Backward(RandomTensor.Uniform(y1.Shape, seed: 2));
        float[] y1Values = y1.ToArray(), dx1Values = dx1.ToArray();

        var y2 = layer.Forward(RandomTensor.Uniform(shape, seed: 3), training: true);
        var dx2 = layer.Backward(RandomTensor.Uniform(y2.Shape, seed: 4));

        Assert.NotSame(y1.Storage, y2.Storage);
        Assert.NotSame(dx1.Storage, dx2.Storage);
        Assert.Equal(y1Values, y1.ToArray());
        Assert.Equal(dx1Values, dx1.ToArray());
    }

    [Theory, MemberData(nameof(LayerNames))]
    public void Inside_a_container_a_layer_writes_into_its_previous_results_with_the_numbers_of_a_fresh_layer(string name)
    {
        var (reusing, shape) = Make(name);
        var x1 = RandomTensor.Uniform(shape, seed: 1);
        var x2 = RandomTensor.Uniform(shape, seed: 3);
        var y1 = reusing.Forward(x1, training: true, mayReuseResults: true);
        var dy = RandomTensor.Uniform(y1.Shape, seed: 2);
        var dx1 = reusing.Backward(dy, mayReuseResults: true);
        var y2 = reusing.Forward(x2, training: true, mayReuseResults: true);
        var dx2 = reusing.Backward(dy, mayReuseResults: true);

        Assert.Same(y1.Storage, y2.Storage);
        Assert.Same(dx1.Storage, dx2.Storage);
        if (name == "LargeConvolution")
            Assert.False(CourseKit.Operations.ConvolutionOperation.ColumnsFitInCache(
                CourseKit.Operations.ConvolutionOperation.Geometry(shape, ((Convolution)reusing).W.Shape, 1, 1)));
        var (fresh, _) = Make(name);
        Assert.Equal(fresh.Forward(x2, training: true).ToArray(), y2.ToArray());
        Assert.Equal(fresh.Backward(dy).ToArray(), dx2.ToArray());
        for (int i = 0; i < fresh.Parameters.Count; i++)
            Assert.Equal(fresh.Parameters[i].Grad.ToArray(), reusing.Parameters[i].Grad.ToArray());
        Assert.False(reusing.MayReuseResults);   // only for the call
    }

    [Fact]
    public void A_new_shape_gets_a_new_result()
    {
        var relu = new ReLU();
        var small = relu.Forward(RandomTensor.Uniform([2, 3], seed: 1), training: false, mayReuseResults: true);
        var large = relu.Forward(RandomTensor.Uniform([4, 3], seed: 2), training: false, mayReuseResults: true);
        Assert.NotSame(small.Storage, large.Storage);
        Assert.Equal(new Shape(4, 3), large.Shape);
    }

    [Fact]
    public void Sequential_over_several_batches_equals_its_layers_called_one_by_one()
    {
        var net = SimpleConvNet.Create(seed: 7, imageSize: 12, filters: 4, hidden: 8);
        var copy = SimpleConvNet.Create(seed: 7, imageSize: 12, filters: 4, hidden: 8);
        for (int batch = 0; batch < 3; batch++)
        {
            var x = RandomTensor.Uniform([5, 1, 12, 12], seed: 10 + batch);
            var dy = RandomTensor.Uniform([5, 10], seed: 20 + batch);
            var y = net.Forward(x, training: true);
            var dx = net.Backward(dy);

            var yc = x;
            foreach (var layer in copy.Layers) yc = layer.Forward(yc, training: true);
            var dxc = dy;
            for (int i = copy.Layers.Count - 1; i >= 0; i--) dxc = copy.Layers[i].Backward(dxc);

            Assert.Equal(yc.ToArray(), y.ToArray());
            Assert.Equal(dxc.ToArray(), dx.ToArray());
            for (int i = 0; i < net.Parameters.Count; i++)
                Assert.Equal(copy.Parameters[i].Grad.ToArray(), net.Parameters[i].Grad.ToArray());
        }
    }

    [Fact]
    public void Sequential_hands_out_a_copy_when_its_last_layer_passes_its_input_through()
    {
        // Flatten returns its input reshaped: the ReLU before it writes that memory again on the next call.
        var net = new Sequential(new Convolution(1, 2, 3, seed: 1), new ReLU(), new Flatten());
        var y1 = net.Forward(RandomTensor.Uniform([2, 1, 5, 5], seed: 2));
        var kept = y1.ToArray();
        var y2 = net.Forward(RandomTensor.Uniform([2, 1, 5, 5], seed: 3));
        Assert.Equal(kept, y1.ToArray());
        Assert.NotEqual(kept, y2.ToArray());

        // DeepConvNet ends with Dropout, the identity in inference.
        var deep = DeepConvNet.Create(seed: 4);
        var s1 = deep.Forward(RandomTensor.Uniform([2, 1, 28, 28], seed: 5));
        var scores = s1.ToArray();
        deep.Forward(RandomTensor.Uniform([2, 1, 28, 28], seed: 6));
        Assert.Equal(scores, s1.ToArray());
    }

    [Fact]
    public void Sequential_hands_out_a_copy_when_its_first_layer_passes_the_gradient_through()
    {
        var net = new Sequential(new Reshape(1, 4, 4), new Convolution(1, 2, 3, seed: 1), new Tanh());
        var x = RandomTensor.Uniform([2, 16], seed: 2);
        net.Forward(x, training: true);
        var dx1 = net.Backward(RandomTensor.Uniform([2, 2, 2, 2], seed: 3));
        var kept = dx1.ToArray();
        net.Forward(x, training: true);
        var dx2 = net.Backward(RandomTensor.Uniform([2, 2, 2, 2], seed: 4));
        Assert.Equal(new Shape(2, 16), dx1.Shape);
        Assert.Equal(kept, dx1.ToArray());
        Assert.NotEqual(kept, dx2.ToArray());
    }

    [Fact]
    public void Affine_writes_the_weight_gradient_into_the_same_Grad_tensor()
    {
        var affine = new Affine(4, 3, seed: 1);
        var grad = affine.W.Grad;
        var x = RandomTensor.Uniform([5, 4], seed: 2);
        var dy = RandomTensor.Uniform([5, 3], seed: 3);
        affine.Forward(x, training: true);
        affine.Backward(dy);
        Assert.Same(grad, affine.W.Grad);
        Assert.Equal(Tensor.MatMul(x, dy, transposeA: true, transposeB: false).ToArray(), affine.W.Grad.ToArray());
    }

    [Fact]
    public void Trainer_takes_the_steps_of_the_plain_training_loop()
    {
        var x = RandomTensor.Uniform([6, 1, 12, 12], seed: 1);
        int[] labels = [0, 1, 2, 3, 4, 5];
        var trained = SimpleConvNet.Create(seed: 2, imageSize: 12, filters: 4, hidden: 8);
        new Trainer(trained, new SoftmaxWithLoss(), new Adam(0.01f)).Fit(Enumerable.Repeat((x, labels), 3), epochs: 1);

        var plain = SimpleConvNet.Create(seed: 2, imageSize: 12, filters: 4, hidden: 8);
        var loss = new SoftmaxWithLoss();
        var adam = new Adam(0.01f);
        for (int step = 0; step < 3; step++)
        {
            loss.Forward(plain.Forward(x, training: true), labels);
            plain.Backward(loss.Backward());
            adam.Step(plain.Parameters);
        }
        for (int i = 0; i < plain.Parameters.Count; i++)
            Assert.Equal(plain.Parameters[i].Value.ToArray(), trained.Parameters[i].Value.ToArray());
    }
}
