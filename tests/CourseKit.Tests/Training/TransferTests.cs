using CourseKit.Layers;
using CourseKit.Losses;
using CourseKit.Models;
using CourseKit.Optimizers;
using CourseKit.Training;

namespace CourseKit.Tests.Training;

/// <summary>Transfer of features (lecture 3.4): frozen parameters, layers copied between models, a new head.</summary>
public sealed class TransferTests
{
    private static Sequential SmallNet(int seed, int classes = 4, int filters = 3) => new("Small")
    {
        new Convolution(2, filters, 3, pad: 1, seed: seed),
        new ReLU(),
        new MaxPooling(2),
        new Affine(filters * 3 * 3, 5, seed: seed + 1),
        new ReLU(),
        new Affine(5, classes, seed: seed + 2),
    };

    private static void TrainSteps(Sequential net, Optimizer optimizer, int steps)
    {
        var loss = new SoftmaxWithLoss();
        var x = Tensor.RandN(8, 2, 6, 6, seed: 1);
        int[] labels = [0, 1, 2, 3, 0, 1, 2, 3];
        for (int s = 0; s < steps; s++)
        {
            loss.Forward(net.Forward(x, training: true), labels);
            net.Backward(loss.Backward());
            optimizer.Step(net.Parameters);
        }
    }

    [Fact]
    public void FrozenLayersKeepTheirValuesWhileTheOthersLearn()
    {
        var net = SmallNet(seed: 1);
        net[0].Freeze();
        net[3].Freeze();
        var before = net.Parameters.Select(p => p.Value.ToArray()).ToList();
        TrainSteps(net, new Adam(1e-2f), 3);
        var after = net.Parameters.Select(p => p.Value.ToArray()).ToList();
        // Parameters in order: conv W, b, Affine1 W, b, Affine2 W, b.
        for (int i = 0; i < 4; i++) Assert.Equal(before[i], after[i]);
        for (int i = 4; i < 6; i++) Assert.NotEqual(before[i], after[i]);
        Assert.True(net[0].IsFrozen);
        Assert.False(net.IsFrozen);
    }

    [Fact]
    public void BackwardSkipsTheGradientsOfFrozenWeightsButStillPassesDxOn()
    {
        var net = SmallNet(seed: 2);
        var reference = SmallNet(seed: 2);
        var x = Tensor.RandN(4, 2, 6, 6, seed: 3);
        var dout = Tensor.RandN(4, 4, seed: 4);
        net[3].Freeze();
        foreach (var p in net.Parameters) p.Grad = Tensor.Full(p.Shape, 7f);  // a marker: untouched gradients stay 7
        net.Forward(x, training: true);
        var dx = net.Backward(dout);
        reference.Forward(x, training: true);
        var dxReference = reference.Backward(dout);
        Assert.Equal(dxReference.ToArray(), dx.ToArray());                         // the frozen layer still sends dX to the convolution
        Assert.All(((Affine)net[3]).W.Grad.ToArray(), g => Assert.Equal(7f, g));   // dW of the frozen Affine never computed
        Assert.Equal(((Convolution)reference[0]).W.Grad.ToArray(), ((Convolution)net[0]).W.Grad.ToArray());  // learning layers get theirs
    }

    [Fact]
    public void UnfreezingLetsALayerLearnAgain()
    {
        var net = SmallNet(seed: 3);
        net.Freeze();
        Assert.True(net.IsFrozen);
        net[5].Unfreeze();
        var head = ((Affine)net[5]).W.Value.ToArray();
        TrainSteps(net, new SGD(0.1f), 1);
        Assert.NotEqual(head, ((Affine)net[5]).W.Value.ToArray());
        Assert.Contains("(frozen)", ((Affine)net[3]).W.ToString());
    }

    [Fact]
    public void CopiedLayersComputeWhatTheSourceComputedAndStayIndependent()
    {
        var source = SmallNet(seed: 10);
        var target = SmallNet(seed: 20, classes: 2);
        Transfer.CopyLayers(source, target, 5);
        var x = Tensor.RandN(3, 2, 6, 6, seed: 5);
        // The first five layers are the features: the same output in both networks.
        Tensor Features(Sequential n)
        {
            var h = x;
            for (int i = 0; i < 5; i++) h = n[i].Forward(h);
            return h;
        }
        Assert.Equal(Features(source).ToArray(), Features(target).ToArray());
        ((Convolution)target[0]).W.Value[0, 0, 0, 0] = 99f;                       // a copy, not the same tensor
        Assert.NotEqual(99f, ((Convolution)source[0]).W.Value[0, 0, 0, 0]);
    }

    [Fact]
    public void CopyingIntoALayerOfAnotherShapeNamesTheLayer()
    {
        var source = SmallNet(seed: 1);
        var target = SmallNet(seed: 1, filters: 4);
        var e = Assert.Throws<ArgumentException>(() => Transfer.CopyLayers(source, target, 3));
        Assert.Contains("Convolution1.W", e.Message);
        Assert.Contains("(3, 2, 3, 3)", e.Message);
        Assert.Contains("(4, 2, 3, 3)", e.Message);
        var kinds = new Sequential("Other") { new Convolution(2, 3, 3, pad: 1), new Tanh() };
        e = Assert.Throws<ArgumentException>(() => Transfer.CopyLayers(source, kinds, 2));
        Assert.Contains("ReLU1", e.Message);
        Assert.Contains("Tanh", e.Message);
    }

    [Fact]
    public void ReplacingTheHeadKeepsTheLearnedLayersAndAddsANewOutput()
    {
        var net = CifarConvNet.Create(seed: 1, classes: 8);
        var twoClasses = Transfer.ReplaceHead(net, 1, new Affine(256, 2, seed: 5));
        Assert.Equal(net.Layers.Count, twoClasses.Layers.Count);
        for (int i = 0; i < CifarConvNet.FeatureLayers; i++) Assert.Same(net[i], twoClasses[i]);
        Assert.Equal("Affine2", twoClasses[twoClasses.Layers.Count - 1].Name);
        Assert.Equal(new Shape(5, 2), twoClasses.Forward(Tensor.RandN(5, 3, 32, 32, seed: 2)).Shape);
        Assert.Equal(CifarConvNet.FeatureLayers + 1, net.Layers.Count);
    }

    [Fact]
    public void OptimizerStateIsNotCreatedForFrozenParameters()
    {
        // A frozen parameter is skipped entirely: with weight decay its value would otherwise shrink.
        var net = SmallNet(seed: 4);
        net[0].Freeze();
        var w = ((Convolution)net[0]).W.Value.ToArray();
        TrainSteps(net, new SGD(0.1f, weightDecay: 0.5f), 2);
        Assert.Equal(w, ((Convolution)net[0]).W.Value.ToArray());
    }
}
