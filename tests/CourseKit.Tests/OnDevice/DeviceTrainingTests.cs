using CourseKit.Backends;
using CourseKit.Data;
using CourseKit.Layers;
using CourseKit.Losses;
using CourseKit.Models;
using CourseKit.Optimizers;
using CourseKit.Training;

namespace CourseKit.Tests.OnDevice;

/// <summary>
/// Lecture 2.6: the same network, loss, optimizer and Trainer code trains on a device once the network and the
/// mini-batches are moved there, and follows the CPU run step for step. The two differ only by float rounding (sums in
/// another order), so losses agree to 1e-4; how close parameters stay after a few steps depends on how the device's
/// GEMM sums, so each backend states its bound (<see cref="ParameterBound"/>).
/// </summary>
public abstract class DeviceTrainingTests(IDeviceFixture fixture)
{
    /// <summary>Parameters and gradients after three steps agree within relative·|cpu| + absolute.</summary>
    protected abstract (float Relative, float Absolute) ParameterBound { get; }

    /// <summary>The short MNIST run each device can afford, and how closely it must follow the CPU's.</summary>
    protected abstract MnistRun ShortMnistRun { get; }

    /// <summary>
    /// <paramref name="Images"/> training digits in batches of <paramref name="BatchSize"/>, 3 epochs of Adam; the last
    /// epoch's loss below <paramref name="LossRatio"/> of the first; test accuracy on <paramref name="TestImages"/> digits
    /// within <paramref name="AccuracyGap"/> of the CPU's and above <paramref name="MinimumAccuracy"/>.
    /// </summary>
    protected sealed record MnistRun(int Images, int BatchSize, int TestImages, int TestBatchSize, float LearningRate,
                                     double LossRatio, double AccuracyGap, double MinimumAccuracy);

    [Fact]
    public void ParametersSetAndCopiedFromTheCpuLandOnTheDevice()
    {
        var cpu = SimpleConvNet.Create(seed: 1, imageSize: 12, filters: 4, filterSize: 3, hidden: 8);
        var device = SimpleConvNet.Create(seed: 2, imageSize: 12, filters: 4, filterSize: 3, hidden: 8);
        device.To(fixture.Device);
        Transfer.CopyLayers(cpu, device);
        var filters = Tensor.RandN(4, 1, 3, 3, seed: 5);
        device[0].SetParameter("W", filters);                   // a CPU tensor into a device parameter
        cpu[0].SetParameter("W", filters);

        Assert.Equal(fixture.Device, device[0].ParameterNamed("W").Value.Device);
        for (int i = 0; i < cpu.Parameters.Count; i++)
            Assert.Equal(cpu.Parameters[i].Value.ToArray(), device.Parameters[i].Value.ToArray());
        var back = SimpleConvNet.Create(seed: 3, imageSize: 12, filters: 4, filterSize: 3, hidden: 8);
        Transfer.CopyLayers(device, back);                      // and from the device to the CPU
        Assert.Equal(Device.Cpu, back[0].ParameterNamed("W").Value.Device);
        Assert.Equal(filters.ToArray(), back[0].ParameterNamed("W").Value.ToArray());
        Assert.Throws<ArgumentException>(() => device[3].SetParameter("W", Tensor.Zeros(8, 100)));
    }

    [Theory]
    [InlineData("SGD")]
    [InlineData("Adam")]
    public void SimpleConvNetTrainingStepsOnTheDeviceEqualTheCpuSteps(string optimizer)
    {
        var random = new Random(3);
        var images = Tensor.FromData([8, 1, 28, 28], Numbers.Random(random, 8 * 28 * 28, 0f, 1f));
        int[] labels = [0, 1, 2, 3, 4, 5, 6, 7];
        var runs = new List<(List<float> Losses, Sequential Net)>();
        foreach (var device in new Device[] { Device.Cpu, fixture.Device })
        {
            var net = SimpleConvNet.Create(seed: 1);
            net.To(device);
            Assert.All(net.Parameters, p => Assert.Same(device, p.Value.Device));
            var loss = new SoftmaxWithLoss();
            Optimizer step = optimizer == "SGD" ? new SGD(0.1f) : new Adam(0.01f);
            var x = images.To(device);
            var losses = new List<float>();
            for (int i = 0; i < 3; i++)
            {
                losses.Add(loss.Forward(net.Forward(x, training: true), labels));
                net.Backward(loss.Backward());
                step.Step(net.Parameters);
            }
            runs.Add((losses, net));
        }
        var (cpu, dev) = (runs[0], runs[1]);
        for (int i = 0; i < cpu.Losses.Count; i++)
            Assert.True(Math.Abs(cpu.Losses[i] - dev.Losses[i]) <= 1e-4, $"step {i + 1}: loss {dev.Losses[i]} on {fixture.Name}, {cpu.Losses[i]} on the CPU");
        var (relative, absolute) = ParameterBound;
        for (int i = 0; i < cpu.Net.Parameters.Count; i++)
        {
            var (p, q) = (cpu.Net.Parameters[i], dev.Net.Parameters[i]);
            Numbers.Close(p.Value.ToArray(), q.Value.ToArray(), relative, absolute, $"{optimizer}: parameter {p} after 3 steps");
            Numbers.Close(p.Grad.ToArray(), q.Grad.ToArray(), relative, absolute, $"{optimizer}: gradient of {p} at step 3");
        }
    }

    [Fact]
    public void SimpleConvNetLearnsMnistDigitsOnTheDeviceAsOnTheCpu()
    {
        var run = ShortMnistRun;
        var mnist = Mnist.LoadSample();
        var histories = new List<TrainingHistory>();
        foreach (var device in new Device[] { Device.Cpu, fixture.Device })
        {
            var train = new DataLoader(mnist.Train.Take(run.Images), batchSize: run.BatchSize, shuffle: true, seed: 1, device: device);
            var test = new DataLoader(mnist.Test.Take(run.TestImages), batchSize: run.TestBatchSize, shuffle: false, device: device);
            var net = SimpleConvNet.Create(seed: 1).To(device);
            histories.Add(new Trainer(net, new SoftmaxWithLoss(), new Adam(run.LearningRate)).Fit(train, epochs: 3, test));
        }
        var (cpu, dev) = (histories[0], histories[1]);
        Assert.False(dev.Stopped, dev.StopReason);
        Assert.Equal(cpu.IterationLoss.Count, dev.IterationLoss.Count);
        for (int i = 0; i < cpu.IterationLoss.Count; i++)
            Assert.True(Math.Abs(cpu.IterationLoss[i] - dev.IterationLoss[i]) <= 1e-3,
                        $"iteration {i + 1}: loss {dev.IterationLoss[i]} on {fixture.Name}, {cpu.IterationLoss[i]} on the CPU");
        Assert.True(dev.EpochLoss[^1] < dev.EpochLoss[0] * run.LossRatio, $"epoch losses on {fixture.Name}: {string.Join(", ", dev.EpochLoss)}");
        Assert.True(Math.Abs(cpu.TestAccuracy[^1] - dev.TestAccuracy[^1]) <= run.AccuracyGap,
                    $"test accuracy {dev.TestAccuracy[^1]:P1} on {fixture.Name}, {cpu.TestAccuracy[^1]:P1} on the CPU");
        Assert.True(dev.TestAccuracy[^1] > run.MinimumAccuracy, $"test accuracy on {fixture.Name} {dev.TestAccuracy[^1]:P1} (chance is 10%)");
    }
}
