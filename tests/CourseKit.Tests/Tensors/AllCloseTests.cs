namespace CourseKit.Tests.Tensors;

public class AllCloseTests
{
    [Fact]
    public void ToleranceIsAbsolutePlusRelativeToTheSecondArgument()
    {
        var a = new Tensor([1], [100.1f]);
        var b = new Tensor([1], [100f]);
        Assert.True(Tensor.AllClose(a, b, rtol: 1e-3, atol: 0));   // 0.1 <= 0.1
        Assert.False(Tensor.AllClose(a, b, rtol: 5e-4, atol: 0));  // 0.1 > 0.05
        Assert.True(Tensor.AllClose(a, b, rtol: 0, atol: 0.11));
    }

    [Fact]
    public void DefaultsMatchNumPy()
    {
        Assert.True(Tensor.AllClose(new Tensor([1], [1e-9f]), new Tensor([1], [0f])));  // atol 1e-8
        Assert.False(Tensor.AllClose(new Tensor([1], [1e-7f]), new Tensor([1], [0f])));
        Assert.True(Tensor.AllClose(new Tensor([1], [1.000001f]), new Tensor([1], [1f]))); // rtol 1e-5
    }

    [Fact]
    public void NanIsNeverCloseAndInfinityOnlyToItself()
    {
        Assert.False(Tensor.AllClose(new Tensor([1], [float.NaN]), new Tensor([1], [float.NaN])));
        Assert.True(Tensor.AllClose(new Tensor([1], [float.PositiveInfinity]), new Tensor([1], [float.PositiveInfinity])));
        Assert.False(Tensor.AllClose(new Tensor([1], [float.PositiveInfinity]), new Tensor([1], [float.NegativeInfinity])));
    }

    [Fact]
    public void OperandsBroadcast()
    {
        Assert.True(Tensor.AllClose(Tensor.Ones(2, 3), 1f));
        Assert.False(Tensor.AllClose(new Tensor([2], [1, 2]), Tensor.Ones(3, 2)));
        Assert.Throws<ArgumentException>(() => Tensor.AllClose(Tensor.Ones(2), Tensor.Ones(3)));
    }

    [Fact]
    public void MaxAbsDifferenceIsTheLargestGap()
    {
        var a = new Tensor([3], [1, 5, -2]);
        var b = new Tensor([3], [1.5f, 5, 1]);
        Assert.Equal(3f, Tensor.MaxAbsDifference(a, b));
        Assert.True(float.IsNaN(Tensor.MaxAbsDifference(a, new Tensor([3], [float.NaN, 0, 0]))));
    }
}
