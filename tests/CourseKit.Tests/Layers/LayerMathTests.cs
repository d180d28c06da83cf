using CourseKit.Layers;

namespace CourseKit.Tests.Layers;

/// <summary>The helpers layers use to write into tensors they keep: a broadcast copy and a GEMM into an existing tensor.</summary>
public sealed class LayerMathTests
{
    [Fact]
    public void CopyBroadcast_writes_a_bias_into_every_row_or_every_channel()
    {
        var rows = Tensor.Full([3, 4], float.NaN);
        LayerMath.CopyBroadcast(Tensor.FromArray([1f, 2f, 3f, 4f]), rows);
        Assert.Equal(Enumerable.Repeat(new[] { 1f, 2f, 3f, 4f }, 3).SelectMany(r => r), rows.ToArray());

        var channels = Tensor.Full([2, 3, 2, 2], float.NaN);
        LayerMath.CopyBroadcast(Tensor.FromArray([5f, 6f, 7f]).Reshape(3, 1, 1), channels);
        Assert.Equal((Tensor.Zeros(2, 3, 2, 2) + Tensor.FromArray([5f, 6f, 7f]).Reshape(3, 1, 1)).ToArray(), channels.ToArray());

        var e = Assert.Throws<ArgumentException>(() => LayerMath.CopyBroadcast(Tensor.Zeros(2, 4), Tensor.Zeros(4)));
        Assert.Contains("does not broadcast", e.Message);
    }

    [Fact]
    public void MatMul_writes_or_adds_the_product_into_a_tensor_of_any_shape_with_its_elements()
    {
        var a = RandomTensor.Uniform([3, 4], seed: 1);
        var b = RandomTensor.Uniform([4, 6], seed: 2);
        var product = Tensor.MatMul(a, b).ToArray();

        var y = Tensor.Full([3, 2, 3], float.NaN);              // 3×6 elements; NaN must not survive beta = 0
        LayerMath.MatMul(a, b, y);
        Assert.Equal(product, y.ToArray());

        var onto = Tensor.Full([3, 6], 1f);
        LayerMath.MatMul(a.T, b, onto, transposeA: true, beta: 1f);
        Assert.Equal(product.Select(v => v + 1f), onto.ToArray());

        var e = Assert.Throws<ArgumentException>(() => LayerMath.MatMul(a, b, Tensor.Zeros(3, 5)));
        Assert.Contains("must hold 3×6", e.Message);
    }
}
