using CourseKit.Backends;
using CourseKit.Data;
using CourseKit.Layers;
using CourseKit.Losses;
using CourseKit.Models;
using CourseKit.Optimizers;
using CourseKit.Training;

namespace CourseKit.Tests.Ilgpu;

using CourseKit.Tests.OpenCl;

/// <summary>
/// Lecture 2.6: the same network, loss, optimizer and Trainer code trains on the ILGPU device once the
/// network and the mini-batches are moved there, and follows the CPU run step for step. The two differ
/// only by float rounding (sums in another order), so losses agree to 1e-4 and parameters after a few
/// steps to 1e-3 relative + 1e-4 absolute.
/// </summary>
[Collection(IlgpuCollection.Name)]
public sealed class TrainingOnDeviceTests(IlgpuFixture fixture)
{
    [Theory]
    [InlineData("SGD")]
    [InlineData("Adam")]
    public void SimpleConvNetTrainingStepsOnIlgpuEqualTheCpuSteps(string optimizer)
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
        var (cpu, cl) = (runs[0], runs[1]);
        for (int i = 0; i < cpu.Losses.Count; i++)
            Assert.True(Math.Abs(cpu.Losses[i] - cl.Losses[i]) <= 1e-4, $"step {i + 1}: loss {cl.Losses[i]} on ILGPU, {cpu.Losses[i]} on the CPU");
        for (int i = 0; i < cpu.Net.Parameters.Count; i++)
        {
            var (p, q) = (cpu.Net.Parameters[i], cl.Net.Parameters[i]);
            // The CPU accelerator's GEMM sums dF's k = 57,600 products per entry in one float, the CPU backend in blocked
            // panels: with the cancellation in those sums, small entries of dF (and so of W after SGD steps) differ by up to
            // about 1 % of themselves, 4e-4 in absolute terms (W's entries are up to 0.8); a wrong kernel differs by far more.
            Numbers.Close(p.Value.ToArray(), q.Value.ToArray(), 5e-3f, 1e-3f, $"{optimizer}: parameter {p} after 3 steps");
            Numbers.Close(p.Grad.ToArray(), q.Grad.ToArray(), 5e-3f, 1e-3f, $"{optimizer}: gradient of {p} at step 3");
        }
    }

    [Fact]
    public void SimpleConvNetLearnsMnistDigitsOnIlgpuAsOnTheCpu()
    {
        // A short run (ILGPU's CPU accelerator is slow): 100 digits, batches of 25, 3 epochs of Adam (12 steps) on each device.
        var mnist = Mnist.LoadSample();
        var histories = new List<TrainingHistory>();
        foreach (var device in new Device[] { Device.Cpu, fixture.Device })
        {
            var train = new DataLoader(mnist.Train.Take(100), batchSize: 25, shuffle: true, seed: 1, device: device);
            var test = new DataLoader(mnist.Test.Take(100), batchSize: 100, shuffle: false, device: device);
            var net = SimpleConvNet.Create(seed: 1).To(device);
            histories.Add(new Trainer(net, new SoftmaxWithLoss(), new Adam(0.003f)).Fit(train, epochs: 3, test));
        }
        var (cpu, cl) = (histories[0], histories[1]);
        Assert.False(cl.Stopped, cl.StopReason);
        Assert.Equal(cpu.IterationLoss.Count, cl.IterationLoss.Count);
        for (int i = 0; i < cpu.IterationLoss.Count; i++)
            Assert.True(Math.Abs(cpu.IterationLoss[i] - cl.IterationLoss[i]) <= 1e-3,
                        $"iteration {i + 1}: loss {cl.IterationLoss[i]} on ILGPU, {cpu.IterationLoss[i]} on the CPU");
        Assert.True(cl.EpochLoss[^1] < cl.EpochLoss[0] * 0.8, $"epoch losses on ILGPU: {string.Join(", ", cl.EpochLoss)}");
        // one digit of 100 may flip between devices when its two best scores differ by rounding only
        Assert.True(Math.Abs(cpu.TestAccuracy[^1] - cl.TestAccuracy[^1]) <= 0.02,
                    $"test accuracy {cl.TestAccuracy[^1]:P1} on ILGPU, {cpu.TestAccuracy[^1]:P1} on the CPU");
        Assert.True(cl.TestAccuracy[^1] > 0.4, $"test accuracy on ILGPU {cl.TestAccuracy[^1]:P1} (chance is 10%)");
    }
}
