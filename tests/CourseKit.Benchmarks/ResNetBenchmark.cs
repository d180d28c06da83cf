using System.Diagnostics;
using CourseKit.Layers;
using CourseKit.Losses;
using CourseKit.Models;
using CourseKit.Optimizers;

namespace CourseKit.Benchmarks;

/// <summary>
/// <c>resnet</c>: one training step (forward, softmax loss, backward, SGD with momentum) of ResNet-20 and of WRN-16-4 on
/// a batch of 32×32×3 images, CourseKit against PyTorch (resnet_torch.py) with the same thread count, in rounds that
/// alternate the two. PyTorch starts from CourseKit's weights on the same batch, and the first loss and the first
/// convolution's gradient are compared. Reports the median step time, the ratio and the peak working set.
/// </summary>
internal sealed class ResNetBenchmark : IBenchmark
{
    public string Name => "resnet";
    public string Description => "ResNet-20 and WRN-16-4 training steps vs PyTorch  [--batch 128] [--rounds 3] [--steps 5] [--only resnet20|wrn16-4] [--no-python] [--profile]";

    public int Run(string[] args)
    {
        int batch = BenchmarkArgs.Int(args, "--batch", 128), rounds = BenchmarkArgs.Int(args, "--rounds", 3), steps = BenchmarkArgs.Int(args, "--steps", 5);
        string? only = BenchmarkArgs.Value(args, "--only");
        int threads = Environment.ProcessorCount;
        Console.WriteLine($"resnet: one training step (forward, loss, backward, SGD momentum), batch {batch}, 32x32x3, {threads} threads; " +
                          $"{rounds} rounds of {steps} timed steps, CourseKit and PyTorch alternating");
        bool ok = true;
        foreach (string config in new[] { "resnet20", "wrn16-4" })
        {
            if (only is not null && only != config) continue;
            ok &= Compare(config, batch, rounds, steps, threads, args.Contains("--no-python"), args.Contains("--profile"));
        }
        return ok ? 0 : 1;
    }

    private static Model Build(string config) => config == "resnet20" ? ResNet.Cifar(20, seed: 1) : WideResNet.Create(16, 4, seed: 1);

    private static bool Compare(string config, int batch, int rounds, int steps, int threads, bool noPython, bool profile)
    {
        var net = Build(config);
        var x = Tensor.Normal([batch, 3, 32, 32], seed: 2);
        var rng = new Random(3);
        int[] labels = [.. Enumerable.Range(0, batch).Select(_ => rng.Next(10))];

        // the same weights and batch for PyTorch, written before our first step changes them
        string data = Path.Combine(Path.GetTempPath(), $"coursekit-resnet-{config}-{Environment.ProcessId}.bin");
        using (var file = new BinaryWriter(File.Create(data)))
        {
            foreach (float v in x.ToArray()) file.Write(v);
            foreach (int t in labels) file.Write(BitConverter.Int32BitsToSingle(t));
            foreach (var (_, value) in net.State()) foreach (float v in value.ToArray()) file.Write(v);
        }

        var loss = new SoftmaxWithLoss();
        var optimizer = new Momentum(0.01f, 0.9f);
        float firstLoss = loss.Forward(net.Forward(x, training: true), labels);
        net.Backward(loss.Backward());
        float[] firstGrad = net.Parameters[0].Grad.ToArray();

        double Step()
        {
            var clock = Stopwatch.StartNew();
            var scores = net.Forward(x, training: true, mayReuseResults: true);
            loss.Forward(scores, labels);
            net.Backward(loss.Backward(), mayReuseResults: true);
            optimizer.Step(net.Parameters);
            return clock.Elapsed.TotalSeconds;
        }

        Step();                                                            // warm-up: JIT, buffers
        if (profile) Profile(net, x, labels);
        var ours = new List<double>();
        var theirs = new List<double>();
        double torchPeak = 0;
        string? unavailable = null;
        bool checkedOnce = false, agree = true;
        for (int r = 0; r < rounds; r++)
        {
            for (int s = 0; s < steps; s++) ours.Add(Step());
            if (noPython || unavailable is not null) continue;
            var result = PythonReference.Run(PythonReference.Script("resnet_torch.py"),
                                             [config, data, batch.ToString(), threads.ToString(), steps.ToString()], timeout: TimeSpan.FromMinutes(10));
            if (result.Json is not { } json) { unavailable = result.Unavailable; continue; }
            theirs.AddRange(json.GetProperty("seconds").EnumerateArray().Select(e => e.GetDouble()));
            torchPeak = Math.Max(torchPeak, json.GetProperty("peak_mb").GetDouble());
            if (!checkedOnce)
            {
                checkedOnce = true;
                double torchLoss = json.GetProperty("loss").GetDouble();
                float[] torchGrad = [.. json.GetProperty("grad_first_conv").EnumerateArray().Select(e => (float)e.GetDouble())];
                double scale = torchGrad.Max(MathF.Abs), gradError = 0;
                for (int i = 0; i < torchGrad.Length; i++) gradError = Math.Max(gradError, Math.Abs(torchGrad[i] - firstGrad[i]) / scale);
                double lossError = Math.Abs(torchLoss - firstLoss) / Math.Abs(torchLoss);
                agree = lossError < 1e-4 && gradError < 1e-3;
                Console.WriteLine($"{config}: check against PyTorch: loss {firstLoss:F6} vs {torchLoss:F6} (relative {lossError:E1}), " +
                                  $"first convolution's gradient max error {gradError:E1} of its largest entry -> {(agree ? "agree" : "DISAGREE")}");
            }
        }
        File.Delete(data);
        double oursMedian = Median(ours);
        long peak = Process.GetCurrentProcess().PeakWorkingSet64;
        Console.WriteLine($"{config}: {net.ParameterCount:N0} parameters; CourseKit {oursMedian * 1000:F0} ms per step (median of {ours.Count}), " +
                          $"peak working set of this process {peak / (1024.0 * 1024):F0} MB");
        if (theirs.Count > 0)
        {
            double t = Median(theirs);
            Console.WriteLine($"{config}: PyTorch {t * 1000:F0} ms per step (median of {theirs.Count}), peak resident {torchPeak:F0} MB " +
                              $"-> CourseKit is {t / oursMedian:F2}x {(t >= oursMedian ? "faster" : "as fast (slower)")}");
        }
        else if (!noPython) Console.WriteLine($"{config}: PyTorch unavailable ({unavailable})");
        return agree;
    }

    /// <summary>Milliseconds per step in each top-level node's forward and backward, over 5 steps.</summary>
    private static void Profile(Model net, Tensor x, int[] labels)
    {
        var loss = new SoftmaxWithLoss();
        var layers = net.Layers;
        var f = new double[layers.Count];
        var b = new double[layers.Count];
        var clock = new Stopwatch();
        const int steps = 5;
        for (int s = 0; s < steps; s++)
        {
            var h = x;
            for (int i = 0; i < layers.Count; i++) { clock.Restart(); h = layers[i].Forward(h, true, true); f[i] += clock.Elapsed.TotalMilliseconds; }
            loss.Forward(h, labels);
            var d = loss.Backward();
            for (int i = layers.Count - 1; i >= 0; i--) { clock.Restart(); d = layers[i].Backward(d, true); b[i] += clock.Elapsed.TotalMilliseconds; }
        }
        Console.WriteLine("profile: ms per step, layer, forward, backward");
        for (int i = 0; i < layers.Count; i++) Console.WriteLine($"  {layers[i].Name,-22} {f[i] / steps,8:F1} {b[i] / steps,8:F1}");
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
    }
}
