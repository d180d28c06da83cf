using CourseKit.Layers;
using CourseKit.Training;

namespace CourseKit.Tests.Layers;

/// <summary>The building blocks of chapter 4: basic and bottleneck blocks, Wide ResNet's block, the Inception module.</summary>
public sealed class BlockTests
{
    private const double Bound = GradientBound.Float32;

    public static TheoryData<string> Blocks => ["BasicIdentity", "BasicProjection", "BottleneckIdentity", "BottleneckProjection",
                                                "WideIdentity", "WideProjection", "Inception"];

    private static (Layer Block, Shape Input) Make(string name) => name switch
    {
        "BasicIdentity" => (new BasicBlock(3, 3, seed: 1), [2, 3, 4, 4]),
        "BasicProjection" => (new BasicBlock(2, 3, stride: 2, seed: 2), [2, 2, 5, 5]),
        "BottleneckIdentity" => (new Bottleneck(8, 2, seed: 3), [2, 8, 3, 3]),
        "BottleneckProjection" => (new Bottleneck(3, 2, stride: 2, seed: 4), [2, 3, 4, 4]),
        "WideIdentity" => (new WideBlock(3, 3, seed: 5), [2, 3, 4, 4]),
        "WideProjection" => (new WideBlock(2, 4, stride: 2, seed: 6), [2, 2, 4, 4]),
        "Inception" => (new InceptionModule(3, 2, 2, 3, 1, 2, 2, seed: 7), [2, 3, 4, 4]),
        _ => throw new ArgumentException(name),
    };

    [Theory, MemberData(nameof(Blocks))]
    public void Backward_matches_the_numerical_gradient_in_training_mode(string name)
    {
        var (block, shape) = Make(name);
        // distinct inputs keep max pooling (Inception's pool branch) away from ties
        var x = RandomTensor.Uniform(shape, seed: 10);
        var result = GradientCheck.Layer(block, x, seed: 11, h: 1e-3f);
        Assert.True(result.MaxError < Bound, result.ToString());
        Assert.Equal(block.Parameters.Count, result.ParameterErrors.Count);
    }

    [Theory, MemberData(nameof(Blocks))]
    public void Inside_a_container_reused_buffers_give_the_numbers_of_direct_calls(string name)
    {
        var (reusing, shape) = Make(name);
        var (direct, _) = Make(name);
        for (int step = 0; step < 2; step++)
        {
            var x = RandomTensor.Uniform(shape, seed: 20 + step);
            var y = reusing.Forward(x, training: true, mayReuseResults: true).ToArray();
            var dout = RandomTensor.Uniform(direct.Forward(x, training: true).Shape, seed: 30 + step);
            var dx = reusing.Backward(dout, mayReuseResults: true).ToArray();
            Assert.Equal(direct.Forward(x, training: true).ToArray(), y);   // (a second training forward: same numbers)
            Assert.Equal(direct.Backward(dout).ToArray(), dx);
        }
    }

    [Fact]
    public void A_basic_block_computes_its_picture_written_as_nodes()
    {
        // The lecture's picture: conv-BN-ReLU-conv-BN, ⊕ the projection shortcut, ReLU, as independent layers.
        var block = new BasicBlock(2, 3, stride: 2, seed: 40);
        var x = Model.Input(2, 6, 6);
        var body = x.Then(new Convolution(2, 3, 3, 2, pad: 1, seed: 40, bias: false), new BatchNormalization(3), new ReLU(),
                          new Convolution(3, 3, 3, 1, pad: 1, seed: 41, bias: false), new BatchNormalization(3));
        var shortcut = x.Then(new Convolution(2, 3, 1, 2, seed: 42, bias: false), new BatchNormalization(3));
        var picture = new Model(x, (body + shortcut).Then(new ReLU()));

        var input = RandomTensor.Uniform([3, 2, 6, 6], seed: 43);
        var dout = RandomTensor.Uniform([3, 3, 3, 3], seed: 44);
        AssertClose(picture.Forward(input, training: true), block.Forward(input, training: true));
        AssertClose(picture.Backward(dout), block.Backward(dout));
        Assert.Equal(picture.ParameterCount, block.ParameterCount);
        AssertClose(picture.Forward(input), block.Forward(input));        // inference: the running statistics agree too
    }

    [Fact]
    public void Block_parameter_counts_follow_the_formulas()
    {
        // basic: two 3×3 convolutions without bias, two batch normalizations (γ, β), plus a 1×1 projection with its own
        Assert.Equal(9 * 64 * 64 * 2 + 2 * 2 * 64, new BasicBlock(64, 64).ParameterCount);
        Assert.Equal(9 * 64 * 128 + 9 * 128 * 128 + 2 * 2 * 128 + 64 * 128 + 2 * 128, new BasicBlock(64, 128, 2).ParameterCount);
        // bottleneck b64 from 256 channels: 256→64 (1×1), 64→64 (3×3), 64→256 (1×1)
        Assert.Equal(256 * 64 + 9 * 64 * 64 + 64 * 256 + 2 * (64 + 64 + 256), new Bottleneck(256, 64).ParameterCount);
        // Table 1's inception (3a): each convolution has bias
        int c3a = (192 * 64 + 64) + (192 * 96 + 96) + (9 * 96 * 128 + 128) + (192 * 16 + 16) + (25 * 16 * 32 + 32) + (192 * 32 + 32);
        Assert.Equal(c3a, new InceptionModule(192, 64, 96, 128, 16, 32, 32).ParameterCount);
        Assert.Equal(256, new InceptionModule(192, 64, 96, 128, 16, 32, 32).OutChannels);
    }

    [Fact]
    public void A_block_reports_an_input_with_the_wrong_channels()
    {
        var e = Assert.ThrowsAny<ArgumentException>(() => new BasicBlock(4, 4).Forward(new Tensor([1, 3, 4, 4])));
        Assert.Contains("4", e.Message);
    }

    private static void AssertClose(Tensor expected, Tensor actual)
    {
        Assert.Equal(expected.Shape, actual.Shape);
        float[] e = expected.ToArray(), a = actual.ToArray();
        for (int i = 0; i < e.Length; i++) Assert.True(MathF.Abs(e[i] - a[i]) < 1e-5f, $"entry {i}: {e[i]} vs {a[i]}");
    }
}
