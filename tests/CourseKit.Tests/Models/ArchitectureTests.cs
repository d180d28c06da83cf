using CourseKit.Layers;
using CourseKit.Models;

namespace CourseKit.Tests.Models;

/// <summary>
/// The networks of chapter 4 have the published parameter counts (torchvision's ImageNet models for ResNet and VGG;
/// He et al. and Zagoruyko–Komodakis for CIFAR), and the output shapes of their pictures.
/// </summary>
public sealed class ArchitectureTests
{
    [Theory]
    [InlineData(18, 11_689_512)]
    [InlineData(34, 21_797_672)]
    [InlineData(50, 25_557_032)]
    [InlineData(101, 44_549_160)]
    [InlineData(152, 60_192_808)]
    public void ImageNet_ResNets_have_the_published_parameter_counts(int depth, int parameters) =>
        Assert.Equal(parameters, ResNet.Create(depth).ParameterCount);

    [Fact]
    public void Vgg16_has_the_published_parameter_count() => Assert.Equal(138_357_544, Vgg.Vgg16().ParameterCount);

    [Fact]
    public void ResNet20_for_CIFAR_has_about_0_27_million_parameters()
    {
        // 3×3 stem 16 + BN; n = 3 basic blocks at 16, 32, 64 channels; projections 16→32 and 32→64; affine 64→10
        int stem = 3 * 16 * 9 + 2 * 16;
        int Basic(int c) => 2 * (9 * c * c + 2 * c);
        int Down(int c) => 9 * c / 2 * c + 9 * c * c + 2 * 2 * c + c / 2 * c + 2 * c;
        int expected = stem + 3 * Basic(16) + Down(32) + 2 * Basic(32) + Down(64) + 2 * Basic(64) + 64 * 10 + 10;
        var net = ResNet.Cifar(20);
        Assert.Equal(expected, net.ParameterCount);
        Assert.InRange(net.ParameterCount, 265_000, 275_000);
        Assert.Equal(20, 1 + 2 * net.Layers.OfType<BasicBlock>().Count() + 1);   // 6n+2 weighted layers: stem, 18 in blocks, affine
        Assert.InRange(ResNet.Cifar(56).ParameterCount, 850_000, 860_000);     // He et al.: 0.85 M
    }

    [Fact]
    public void Wide_ResNets_have_the_published_parameter_counts()
    {
        Assert.Equal(36_479_194, WideResNet.Create(28, 10).ParameterCount);   // "36.5 M"
        Assert.Equal(2_748_890, WideResNet.Create(16, 4).ParameterCount);     // "2.7 M"
    }

    [Fact]
    public void GoogLeNet_has_the_parameters_of_its_table()
    {
        var net = GoogLeNet.Create();
        int stem = (3 * 64 * 49 + 64) + (64 * 64 + 64) + (64 * 192 * 9 + 192);
        int modules = GoogLeNet.Modules.Sum(m => m.In * m.C1 + m.C1 + m.In * m.R3 + m.R3 + 9 * m.R3 * m.C3 + m.C3
                                                + m.In * m.R5 + m.R5 + 25 * m.R5 * m.C5 + m.C5 + m.In * m.Pool + m.Pool);
        Assert.Equal(stem + modules + 1024 * 1000 + 1000, net.ParameterCount);
        Assert.InRange(net.ParameterCount, 6_900_000, 7_100_000);    // about 7 M, against VGG-16's 138 M
    }

    [Fact]
    public void The_CIFAR_stem_variant_keeps_32x32_until_large_block_2()
    {
        var net = ResNet.Create(18, classes: 10, cifarStem: true);
        var rows = net.SummaryRows();
        Assert.Equal(new Shape(1, 64, 32, 32), rows.First(r => r.Kind == "BasicBlock").OutputShape);
        Assert.Equal(new Shape(1, 512, 4, 4), rows.Last(r => r.Kind == "BasicBlock").OutputShape);
        Assert.Equal(new Shape(1, 10), rows[^1].OutputShape);
        Assert.Equal(11_689_512 - 64 * 3 * 49 + 64 * 3 * 9 - 512 * 990 - 990, net.ParameterCount);
    }

    [Fact]
    public void ResNet20_maps_a_batch_of_CIFAR_images_to_ten_scores_and_back()
    {
        var net = ResNet.Cifar(20);
        var x = Tensor.Normal([2, 3, 32, 32], seed: 1);
        var y = net.Forward(x, training: true);
        Assert.Equal(new Shape(2, 10), y.Shape);
        Assert.Equal(x.Shape, net.Backward(Tensor.Ones(2, 10)).Shape);
        Assert.All(net.Parameters, p => Assert.Equal(p.Shape, p.Grad.Shape));
    }

    [Fact]
    public void The_GoogLeNet_and_ResNet50_pictures_have_the_sizes_of_their_papers()
    {
        var g = GoogLeNet.Create().SummaryRows();
        Assert.Equal(new Shape(1, 256, 28, 28), g.First(r => r.Name == "Inception3a").OutputShape);
        Assert.Equal(new Shape(1, 832, 14, 14), g.First(r => r.Name == "Inception4e").OutputShape);
        Assert.Equal(new Shape(1, 1024, 7, 7), g.First(r => r.Name == "Inception5b").OutputShape);
        var r50 = ResNet.Create(50).SummaryRows();
        Assert.Equal(new Shape(1, 64, 56, 56), r50.First(r => r.Kind == "MaxPooling").OutputShape);
        Assert.Equal(new Shape(1, 2048, 7, 7), r50.Last(r => r.Kind == "Bottleneck").OutputShape);
    }

    [Fact]
    public void Depths_outside_the_table_are_refused_with_the_allowed_ones()
    {
        Assert.Contains("18, 34, 50, 101 and 152", Assert.Throws<ArgumentException>(() => ResNet.Create(20)).Message);
        Assert.Contains("6n+2", Assert.Throws<ArgumentException>(() => ResNet.Cifar(21)).Message);
        Assert.Contains("6n+4", Assert.Throws<ArgumentException>(() => WideResNet.Create(27, 2)).Message);
    }
}
