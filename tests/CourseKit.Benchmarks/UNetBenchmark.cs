using System.Diagnostics;
using System.Text.Json;
using CourseKit.Losses;
using CourseKit.Models;
using CourseKit.Optimizers;

namespace CourseKit.Benchmarks;

/// <summary>
/// <c>unet</c>: one U-Net training step (forward, per-pixel softmax cross-entropy, backward, Adam) on a batch of
/// 128x128 images, CourseKit against PyTorch (unet_torch.py) with the same network, initial weights, batch and thread
/// count. The first step's loss and gradients are compared; then rounds of steps alternate between the two (one
/// process each, PyTorch kept running and driven over stdin), and the median time per step of each is reported.
/// Memory: what each keeps from the forward pass for backward, against the theoretical minimum (every feature map
/// backward must read, once, in float32; a max-pooling argmax as one byte), and each process's peak working set.
/// </summary>
internal sealed class UNetBenchmark : IBenchmark
{
    public string Name => "unet";
    public string Description => "one U-Net training step on 128x128 images vs PyTorch, with activation memory  [--batch 8] [--size 128] [--depth 3] [--width 16] [--rounds 5] [--steps 3]";

    public int Run(string[] args)
    {
        int batch = BenchmarkArgs.Int(args, "--batch", 8), size = BenchmarkArgs.Int(args, "--size", 128);
        int depth = BenchmarkArgs.Int(args, "--depth", 3), width = BenchmarkArgs.Int(args, "--width", 16);
        int rounds = BenchmarkArgs.Int(args, "--rounds", 5), steps = BenchmarkArgs.Int(args, "--steps", 3);
        int threads = Environment.ProcessorCount;
        Console.WriteLine($"unet: UNet(depth {depth}, width {width}, batch norm, ReLU), batch {batch}x1x{size}x{size}, 2 classes, " +
                          $"per-pixel softmax cross-entropy, Adam 0.001, {threads} threads");

        var net = new UNet(inChannels: 1, classes: 2, depth: depth, width: width, seed: 1) { ComputeInputGradient = false };
        var x = Tensor.Rand(batch, 1, size, size, seed: 2);
        var noise = Tensor.Rand(batch, 1, size, size, seed: 3).ToArray();
        int[] labels = [.. noise.Select(v => v > 0.8f ? 1 : 0)];
        string folder = Directory.CreateTempSubdirectory("coursekit-unet-").FullName;
        try
        {
            WriteFloats(Path.Combine(folder, "params.bin"), net.Parameters.SelectMany(p => p.Value.ToArray()));
            WriteFloats(Path.Combine(folder, "x.bin"), x.ToArray());
            File.WriteAllBytes(Path.Combine(folder, "labels.bin"), [.. labels.SelectMany(BitConverter.GetBytes)]);

            // The first forward of a fresh network: what it keeps for backward (a full collection before and after).
            var loss = new PixelwiseSoftmaxCrossEntropy();
            long before = GC.GetTotalMemory(forceFullCollection: true);
            var y = net.Forward(x, training: true);
            float first = loss.Forward(y, labels);
            long kept = GC.GetTotalMemory(forceFullCollection: true) - before;
            net.Backward(loss.Backward());
            double[] ours = [.. net.Parameters.Select(p => Math.Sqrt(p.Grad.ToArray().Sum(g => (double)g * g)))];
            long minimum = MinimumActivationBytes(batch, size, depth, width);

            var adam = new Adam(0.001f);
            void Step()
            {
                var scores = net.Forward(x, training: true, mayReuseResults: true);
                loss.Forward(scores, labels);
                net.Backward(loss.Backward(), mayReuseResults: true);
                adam.Step(net.Parameters);
            }
            Console.WriteLine($"activations kept from forward for backward: theoretical minimum {Mb(minimum)}; CourseKit {Mb(kept)} ({(double)kept / minimum:F2}x, target <= 2x)");
            BatchNormalizationTimes(batch, width, size);
            Process? started = null;
            JsonElement check = default;
            try { started = StartTorch(folder, batch, size, depth, width, threads, out check); }
            catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception or JsonException)
            {
                Console.WriteLine($"PyTorch unavailable ({e.Message}); CourseKit alone:");
                Step();
                var alone = new List<double>();
                for (int r = 0; r < rounds; r++)
                {
                    var clock = Stopwatch.StartNew();
                    for (int k = 0; k < steps; k++) Step();
                    alone.Add(clock.Elapsed.TotalSeconds / steps);
                }
                Console.WriteLine($"time per step (median of {rounds} rounds of {steps}): CourseKit {Median(alone) * 1000:F0} ms");
                return 0;
            }
            using var torch = started;
            double torchLoss = check.GetProperty("loss").GetDouble();
            var torchNorms = check.GetProperty("grad_norms").EnumerateArray().Select(e => e.GetDouble()).ToArray();
            // Relative to each gradient, but not below 1e-3 of the largest: a bias just before batch normalization has a
            // gradient of 0 up to rounding in both (the batch mean removes it), and rounding has no relative accuracy.
            double floor = 1e-3 * torchNorms.Max();
            double worst = ours.Zip(torchNorms).Max(p => Math.Abs(p.First - p.Second) / Math.Max(p.Second, floor));
            int at = Enumerable.Range(0, ours.Length).MaxBy(i => Math.Abs(ours[i] - torchNorms[i]) / Math.Max(torchNorms[i], floor));
            var parts = net.Parts.SelectMany(part => part.Parameters.Select(p => $"{part.Name}.{p.Name}")).ToArray();
            Console.WriteLine($"check: loss CourseKit {first:F6}, PyTorch {torchLoss:F6}; gradient norms of all {ours.Length} parameters agree to {worst:E1} (relative; " +
                              $"worst {parts[at]}: {ours[at]:E3} vs {torchNorms[at]:E3}; largest norm {torchNorms.Max():E2})");
            if (Math.Abs(first - torchLoss) > 1e-4 * Math.Abs(torchLoss) + 1e-6 || worst > 1e-3)
            {
                Console.WriteLine("CHECK FAILED: CourseKit and PyTorch do not compute the same step; timings not reported.");
                return 1;
            }

            // Alternating rounds; CourseKit warms up with one step as PyTorch did.
            Step();
            var ourTimes = new List<double>();
            var torchTimes = new List<double>();
            long torchPeak = 0;
            for (int r = 0; r < rounds; r++)
            {
                var clock = Stopwatch.StartNew();
                for (int s = 0; s < steps; s++) Step();
                ourTimes.Add(clock.Elapsed.TotalSeconds / steps);
                torch.StandardInput.WriteLine($"time {steps}");
                var answer = JsonDocument.Parse(torch.StandardOutput.ReadLine() ?? throw new InvalidOperationException("unet_torch.py stopped answering")).RootElement;
                torchTimes.Add(answer.GetProperty("seconds").GetDouble());
                torchPeak = answer.GetProperty("peak_rss_bytes").GetInt64();
                Console.WriteLine($"  round {r + 1}: CourseKit {ourTimes[^1] * 1000:F0} ms, PyTorch {torchTimes[^1] * 1000:F0} ms per step");
            }
            torch.StandardInput.WriteLine("quit");
            double ourMedian = Median(ourTimes), torchMedian = Median(torchTimes);
            Console.WriteLine($"time per step (median of {rounds} rounds of {steps}): CourseKit {ourMedian * 1000:F0} ms, PyTorch {torchMedian * 1000:F0} ms " +
                              $"-> ratio PyTorch/CourseKit {torchMedian / ourMedian:F2} (target >= 1)");
            long torchSaved = check.GetProperty("saved_bytes").GetInt64() + check.GetProperty("output_bytes").GetInt64();
            Console.WriteLine($"activations kept from forward for backward: theoretical minimum {Mb(minimum)}; CourseKit {Mb(kept)} ({(double)kept / minimum:F2}x, target <= 2x); " +
                              $"PyTorch's saved tensors and output {Mb(torchSaved)} ({(double)torchSaved / minimum:F2}x)");
            Console.WriteLine($"peak working set of the process: CourseKit {Mb(Process.GetCurrentProcess().PeakWorkingSet64)}, PyTorch {Mb(torchPeak)} (each with its runtime and libraries)");
            return 0;
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>
    /// The first level's batch normalization (batch x width x size x size) alone, as the CPU backend's fused passes and as
    /// the tensor operations of its definition (what it ran before, and still runs on OpenCL and ILGPU): median of 7 calls
    /// each, inside a container (dx into a reused buffer) and called directly (dx into a new tensor each time).
    /// </summary>
    private static void BatchNormalizationTimes(int batch, int width, int size)
    {
        var x = Tensor.RandN(batch, width, size, size, seed: 4);
        var dy = Tensor.RandN(batch, width, size, size, seed: 5);
        (double Forward, double Backward) Time(bool fused, bool reuse = true)
        {
            var bn = new Layers.BatchNormalization(width) { UseBackendKernel = fused };
            var forward = new List<double>();
            var backward = new List<double>();
            for (int i = 0; i < 8; i++)
            {
                var clock = Stopwatch.StartNew();
                bn.Forward(x, training: true, mayReuseResults: reuse);
                double f = clock.Elapsed.TotalMilliseconds;
                clock.Restart();
                bn.Backward(dy, mayReuseResults: reuse);
                if (i > 0) { forward.Add(f); backward.Add(clock.Elapsed.TotalMilliseconds); }   // the first call warms up
            }
            return (Median(forward), Median(backward));
        }
        var (genericForward, genericBackward) = Time(fused: false);
        var (fusedForward, fusedBackward) = Time(fused: true);
        var (freshForward, freshBackward) = Time(fused: true, reuse: false);
        Console.WriteLine($"batch normalization at {batch}x{width}x{size}x{size}, training: tensor operations {genericForward:F1} ms forward, {genericBackward:F1} ms backward; " +
                          $"fused CPU passes {fusedForward:F1} ms forward, {fusedBackward:F1} ms backward; the same with dx into a new tensor {freshForward:F1} ms, {freshBackward:F1} ms");
    }

    /// <summary>
    /// Every tensor backward must read, each counted once in float32 (a max-pooling argmax as 1 byte): per double
    /// convolution at c channels and side s the first convolution's input, both batch normalizations' inputs, the second
    /// convolution's input and the block's output (the next layer's input, an encoder's also its skip); per pooling the
    /// argmax; per decoder level the transposed convolution's output (its input is the block output below, and the skip
    /// half of the concatenation is the encoder's output); and the softmax probabilities the loss keeps.
    /// </summary>
    private static long MinimumActivationBytes(int n, int size, int depth, int width)
    {
        long floats = 0, bytes = 0;
        int s = size, cin = 1;
        for (int l = 0; l < depth; l++)
        {
            int c = width << l;
            floats += (long)cin * s * s + 4L * c * s * s;     // input, BN1 in, conv2 in, BN2 in, block out
            bytes += (long)c * (s / 2) * (s / 2);              // argmax
            cin = c;
            s /= 2;
        }
        floats += (long)cin * s * s + 4L * (width << depth) * s * s;   // bottom: its input (the last pooling's output) and four maps
        for (int l = depth - 1; l >= 0; l--)
        {
            int c = width << l;
            s *= 2;
            floats += (long)c * s * s + 4L * c * s * s;        // up output (half the concat), BN1 in, conv2 in, BN2 in, block out
        }
        floats += 2L * size * size;                            // softmax probabilities
        return n * (floats * 4 + bytes);
    }

    private static Process StartTorch(string folder, int batch, int size, int depth, int width, int threads, out JsonElement check)
    {
        var start = new ProcessStartInfo(PythonReference.Interpreter)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        foreach (var a in new object[] { PythonReference.Script("unet_torch.py"), folder, batch, size, depth, width, threads }) start.ArgumentList.Add(a.ToString()!);
        if (!File.Exists(PythonReference.Interpreter)) throw new InvalidOperationException($"{PythonReference.Interpreter} not found");
        var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {PythonReference.Interpreter}");
        string? line = process.StandardOutput.ReadLine();
        if (line is null) throw new InvalidOperationException("unet_torch.py printed nothing: is python3-torch installed (apt-get install python3-torch)?");
        check = JsonDocument.Parse(line).RootElement.Clone();
        return process;
    }

    private static void WriteFloats(string path, IEnumerable<float> values) =>
        File.WriteAllBytes(path, [.. values.SelectMany(BitConverter.GetBytes)]);

    private static double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);

    private static string Mb(long bytes) => $"{bytes / (1024.0 * 1024):F1} MB";
}
