namespace CourseKit.Tests.Tensors;

public class CreationTests
{
    [Fact]
    public void EyeHasOnesOnTheDiagonalOnly()
    {
        var e = Tensor.Eye(3, 4);
        for (int i = 0; i < 3; i++) for (int j = 0; j < 4; j++)
            Assert.Equal(i == j ? 1f : 0f, e[i, j]);
        Assert.Equal(new Shape(2, 2), Tensor.Eye(2).Shape);
    }

    [Fact]
    public void LinspaceIncludesBothEnds()
    {
        Assert.Equal(new float[] { 0, 0.25f, 0.5f, 0.75f, 1 }, Tensor.Linspace(0, 1, 5).ToArray());
        Assert.Equal(new float[] { 3 }, Tensor.Linspace(3, 9, 1).ToArray());
    }

    [Fact]
    public void ArraysConvertImplicitlyInRowMajorOrder()
    {
        Tensor x = new float[,,] { { { 1, 2 } }, { { 3, 4 } } };
        Assert.Equal(new Shape(2, 1, 2), x.Shape);
        Assert.Equal(new float[] { 1, 2, 3, 4 }, x.ToArray());
        Tensor s = 2.5f;
        Assert.Equal(0, s.Rank);
        Assert.Equal(2.5f, s.Item());
    }

    [Fact]
    public void FromDataChecksTheLength()
    {
        var e = Assert.Throws<ArgumentException>(() => Tensor.FromData([2, 2], [1f, 2f, 3f]));
        Assert.Contains("(2, 2)", e.Message);
    }
}
