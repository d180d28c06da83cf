using CourseKit.Backends;
using CourseKit.Generative;
using CourseKit.Layers;
using CourseKit.Losses;
using CourseKit.Models;
using CourseKit.Optimizers;

namespace CourseKit.Tests.OnDevice;

/// <summary>
/// The networks of chapters 4–5 train on a device with the same code as on the CPU, step for step: a ResNet (batch
/// normalisation, a strided 1x1 projection shortcut, Add, global average pooling), a U-Net (max pooling, transposed
/// convolution, Concat of the skips, per-pixel softmax) and a DCGAN (both players: transposed convolutions, batch
/// normalisation, leaky ReLU, tanh, the GAN losses). Small widths keep ILGPU's CPU accelerator quick; every layer kind
/// the full-size networks use is there. Losses agree to float rounding, parameters after three steps within the bound.
/// SGD with momentum rather than Adam: a convolution's bias just before batch normalisation has a gradient of 0 up to
/// rounding, and Adam divides that noise by its own size, turning it into full steps of either sign.
/// </summary>
public abstract class DeviceModelTrainingTests(IDeviceFixture fixture)
{
    /// <summary>Parameters and gradients after three steps agree within relative·|cpu| + absolute.</summary>
    protected abstract (float Relative, float Absolute) ParameterBound { get; }

    public static TheoryData<string> Networks => ["ResNet", "U-Net", "DCGAN"];

    [Theory]
    [MemberData(nameof(Networks))]
    public void TrainingStepsOnTheDeviceEqualTheCpuSteps(string network)
    {
        var runs = new[] { Device.Cpu, fixture.Device }.Select(device => network switch
        {
            "ResNet" => ResNetSteps(device),
            "U-Net" => UNetSteps(device),
            _ => DcganSteps(device),
        }).ToArray();
        var (cpu, dev) = (runs[0], runs[1]);
        for (int i = 0; i < cpu.Losses.Count; i++)
            Assert.True(Math.Abs(cpu.Losses[i] - dev.Losses[i]) <= 1e-4 * Math.Max(1, Math.Abs(cpu.Losses[i])),
                        $"{network}, loss {i + 1}: {dev.Losses[i]} on {fixture.Name}, {cpu.Losses[i]} on the CPU");
        var (relative, absolute) = ParameterBound;
        var cpuParameters = cpu.Networks.SelectMany(n => n.Parameters).ToArray();
        var devParameters = dev.Networks.SelectMany(n => n.Parameters).ToArray();
        Assert.Equal(cpuParameters.Length, devParameters.Length);
        for (int i = 0; i < cpuParameters.Length; i++)
        {
            Assert.Same(fixture.Device, devParameters[i].Value.Device);
            Numbers.Close(cpuParameters[i].Value.ToArray(), devParameters[i].Value.ToArray(), relative, absolute, $"{network}: parameter {cpuParameters[i]} after 3 steps");
            Numbers.Close(cpuParameters[i].Grad.ToArray(), devParameters[i].Grad.ToArray(), relative, absolute, $"{network}: gradient of {cpuParameters[i]} at step 3");
        }
    }

    private static (List<float> Losses, Layer[] Networks) ResNetSteps(Device device)
    {
        var net = ResNet.Cifar(8, width: 4, seed: 1).To(device);           // 3x3 stem, three stages, strides 2 with projections
        var x = Input([4, 3, 32, 32], seed: 2).To(device);
        int[] labels = [3, 1, 4, 1];
        var loss = new SoftmaxWithLoss();
        var step = new Momentum(0.05f, 0.9f);
        var losses = new List<float>();
        for (int i = 0; i < 3; i++)
        {
            losses.Add(loss.Forward(net.Forward(x, training: true), labels));
            net.Backward(loss.Backward());
            step.Step(net.Parameters);
        }
        return (losses, [net]);
    }

    private static (List<float> Losses, Layer[] Networks) UNetSteps(Device device)
    {
        var net = UNet.Functional(inChannels: 1, classes: 3, depth: 2, width: 4, imageSize: 16, seed: 3).To(device);
        var x = Input([2, 1, 16, 16], seed: 4).To(device);
        var labels = Enumerable.Range(0, 2 * 16 * 16).Select(i => (i * 7 + i / 16) % 3).ToArray();
        var loss = new PixelwiseSoftmaxCrossEntropy();
        var step = new Momentum(0.05f, 0.9f);
        var losses = new List<float>();
        for (int i = 0; i < 3; i++)
        {
            losses.Add(loss.Forward(net.Forward(x, training: true), labels));
            net.Backward(loss.Backward());
            step.Step(net.Parameters);
        }
        return (losses, [net]);
    }

    private static (List<float> Losses, Layer[] Networks) DcganSteps(Device device)
    {
        const int latent = 8;
        var g = Dcgan.Generator(latent, imageSize: 28, width: 4, seed: 5).To(device);
        var d = Dcgan.Discriminator(imageSize: 28, width: 4, seed: 6).To(device);
        var gan = new GanTrainer(g, d, new Momentum(0.05f, 0.9f), new Momentum(0.05f, 0.9f), latent, seed: 7);
        var real = (Input([4, 1, 28, 28], seed: 8) * 2f - 1f).To(device);
        var losses = new List<float>();
        for (int i = 0; i < 3; i++)
        {
            var (dLoss, dReal, dFake) = gan.DiscriminatorStep(real, latent: Tensor.Normal([4, latent], 0f, 1f, seed: 20 + i).To(device));
            losses.AddRange([dLoss, dReal, dFake, gan.GeneratorStep(Tensor.Normal([4, latent], 0f, 1f, seed: 30 + i).To(device))]);
        }
        return (losses, [g, d]);
    }

    private static Tensor Input(int[] shape, int seed)
    {
        var random = new Random(seed);
        return Tensor.FromData(shape, Numbers.Random(random, shape.Aggregate(1, (a, b) => a * b), 0f, 1f));
    }
}
