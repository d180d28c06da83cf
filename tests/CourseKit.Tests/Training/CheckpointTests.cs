using CourseKit.Layers;
using CourseKit.Models;
using CourseKit.Tests.Layers;
using CourseKit.Training;

namespace CourseKit.Tests.Training;

public sealed class CheckpointTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("coursekit-checkpoint-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    private string PathOf(string name) => Path.Combine(folder, name);

    [Fact]
    public void SaveThenLoadRestoresEveryParameterAndRunningStatistic()
    {
        var source = new Sequential(new Convolution(1, 2, 3, seed: 1), new BatchNormalization(2), new Flatten(), new Affine(2 * 4 * 4, 3, seed: 2));
        source.Forward(RandomTensor.Uniform([4, 1, 6, 6], seed: 3), training: true);   // running statistics move away from 0/1
        Checkpoint.Save(source, PathOf("a.ckpt"));

        var target = new Sequential(new Convolution(1, 2, 3, seed: 7), new BatchNormalization(2), new Flatten(), new Affine(2 * 4 * 4, 3, seed: 8));
        Checkpoint.Load(target, PathOf("a.ckpt"));
        var expected = source.State().ToList();
        var actual = target.State().ToList();
        Assert.Equal(expected.Select(s => s.Name), actual.Select(s => s.Name));
        Assert.Contains("BatchNormalization1.running_mean", actual.Select(s => s.Name));
        for (int i = 0; i < expected.Count; i++) Assert.Equal(expected[i].Value.ToArray(), actual[i].Value.ToArray());
        var x = RandomTensor.Uniform([2, 1, 6, 6], seed: 4);
        Assert.Equal(source.Forward(x).ToArray(), target.Forward(x).ToArray());
    }

    [Fact]
    public void LoadingIntoADifferentShapeNamesTheLayerAndBothShapes()
    {
        Checkpoint.Save(SimpleConvNet.Create(hidden: 100), PathOf("net.ckpt"));
        var other = SimpleConvNet.Create(hidden: 50);
        var before = other.State().Select(s => s.Value.ToArray()).ToList();
        var e = Assert.Throws<InvalidDataException>(() => Checkpoint.Load(other, PathOf("net.ckpt")));
        Assert.Contains("Affine1.W", e.Message);
        Assert.Contains("(4320, 50)", e.Message);
        Assert.Contains("(4320, 100)", e.Message);
        Assert.Equal(before, other.State().Select(s => s.Value.ToArray()).ToList());   // nothing half-loaded
    }

    [Fact]
    public void ATruncatedFileIsDetected()
    {
        var net = SimpleConvNet.Create();
        Checkpoint.Save(net, PathOf("full.ckpt"));
        var bytes = File.ReadAllBytes(PathOf("full.ckpt"));
        foreach (int keep in new[] { bytes.Length - 1, bytes.Length - 4, bytes.Length / 2, 10 })
        {
            File.WriteAllBytes(PathOf("cut.ckpt"), bytes[..keep]);
            var e = Assert.Throws<InvalidDataException>(() => Checkpoint.Load(net, PathOf("cut.ckpt")));
            Assert.Contains("truncated", e.Message);
        }
    }

    [Fact]
    public void AFileThatIsNotACheckpointIsRefused()
    {
        File.WriteAllText(PathOf("notes.txt"), "hello, these are not weights");
        var e = Assert.Throws<InvalidDataException>(() => Checkpoint.Load(SimpleConvNet.Create(), PathOf("notes.txt")));
        Assert.Contains("not a CourseKit checkpoint", e.Message);
    }

    [Fact]
    public void SavingReplacesTheOldFileAndLeavesNoTemporaryFiles()
    {
        var net = new Sequential(new Affine(3, 2, seed: 1));
        File.WriteAllText(PathOf("w.ckpt"), "old");
        Checkpoint.Save(net, PathOf("w.ckpt"));
        Assert.Equal(["w.ckpt"], Directory.GetFiles(folder).Select(Path.GetFileName));
        Assert.Equal((byte)'C', File.ReadAllBytes(PathOf("w.ckpt"))[0]);
    }
}
