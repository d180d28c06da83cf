namespace CourseKit.Tests.Tensors;

public class SlicingTests
{
    private static Tensor Grid() => Tensor.Arange(24).Reshape(2, 3, 4); // value = 12n + 4i + j

    [Fact]
    public void AllIntegerIndexReadsAndWritesOneElement()
    {
        var x = Grid();
        Assert.Equal(12 + 8 + 3f, x[1, 2, 3]);
        x[1, 2, 3] = -5f;
        Assert.Equal(-5f, x.ToArray()[23]);
    }

    [Fact]
    public void NegativeAndFromEndIndicesCountFromTheEnd()
    {
        var x = Grid();
        Assert.Equal(23f, x[-1, -1, -1]);
        Assert.Equal(23f, x[^1, ^1, ^1]);
        Assert.Equal(4 + 1f, x[0, ^2, 1]);
    }

    [Fact]
    public void IntegerIndexDropsTheAxisAndRangeKeepsIt()
    {
        var x = Grid();
        Assert.Equal(new Shape(2, 4), x[.., 0].Shape);
        Assert.Equal(new Shape(2, 1, 4), x[.., 0..1].Shape);
        Assert.Equal(new Shape(3, 4), x[1, ..].Shape);
        Assert.Equal(new Shape(), x[1, 2, Slice.At(^1)].Shape);
    }

    [Fact]
    public void MixedSliceMatchesDirectIndexing()
    {
        var x = Grid();
        var y = x[.., 1, 1..3]; // NumPy x[:, 1, 1:3]
        Assert.Equal(new Shape(2, 2), y.Shape);
        for (int n = 0; n < 2; n++)
            for (int j = 0; j < 2; j++)
                Assert.Equal(x[n, 1, j + 1], y[n, j]);
    }

    [Fact]
    public void RangesAreClippedLikeNumPy()
    {
        var v = Tensor.Arange(5);
        Assert.Equal(new float[] { 3, 4 }, v[3..100].ToArray());
        Assert.Equal(0, v[4..2].Length);
        Assert.Equal(new float[] { 1, 2, 3 }, v[1..^1].ToArray());
    }

    [Fact]
    public void StepSelectsEveryKthPosition()
    {
        var v = Tensor.Arange(10);
        Assert.Equal(new float[] { 1, 4, 7 }, v[Slice.Range(1..9, 3)].ToArray());
        Assert.Equal(new float[] { 0, 2, 4, 6, 8 }, v[Slice.Range(.., 2)].ToArray());
    }

    [Fact]
    public void SliceIsACopy()
    {
        var x = Grid();
        var row = x[0, 0, ..];
        row[0] = 100f;
        Assert.Equal(0f, x[0, 0, 0]);
    }

    [Fact]
    public void SliceAssignmentBroadcastsATensor()
    {
        var x = Tensor.Zeros(2, 3, 4);
        x[.., 1] = new Tensor([4], [1, 2, 3, 4]);
        for (int n = 0; n < 2; n++)
            for (int i = 0; i < 3; i++)
                for (int j = 0; j < 4; j++)
                    Assert.Equal(i == 1 ? j + 1f : 0f, x[n, i, j]);
    }

    [Fact]
    public void SliceAssignmentOfAFloatFillsTheSelection()
    {
        var x = Tensor.Zeros(3, 3);
        x[1..^0, ..2] = 7f;
        Assert.Equal(new float[] { 0, 0, 0, 7, 7, 0, 7, 7, 0 }, x.ToArray());
    }

    [Fact]
    public void OverlappingSelfAssignmentReadsTheOldValues()
    {
        var v = Tensor.Arange(5);
        v[1..] = v[..4];
        Assert.Equal(new float[] { 0, 0, 1, 2, 3 }, v.ToArray());
        var w = Tensor.Arange(4).Reshape(2, 2);
        w[1, ..] = w[0, ..];
        Assert.Equal(new float[] { 0, 1, 0, 1 }, w.ToArray());
    }

    [Fact]
    public void AssignmentOfAnIncompatibleShapeNamesBothShapes()
    {
        var x = Tensor.Zeros(2, 3);
        var e = Assert.Throws<ArgumentException>(() => x[.., 0] = Tensor.Zeros(3));
        Assert.Contains("(3,)", e.Message);
        Assert.Contains("(2,)", e.Message);
    }

    [Fact]
    public void OutOfRangeIndexNamesTheAxisAndShape()
    {
        var x = Tensor.Zeros(2, 3);
        var e = Assert.Throws<IndexOutOfRangeException>(() => x[.., 3]);
        Assert.Contains("axis 1", e.Message);
        Assert.Contains("(2, 3)", e.Message);
        Assert.Throws<IndexOutOfRangeException>(() => x[2, 0]);
        Assert.Throws<IndexOutOfRangeException>(() => x[0, 0, 0]);
        // An index of ints only reads one element; a row needs the range.
        var few = Assert.Throws<IndexOutOfRangeException>(() => x[1]);
        Assert.Contains("(2, 3)", few.Message);
        Assert.Contains("x[1, ..]", few.Message);
    }
}
