using System.Diagnostics;
using CourseKit.Data;
using CourseKit.Layers;
using CourseKit.Losses;
using CourseKit.Models;
using CourseKit.Optimizers;
using CourseKit.Training;

namespace CourseKit.Benchmarks;

/// <summary>
/// <c>train</c>: one epoch of SimpleConvNet training (8,000 MNIST digits, batch 100, Adam 0.001) next to the
/// same epoch in NumPy written like the lecture (im2col, train_numpy.py) and in PyTorch (train_torch.py), on the same
/// threads and BLAS, from the same initial weights, taking turns, with the losses checked against each other; with <c>--epochs N</c> (N &gt; 1) it then trains N epochs and
/// reports the test accuracy per epoch.
/// </summary>
internal sealed class TrainBenchmark : IBenchmark
{
    public string Name => "train";
    public string Description => "one SimpleConvNet epoch vs NumPy im2col and PyTorch  [--epochs 5 [--init He|Xavier|SmallNormal] [--seed 1] [--normalize]] [--no-python] [--profile [--warmup 10]]";

    public int Run(string[] args)
    {
        string folder = Mnist.FindSample();
        var mnist = Mnist.LoadSample(folder);
        Machine.Describe("train", "cpu");
        Console.WriteLine($"SimpleConvNet, {mnist.Train.Count} training digits, batch 100, Adam 0.001");
        var test = new DataLoader(mnist.Test, 500, shuffle: false);

        // Warm-up (JIT, first allocations) on a few batches of a throw-away network.
        var warm = new DataLoader(mnist.Train.Take(300), 100, shuffle: false);
        new Trainer(SimpleConvNet.Create(seed: 9), new SoftmaxWithLoss(), new Adam()).Fit(warm, epochs: 1);

        // batches run before the clock counts: by default the few the JIT needs to compile everything once; a few hundred
        // show the steady state, when the tiered JIT has optimized the code that runs per mini-batch
        if (args.Contains("--profile")) Profile(mnist.Train, BenchmarkArgs.Int(args, "--warmup", 10));

        // Every side starts from the same weights (ours, written for the scripts) and takes the digits in file order, so
        // that the losses can be checked against each other; the sides take turns epoch by epoch, twice over.
        using var exchange = new ArrayExchange();
        string[] names = ["W1", "b1", "W2", "b2", "W3", "b3"];
        var initial = SimpleConvNet.Create(seed: 1);
        for (int i = 0; i < names.Length; i++) exchange.Write(names[i], initial.Parameters[i].Value.ToArray());
        var environment = PythonReference.Environment(Machine.Threads);
        var references = args.Contains("--no-python") ? Array.Empty<(string, string)>() : [("NumPy im2col (lecture style)", "train_numpy.py"), ("PyTorch", "train_torch.py")];
        var verdict = new Verdict();
        double? ours = null;
        var theirs = new double?[references.Length];
        for (int round = 0; round < 2; round++)
        {
            var net = SimpleConvNet.Create(seed: 1);
            var trainer = new Trainer(net, new SoftmaxWithLoss(), new Adam(0.001f));
            var clock = Stopwatch.StartNew();
            trainer.Fit(new DataLoader(mnist.Train, 100, shuffle: false), epochs: 1);
            ours = Timing.Min(ours, clock.Elapsed.TotalSeconds);
            var losses = trainer.History.IterationLoss;
            float first = losses[0], last = losses[^10..].Average();
            if (round == 0)
                Console.WriteLine($"CourseKit: loss of the first batch {first:F5}, of the last 10 {last:F4}, test accuracy {Trainer.Accuracy(net, test):P2}");
            for (int r = 0; r < references.Length; r++)
            {
                var (label, script) = references[r];
                var result = PythonReference.Run(PythonReference.Script(script), [folder, "100", exchange.Folder], environment, TimeSpan.FromMinutes(10));
                if (result.Json is not { } json)
                {
                    if (round == 0) verdict.Fail($"{label}: unavailable ({result.Unavailable})");
                    continue;
                }
                theirs[r] = Timing.Min(theirs[r], json.GetProperty("seconds").GetDouble());
                if (round > 0) continue;
                float theirFirst = (float)json.GetProperty("first_loss").GetDouble(), theirLast = (float)json.GetProperty("last_loss").GetDouble();
                // The first loss is a forward pass from the same weights: float32 rounding apart. After 80 steps PyTorch's
                // Adam (eps outside the square root, as ours) stays within rounding of ours; the lecture-style NumPy Adam
                // (eps 1e-7, the step size folded into lr_t) takes slightly different steps, so only the trend must agree.
                double firstError = verdict.Check($"{label}: loss of the first batch", [first], [theirFirst], 1e-4);
                double lastError = verdict.Check($"{label}: loss of the last 10 batches", [last], [theirLast], script == "train_torch.py" ? 1e-3 : 0.1);
                Console.WriteLine($"{label}: loss of the first batch {theirFirst:F5} (relative error {Verdict.Error(firstError)}), " +
                                  $"of the last 10 {theirLast:F4} ({Verdict.Error(lastError)}); {json.GetProperty("threads").GetInt32()} threads, " +
                                  $"BLAS {json.GetProperty("blas").GetProperty("loaded").GetString()}");
            }
        }
        Console.WriteLine();
        Console.WriteLine($"CourseKit: one epoch in {ours:F2} s (best of 2)");
        for (int r = 0; r < references.Length; r++)
            Console.WriteLine(theirs[r] is null ? $"{references[r].Item1}: -"
                : $"{references[r].Item1}: one epoch in {theirs[r]:F2} s (best of 2) -> CourseKit {Ratio.Text(theirs[r], ours)}");
        Console.WriteLine("Both sides on the same threads and BLAS, the same initial weights and digits; the check compares the losses.");

        int epochs = BenchmarkArgs.Int(args, "--epochs", 1);
        if (epochs > 1)
        {
            var init = Enum.Parse<WeightInit>(BenchmarkArgs.Value(args, "--init") ?? nameof(WeightInit.He));
            int seed = BenchmarkArgs.Int(args, "--seed", 1);
            var normalization = args.Contains("--normalize") ? Mnist.Normalization : null;
            Console.WriteLine($"Full run: {epochs} epochs from a fresh network ({init} init, seed {seed}, inputs {normalization?.ToString() ?? "in [0, 1]"})");
            var full = new Trainer(SimpleConvNet.Create(init, seed), new SoftmaxWithLoss(), new Adam(0.001f)) { Log = Console.Out };
            var history = full.Fit(new DataLoader(mnist.Train, 100, shuffle: true, seed: (ulong)seed, normalization: normalization), epochs,
                                   new DataLoader(mnist.Test, 500, shuffle: false, normalization: normalization));
            Console.WriteLine($"test accuracy per epoch: {string.Join(", ", history.TestAccuracy.Select(a => a.ToString("P2")))}");
        }
        return verdict.Finish(Console.Out);
    }

    /// <summary>
    /// Time per batch in each layer's forward and backward, the loss, the optimizer step and the data loader, over
    /// 80 batches (one epoch of the training digits) after <paramref name="warmUp"/> batches to warm up; with the
    /// garbage collections they caused.
    /// </summary>
    private static void Profile(ImageDataset data, int warmUp)
    {
        var net = SimpleConvNet.Create(seed: 2);
        var loss = new SoftmaxWithLoss();
        var adam = new Adam();
        var forward = new double[net.Layers.Count];
        var backward = new double[net.Layers.Count];
        double lossTime = 0, stepTime = 0, loadTime = 0;
        var clock = new Stopwatch();
        int seen = 0, counted = 0;
        int[] collections = new int[3];
        long allocated = 0;
        var loader = new DataLoader(data, 100, shuffle: true, seed: 2);
        // warm-up batches, then 80 (one epoch of 8,000 digits), over as many shuffled epochs as that takes
        using var batches = Enumerable.Range(0, int.MaxValue).SelectMany(loader.Epoch).Take(warmUp + 80).GetEnumerator();
        while (true)
        {
            if (seen++ == warmUp)
            {
                Array.Clear(forward);
                Array.Clear(backward);
                lossTime = stepTime = loadTime = 0;
                for (int g = 0; g < 3; g++) collections[g] = GC.CollectionCount(g);
                allocated = GC.GetTotalAllocatedBytes();
                counted = 0;
            }
            clock.Restart();
            if (!batches.MoveNext()) break;
            var batch = batches.Current;
            loadTime += clock.Elapsed.TotalMilliseconds;
            counted++;
            // Each layer is called as Sequential calls it: all but the last output and the first dx may be written
            // into the layer's previous results (Layer.MayReuseResults).
            int last = net.Layers.Count - 1;
            var x = batch.Images;
            for (int i = 0; i <= last; i++)
            {
                clock.Restart();
                x = net.Layers[i].Forward(x, training: true, mayReuseResults: i < last);
                forward[i] += clock.Elapsed.TotalMilliseconds;
            }
            clock.Restart();
            loss.Forward(x, batch.Labels);
            var d = loss.Backward();
            lossTime += clock.Elapsed.TotalMilliseconds;
            for (int i = last; i >= 0; i--)
            {
                clock.Restart();
                d = net.Layers[i].Backward(d, mayReuseResults: i > 0);
                backward[i] += clock.Elapsed.TotalMilliseconds;
            }
            clock.Restart();
            adam.Step(net.Parameters);
            stepTime += clock.Elapsed.TotalMilliseconds;
        }
        double total = forward.Sum() + backward.Sum() + lossTime + stepTime + loadTime;
        Console.WriteLine($"profile: ms per batch over {counted} batches (one epoch) after {warmUp} to warm up; layer, forward, backward");
        for (int i = 0; i < net.Layers.Count; i++) Console.WriteLine($"  {net.Layers[i].Name,-14} {forward[i] / counted,7:F3} {backward[i] / counted,7:F3}");
        Console.WriteLine($"  {"loss",-14} {lossTime / counted,7:F3}\n  {"Adam",-14} {stepTime / counted,7:F3}\n  {"data loader",-14} {loadTime / counted,7:F3}");
        Console.WriteLine($"  {"total",-14} {total / counted,7:F3}   ({total / 1000:F2} s for the epoch)");
        Console.WriteLine($"  allocated {(GC.GetTotalAllocatedBytes() - allocated) / (1024.0 * 1024 * counted):F1} MB per batch; garbage collections gen0/gen1/gen2: " +
                          string.Join("/", Enumerable.Range(0, 3).Select(g => GC.CollectionCount(g) - collections[g])));
    }
}
