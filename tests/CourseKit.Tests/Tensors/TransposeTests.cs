namespace CourseKit.Tests.Tensors;

public class TransposeTests
{
    private static IEnumerable<int[]> Permutations(int[] items)
    {
        if (items.Length <= 1) { yield return items; yield break; }
        for (int i = 0; i < items.Length; i++)
            foreach (var rest in Permutations(items.Where((_, k) => k != i).ToArray()))
                yield return [items[i], .. rest];
    }

    [Fact]
    public void EveryPermutationOfFourAxesMatchesDirectIndexComputation()
    {
        int[] shape = [2, 3, 4, 5];
        var x = Tensor.Uniform(shape, seed: 7);
        var data = x.ToArray();
        var strides = new Shape(shape).Strides();
        foreach (var axes in Permutations([0, 1, 2, 3]))
        {
            var y = x.Transpose(axes);
            Assert.Equal(new Shape(axes.Select(a => shape[a]).ToArray()), y.Shape);
            var yData = y.ToArray();
            var outShape = y.Shape.ToArray();
            for (int flat = 0; flat < yData.Length; flat++)
            {
                // Unravel the output position; output axis i walks input axis axes[i].
                int rest = flat, source = 0;
                for (int i = 3; i >= 0; i--)
                {
                    int idx = rest % outShape[i];
                    rest /= outShape[i];
                    source += idx * strides[axes[i]];
                }
                Assert.Equal(data[source], yData[flat]);
            }
        }
    }

    [Fact]
    public void TOfAMatrixSwapsRowsAndColumns()
    {
        Tensor x = new float[,] { { 1, 2, 3 }, { 4, 5, 6 } };
        Assert.Equal(new float[] { 1, 4, 2, 5, 3, 6 }, x.T.ToArray());
        Assert.Equal(new Shape(3, 2), x.T.Shape);
    }

    [Fact]
    public void RepeatedAxisIsRejected()
    {
        var e = Assert.Throws<ArgumentException>(() => Tensor.Zeros(2, 3).Transpose(0, 0));
        Assert.Contains("twice", e.Message);
    }
}
