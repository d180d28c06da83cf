using CourseKit.Layers;
using CourseKit.Losses;
using CourseKit.Models;
using CourseKit.Optimizers;
using CourseKit.Training;

namespace CourseKit.Tests.Training;

/// <summary>Saving and loading whole ResNets (lecture 4.3: "save and load trained parameters").</summary>
public sealed class ModelCheckpointTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("coursekit-model-ckpt-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    private string PathOf(string name) => Path.Combine(folder, name);

    private static (Tensor Images, int[] Labels) Batch(int seed)
    {
        var images = Tensor.Normal([16, 3, 32, 32], seed: seed);
        var rng = new System.Random(seed);
        return (images, [.. Enumerable.Range(0, 16).Select(_ => rng.Next(10))]);
    }

    [Fact]
    public void A_loaded_ResNet_gives_the_identical_scores_and_accuracy()
    {
        var trained = ResNet.Cifar(8, seed: 1);
        var trainer = new Trainer(trained, new SoftmaxWithLoss(), new SGD(0.05f));
        trainer.Fit([Batch(2), Batch(3)], epochs: 3);                // moves the weights and the running statistics
        Checkpoint.Save(trained, PathOf("resnet8.ckpt"));

        var loaded = ResNet.Cifar(8, seed: 99);
        var test = Batch(4);
        Assert.NotEqual(trained.Forward(test.Images).ToArray(), loaded.Forward(test.Images).ToArray());
        Checkpoint.Load(loaded, PathOf("resnet8.ckpt"));
        Assert.Equal(trained.Forward(test.Images).ToArray(), loaded.Forward(test.Images).ToArray());
        Assert.Equal(Trainer.Accuracy(trained, [test]), Trainer.Accuracy(loaded, [test]));
        var bn = (BatchNormalization)loaded["BatchNormalization1"];
        Assert.NotEqual(Tensor.Zeros(bn.Features).ToArray(), bn.RunningMean.ToArray());   // the statistics came along
    }

    [Fact]
    public void A_file_of_a_narrower_ResNet_names_the_layer_and_both_shapes()
    {
        Checkpoint.Save(ResNet.Cifar(8), PathOf("narrow.ckpt"));
        var wide = ResNet.Cifar(8, width: 32);
        var before = wide.State().Select(s => s.Value.ToArray()).ToList();
        var e = Assert.Throws<InvalidDataException>(() => Checkpoint.Load(wide, PathOf("narrow.ckpt")));
        Assert.Contains("Convolution1.W", e.Message);
        Assert.Contains("(32, 3, 3, 3)", e.Message);
        Assert.Contains("(16, 3, 3, 3)", e.Message);
        Assert.Equal(before, wide.State().Select(s => s.Value.ToArray()).ToList());   // nothing half-loaded
    }

    [Fact]
    public void A_file_of_a_shallower_ResNet_names_the_first_missing_tensor()
    {
        Checkpoint.Save(ResNet.Cifar(8), PathOf("resnet8.ckpt"));
        var e = Assert.Throws<InvalidDataException>(() => Checkpoint.Load(ResNet.Cifar(14), PathOf("resnet8.ckpt")));
        Assert.Contains("different architecture", e.Message);
        Assert.Contains("BasicBlock", e.Message);
    }

    [Fact]
    public void A_file_of_another_architecture_names_where_they_part()
    {
        Checkpoint.Save(WideResNet.Create(10, 1), PathOf("wrn.ckpt"));
        var e = Assert.Throws<InvalidDataException>(() => Checkpoint.Load(ResNet.Cifar(8), PathOf("wrn.ckpt")));
        Assert.Contains("different architecture", e.Message);
        Assert.Contains("BatchNormalization1.gamma", e.Message);
        Assert.Contains("WideBlock1", e.Message);
    }
}
