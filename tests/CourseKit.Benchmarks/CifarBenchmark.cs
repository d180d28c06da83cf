using System.Diagnostics;
using CourseKit.Data;
using CourseKit.Data.Augmentation;
using CourseKit.Layers;
using CourseKit.Losses;
using CourseKit.Models;
using CourseKit.Optimizers;
using CourseKit.Training;

namespace CourseKit.Benchmarks;

/// <summary>
/// <c>cifar</c>: one training epoch of notebook 3-6's CifarConvNet on CIFAR-10 images (batch 100, Adam 0.001), CourseKit
/// without augmentation, with augmentation inline and with augmentation made ahead on a producer thread, next to the
/// same network in PyTorch (cifar_torch.py, same thread count, no augmentation), interleaved round by round in one run.
/// The PyTorch network starts from CourseKit's initial weights, and its first-batch loss must equal CourseKit's.
/// </summary>
internal sealed class CifarBenchmark : IBenchmark
{
    public string Name => "cifar";
    public string Description => "one CifarConvNet epoch on CIFAR-10, none / inline / parallel augmentation vs PyTorch  [--images 10000] [--rounds 2] [--no-python]";

    public int Run(string[] args)
    {
        int images = BenchmarkArgs.Int(args, "--images", 10_000), rounds = BenchmarkArgs.Int(args, "--rounds", 2);
        int threads = Environment.ProcessorCount;
        string folder = Cifar10.FindSample();
        var train = Cifar10.LoadSample(folder).Train.Take(images);
        Console.WriteLine($"cifar: CifarConvNet, {train.Count} training images, batch 100, Adam 0.001, {threads} threads " +
                          "(on a shared machine: compare the ratios, measured in the same run)");
        var augmentation = new RandomAugmentation();

        // The check: PyTorch starts from these weights; the inference loss of the first batch must agree.
        var initial = CifarConvNet.Create(seed: 1);
        string weights = Path.Combine(Path.GetTempPath(), $"coursekit-cifar-weights-{Environment.ProcessId}.bin");
        using (var file = File.Create(weights))
            foreach (var p in initial.Parameters)
                file.Write(System.Runtime.InteropServices.MemoryMarshal.AsBytes(p.Value.ToArray().AsSpan()));
        var first = new DataLoader(train, 100, shuffle: false, normalization: Cifar10.Normalization).Epoch(0).First();
        var loss = new SoftmaxWithLoss();
        float ourFirstLoss = loss.Forward(initial.Forward(first.Images), first.Labels);

        // Warm-up (JIT) on a few batches of each kind.
        var warm = new Trainer(CifarConvNet.Create(seed: 9), new SoftmaxWithLoss(), new Adam());
        warm.Fit(new DataLoader(train.Take(300), 100, augmentation: augmentation, batchesAhead: 2), 1);

        var modes = new (string Name, RandomAugmentation? With, int Ahead)[]
        {
            ("CourseKit, no augmentation", null, 0), ("CourseKit, augmentation inline", augmentation, 0), ("CourseKit, augmentation in parallel", augmentation, 2),
        };
        var seconds = modes.ToDictionary(m => m.Name, _ => new List<double>());
        var torch = new List<double>();
        string? torchUnavailable = null;
        for (int round = 0; round < rounds; round++)
        {
            foreach (var (name, with, ahead) in modes)
            {
                var net = CifarConvNet.Create(seed: 1);
                var trainer = new Trainer(net, new SoftmaxWithLoss(), new Adam(0.001f));
                var loader = new DataLoader(train, 100, seed: (ulong)round, normalization: Cifar10.Normalization, augmentation: with, batchesAhead: ahead);
                var clock = Stopwatch.StartNew();
                trainer.Fit(loader, 1);
                seconds[name].Add(clock.Elapsed.TotalSeconds);
                Console.WriteLine($"  round {round + 1}: {name,-38} {clock.Elapsed.TotalSeconds,7:F2} s (loss of the last 10 batches {trainer.History.IterationLoss.TakeLast(10).Average():F3})");
            }
            if (args.Contains("--no-python") || torchUnavailable is not null) continue;
            var result = PythonReference.Run(PythonReference.Script("cifar_torch.py"),
                [Path.Combine(folder, Cifar10.TrainBatchFile(1)), train.Count.ToString(), "100", threads.ToString(), weights], timeout: TimeSpan.FromMinutes(30));
            if (result.Json is not { } json) { torchUnavailable = result.Unavailable; continue; }
            double theirFirstLoss = json.GetProperty("first_loss").GetDouble();
            if (Math.Abs(theirFirstLoss - ourFirstLoss) > 1e-4 * Math.Max(1, Math.Abs(ourFirstLoss)))
                throw new InvalidOperationException($"cifar: the first batch's loss differs: CourseKit {ourFirstLoss:F6}, PyTorch {theirFirstLoss:F6} (same weights): the networks are not the same.");
            torch.Add(json.GetProperty("seconds").GetDouble());
            Console.WriteLine($"  round {round + 1}: {$"PyTorch {threads} threads, no augmentation",-38} {torch[^1],7:F2} s (first-batch loss {theirFirstLoss:F5} = CourseKit's {ourFirstLoss:F5}; last 10 batches {json.GetProperty("last_loss").GetDouble():F3})");
        }
        File.Delete(weights);

        double none = seconds[modes[0].Name].Min();
        Console.WriteLine($"best of {rounds} rounds, seconds per epoch of {train.Count} images:");
        foreach (var (name, _, _) in modes)
            Console.WriteLine($"  {name,-38} {seconds[name].Min(),7:F2} s  ({seconds[name].Min() / none:F2}x the time without augmentation)");
        if (torch.Count > 0)
            Console.WriteLine($"  {"PyTorch, no augmentation",-38} {torch.Min(),7:F2} s  -> CourseKit without augmentation is {torch.Min() / none:F2}x PyTorch's speed");
        else Console.WriteLine($"  PyTorch: {(args.Contains("--no-python") ? "skipped (--no-python)" : $"unavailable ({torchUnavailable})")}");
        return 0;
    }
}
