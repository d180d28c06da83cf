using System.Diagnostics;
using CourseKit.Layers;
using CourseKit.Losses;
using CourseKit.Models;
using CourseKit.Optimizers;

namespace CourseKit.Benchmarks;

/// <summary>
/// <c>resnet</c>: one training step (forward, softmax loss, backward, SGD with momentum) of ResNet-20 and of WRN-16-4 on
/// a batch of 32×32×3 images, CourseKit against PyTorch (resnet_torch.py) with the same thread count, in rounds that
/// alternate the two. PyTorch starts from CourseKit's weights on the same batch; the first loss is compared with
/// PyTorch's, and the first convolution's gradient of both sides with PyTorch's in float64 (see Check). Reports the
/// median step time, the ratio and the peak working set.
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
                agree = Check(config, data, batch, threads, firstLoss, firstGrad, json);
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

    /// <summary>
    /// The first step's loss against PyTorch's, and the first convolution's gradient of both float32 sides against a
    /// float64 run of PyTorch from the same weights and batch. Not against each other: float32 rounding flips a few
    /// ReLUs whose input is within rounding of 0, and each side flips different ones (batch 128, of 24 M ReLU outputs
    /// in ResNet-20: PyTorch 2, CourseKit 3; of 61 M in WRN-16-4: 18 and 15). The flips move this gradient by 1e-3 to
    /// 3e-3 of its norm on either side; replaying a side's own ReLU masks in the float64 run, PyTorch's float32 gradient
    /// agrees with it to 6e-6 and ours to 1.2e-6 and 0.9e-6. So ours must be no farther from float64 than 4× PyTorch's
    /// own float32 error (measured: 1.8× and 1.1×), or than 1e-5, float32 rounding without flips.
    /// </summary>
    private static bool Check(string config, string data, int batch, int threads, float firstLoss, float[] firstGrad, System.Text.Json.JsonElement torch)
    {
        double torchLoss = torch.GetProperty("loss").GetDouble();
        double[] torchGrad = [.. torch.GetProperty("grad_first_conv").EnumerateArray().Select(e => e.GetDouble())];
        double lossError = Math.Abs(torchLoss - firstLoss) / Math.Abs(torchLoss);
        var exact = PythonReference.Run(PythonReference.Script("resnet_torch.py"),
                                        [config, data, batch.ToString(), threads.ToString(), "0", "double"], timeout: TimeSpan.FromMinutes(10));
        if (exact.Json is not { } json)
        {
            Console.WriteLine($"{config}: float64 reference unavailable ({exact.Unavailable}): the gradient is not checked -> DISAGREE");
            return false;
        }
        double[] grad64 = [.. json.GetProperty("grad_first_conv").EnumerateArray().Select(e => e.GetDouble())];
        double[] ours = [.. firstGrad.Select(v => (double)v)];
        double oursError = NormError(ours, grad64), torchError = NormError(torchGrad, grad64);
        bool agree = lossError < 1e-4 && oursError <= 4 * Math.Max(torchError, 1e-5);
        Console.WriteLine($"{config}: loss {firstLoss:F6}, PyTorch {torchLoss:F6} (relative {lossError:E1}), float64 {json.GetProperty("loss").GetDouble():F6}");
        Console.WriteLine($"{config}: first convolution's gradient against float64, |d|/|g| (max entry): CourseKit {oursError:E1} ({MaxError(ours, grad64):E1}), " +
                          $"PyTorch float32 {torchError:E1} ({MaxError(torchGrad, grad64):E1}); CourseKit against PyTorch {NormError(ours, torchGrad):E1} " +
                          $"-> {(agree ? "agree" : "DISAGREE")}");
        return agree;
    }

    /// <summary>‖a − reference‖ / ‖reference‖ (Euclidean).</summary>
    private static double NormError(double[] a, double[] reference)
    {
        double difference = 0, size = 0;
        for (int i = 0; i < a.Length; i++) { difference += (a[i] - reference[i]) * (a[i] - reference[i]); size += reference[i] * reference[i]; }
        return Math.Sqrt(difference / size);
    }

    /// <summary>max |a − reference| / max |reference|.</summary>
    private static double MaxError(double[] a, double[] reference) =>
        a.Zip(reference, (u, v) => Math.Abs(u - v)).Max() / reference.Max(Math.Abs);

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
