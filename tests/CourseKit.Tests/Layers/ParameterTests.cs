using CourseKit.Layers;
using CourseKit.Models;
using CourseKit.Training;

namespace CourseKit.Tests.Layers;

/// <summary>Setting a layer's parameters and gradients from values, shape-checked; copying them between models.</summary>
public sealed class ParameterTests
{
    [Fact]
    public void SetParameterWritesTheValuesIntoTheSameTensorAndTheLayerComputesWithThem()
    {
        var conv = new Convolution(1, 1, 2, seed: 1);
        var w = conv.ParameterNamed("W").Value;
        conv.SetParameter("W", Tensor.FromData([1, 1, 2, 2], [1, 0, 0, -1]));
        conv.SetParameter("b", Tensor.FromData([1], [0.5f]));

        Assert.Same(w, conv.ParameterNamed("W").Value);   // an optimizer's state for W still fits
        var y = conv.Forward(Tensor.FromData([1, 1, 2, 2], [3, 4, 5, 6]));
        Assert.Equal([3f - 6f + 0.5f], y.ToArray());
    }

    [Fact]
    public void AValueOfAnotherShapeIsRefusedWithBothShapesNamed()
    {
        var affine = new Affine(3, 2, seed: 1);
        var before = affine.ParameterNamed("W").Value.ToArray();
        // (2, 3) has the right number of values but is W transposed: nothing is reshaped
        var error = Assert.Throws<ArgumentException>(() => affine.SetParameter("W", Tensor.Zeros(2, 3)));
        Assert.Contains("(2, 3)", error.Message);
        Assert.Contains("(3, 2)", error.Message);
        Assert.Equal(before, affine.ParameterNamed("W").Value.ToArray());
        // b is (2): a (1) that would broadcast is refused as well
        Assert.Throws<ArgumentException>(() => affine.SetParameter("b", Tensor.Zeros(1)));
    }

    [Fact]
    public void AnUnknownOrAmbiguousNameIsExplained()
    {
        var affine = new Affine(3, 2, seed: 1);
        var unknown = Assert.Throws<ArgumentException>(() => affine.SetParameter("gamma", Tensor.Zeros(2)));
        Assert.Contains("W (3, 2)", unknown.Message);
        var net = new Sequential(new Affine(3, 2, seed: 1), new Affine(2, 2, seed: 2));
        var ambiguous = Assert.Throws<ArgumentException>(() => net.SetParameter("W", Tensor.Zeros(3, 2)));
        Assert.Contains("2 parameters called W", ambiguous.Message);
        Assert.Throws<ArgumentException>(() => new ReLU().SetParameter("W", Tensor.Zeros(1)));
    }

    [Fact]
    public void SetGradIsShapeCheckedWhereAnIndexedAssignmentWouldBroadcast()
    {
        var p = new Parameter("W", Tensor.Zeros(3, 2));
        var wrong = Tensor.FromData([1, 2], [1, 2]);                   // broadcasts over (3, 2), but is not dW
        var error = Assert.Throws<ArgumentException>(() => p.SetGrad(wrong));
        Assert.Contains("SetGrad", error.Message);
        Assert.Contains("(1, 2)", error.Message);

        var dW = Tensor.FromData([3, 2], [1, 2, 3, 4, 5, 6]);
        p.SetGrad(dW);
        Assert.Equal(dW.ToArray(), p.Grad.ToArray());
        Assert.NotSame(dW, p.Grad);                                    // a copy: changing dW later leaves Grad alone
    }

    [Fact]
    public void AccumulateGradAddsBothPathsOfAParameterUsedTwice()
    {
        var p = new Parameter("W", Tensor.Zeros(2, 2));
        p.SetGrad(Tensor.FromData([2, 2], [1, 2, 3, 4]));
        p.AccumulateGrad(Tensor.FromData([2, 2], [10, 20, 30, 40]));
        Assert.Equal([11f, 22f, 33f, 44f], p.Grad.ToArray());
        Assert.Throws<ArgumentException>(() => p.AccumulateGrad(Tensor.Zeros(2)));
        Assert.Equal([11f, 22f, 33f, 44f], p.Grad.ToArray());
    }

    [Fact]
    public void CopyLayersMakesAnEqualModelAndNamesTheFirstMismatchingLayer()
    {
        var trained = SimpleConvNet.Create(seed: 1, imageSize: 12, filters: 4, filterSize: 3, hidden: 8);
        var copy = SimpleConvNet.Create(seed: 2, imageSize: 12, filters: 4, filterSize: 3, hidden: 8);
        Transfer.CopyLayers(trained, copy);
        var x = Tensor.RandN(2, 1, 12, 12, seed: 3);
        Assert.Equal(trained.Forward(x).ToArray(), copy.Forward(x).ToArray());

        var wider = SimpleConvNet.Create(seed: 2, imageSize: 12, filters: 4, filterSize: 3, hidden: 9);
        var error = Assert.Throws<ArgumentException>(() => Transfer.CopyLayers(trained, wider));
        Assert.Contains("Affine", error.Message);
        Assert.Contains("(100, 8)", error.Message);
        Assert.Contains("(100, 9)", error.Message);
        Assert.Throws<ArgumentException>(() => Transfer.CopyLayers(trained, new Sequential(new ReLU())));
    }
}
