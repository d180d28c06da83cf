using System.Diagnostics;
using System.Text.Json;
using CourseKit.Generative;
using CourseKit.Layers;
using CourseKit.Optimizers;

namespace CourseKit.Benchmarks;

/// <summary>
/// <c>gan</c>: one GAN iteration (a D step, then a G step) of DCGAN on 28x28 images and of pix2pix on 128x128 pairs,
/// CourseKit against PyTorch (gan_torch.py) with the same networks, initial weights, inputs, Adam (lr 2e-4, β₁ 0.5)
/// and threads. First one iteration on fixed noise (and, for pix2pix, without dropout, whose masks the two sides draw
/// differently) is checked: both losses and the gradient norms of every parameter of G and D after it. Then rounds of
/// iterations alternate between the two, pix2pix with its dropout, and the median time per iteration is reported.
/// </summary>
internal sealed class GanBenchmark : IBenchmark
{
    public string Name => "gan";
    public string Description => "one DCGAN (28x28) and one pix2pix (128x128) iteration vs PyTorch  [--batch 64] [--pairs 1] [--size 128] [--width 64] [--rounds 5] [--steps 2]";

    public int Run(string[] args)
    {
        int batch = BenchmarkArgs.Int(args, "--batch", 64), pairs = BenchmarkArgs.Int(args, "--pairs", 1);
        int size = BenchmarkArgs.Int(args, "--size", 128), width = BenchmarkArgs.Int(args, "--width", 64);
        int rounds = BenchmarkArgs.Int(args, "--rounds", 5), steps = BenchmarkArgs.Int(args, "--steps", 2);
        Machine.Describe("gan", "the CPU");
        using var torch = PythonSession.Start(PythonReference.Script("gan_torch.py"), PythonReference.Environment(Machine.Threads), out string? unavailable);
        if (torch is null)
        {
            Console.WriteLine($"PyTorch unavailable ({unavailable}); the benchmark needs its reference (apt-get install python3-torch).");
            return 1;
        }
        Console.WriteLine($"reference: PyTorch {torch.Info.GetProperty("torch").GetString()}, {torch.Info.GetProperty("threads").GetInt32()} threads");
        using var exchange = new ArrayExchange();
        var results = new List<(string Case, double Ours, double Theirs)>();
        bool checkedAll = DcganCase(torch, exchange, batch, rounds, steps, results) & Pix2pixCase(torch, exchange, pairs, size, width, rounds, steps, results);
        Console.WriteLine();
        Table.Print([["case", "CourseKit", "PyTorch", "PyTorch/CourseKit"],
                     .. results.Select(r => new[] { r.Case, $"{r.Ours * 1000:F0} ms", $"{r.Theirs * 1000:F0} ms", $"{r.Theirs / r.Ours:F2}" })]);
        Console.WriteLine("target: PyTorch/CourseKit >= 1 (at least as fast as PyTorch)");
        return checkedAll ? 0 : 1;
    }

    private const int Latent = 100;

    private static bool DcganCase(PythonSession torch, ArrayExchange exchange, int batch, int rounds, int steps, List<(string, double, double)> results)
    {
        string name = $"DCGAN 28x28, batch {batch}";
        Console.WriteLine($"\n{name}: G z(100) → 128×7×7 → 64×14×14 → 1×28×28, D 1×28×28 → 64×14×14 → 128×7×7 → 1");
        var g = Dcgan.Generator(Latent, imageSize: 28, width: 64, seed: 1);
        var d = Dcgan.Discriminator(imageSize: 28, width: 64, seed: 2);
        var real = Tensor.Rand(batch, 1, 28, 28, seed: 3) * 2f - 1f;
        var (z1, z2) = (Tensor.Normal([batch, Latent], 0f, 1f, new Xoshiro256(4)), Tensor.Normal([batch, Latent], 0f, 1f, new Xoshiro256(5)));
        var check = torch.Call(new
        {
            op = "dcgan",
            batch,
            g = Save(exchange, "g", g),
            d = Save(exchange, "d", d),
            real = exchange.Write("real", real.ToArray()),
            z1 = exchange.Write("z1", z1.ToArray()),
            z2 = exchange.Write("z2", z2.ToArray()),
        });
        var trainer = new GanTrainer(g, d, Adam(), Adam(), Latent, seed: 6);
        var (dLoss, _, _) = trainer.DiscriminatorStep(real, latent: z1);
        float gLoss = trainer.GeneratorStep(z2);
        if (!Agree(check, [("D loss", dLoss, "d_loss"), ("G loss", gLoss, "g_loss")], g, d)) return false;

        void Iteration()
        {
            trainer.DiscriminatorStep(real);
            trainer.GeneratorStep(batch);
        }
        var (ours, theirs) = Alternate(torch, "dcgan", Iteration, rounds, steps);
        results.Add((name, ours, theirs));
        return true;
    }

    private static bool Pix2pixCase(PythonSession torch, ArrayExchange exchange, int pairs, int size, int width, int rounds, int steps, List<(string, double, double)> results)
    {
        string name = $"pix2pix {size}x{size}, batch {pairs}";
        var g = Pix2Pix.Generator(inChannels: 1, outChannels: 3, imageSize: size, width: width, seed: 1, dropout: 0f);
        var d = Pix2Pix.PatchGan(inChannels: 4, layers: 3, width: width, seed: 2);
        Console.WriteLine($"\n{name}: U-Net G of {g.Layers.Count(l => l is Convolution)} down and {g.Layers.Count(l => l is ConvolutionTranspose)} up layers " +
                          $"({g.ParameterCount:N0} parameters), 70x70 PatchGAN D ({d.ParameterCount:N0}), λ = 100");
        var x = Tensor.Rand(pairs, 1, size, size, seed: 3) * 2f - 1f;
        var y = Tensor.Rand(pairs, 3, size, size, seed: 4) * 2f - 1f;
        var check = torch.Call(new
        {
            op = "pix2pix",
            pairs,
            size,
            width,
            g = Save(exchange, "pg", g),
            d = Save(exchange, "pd", d),
            x = exchange.Write("x", x.ToArray()),
            y = exchange.Write("y", y.ToArray()),
        });
        var trainer = new Pix2PixTrainer(g, d, Adam(), Adam(), lambda: 100f);
        trainer.Step(x, y);
        var h = trainer.History;
        if (!Agree(check, [("D loss", h.DiscriminatorLoss[^1], "d_loss"), ("G's GAN loss", h.GeneratorGanLoss[^1], "g_gan"), ("L1", h.L1[^1], "l1")], g, d))
            return false;

        // Timing with pix2pix's dropout on both sides (G from the same initial weights).
        var noisy = Pix2Pix.Generator(inChannels: 1, outChannels: 3, imageSize: size, width: width, seed: 1);
        var timed = new Pix2PixTrainer(noisy, d, Adam(), Adam(), lambda: 100f);
        var (ours, theirs) = Alternate(torch, "pix2pix", () => timed.Step(x, y), rounds, steps);
        results.Add((name, ours, theirs));
        return true;
    }

    private static Adam Adam() => new(2e-4f, beta1: 0.5f);

    /// <summary>Writes the network's parameters in its order and returns what the script needs to load them: the file and each shape.</summary>
    private static object Save(ArrayExchange exchange, string name, Layer network) => new
    {
        file = exchange.Write(name, [.. network.Parameters.SelectMany(p => p.Value.ToArray())]),
        shapes = network.Parameters.Select(p => p.Value.Shape.Dims.ToArray()).ToArray(),
    };

    /// <summary>
    /// Losses within 1e-4 (relative) and every gradient norm of G and of D (D's from the G step) within 1e-3 of PyTorch's,
    /// relative to the norm but not below 1e-3 of the network's largest: a bias just before batch normalisation has a
    /// gradient of 0 up to rounding on both sides.
    /// </summary>
    private static bool Agree(JsonElement reference, (string Name, float Ours, string Key)[] losses, Layer g, Layer d)
    {
        bool ok = true;
        foreach (var (what, ours, key) in losses)
        {
            double theirs = reference.GetProperty(key).GetDouble();
            bool close = Math.Abs(ours - theirs) <= 1e-4 * Math.Abs(theirs) + 1e-6;
            Console.WriteLine($"  check {what}: CourseKit {ours:F6}, PyTorch {theirs:F6}{(close ? "" : "  DIFFERS")}");
            ok &= close;
        }
        foreach (var (network, key) in new[] { (g, "g_norms"), (d, "d_norms") })
        {
            double[] ours = [.. network.Parameters.Select(p => Math.Sqrt(p.Grad.ToArray().Sum(v => (double)v * v)))];
            double[] theirs = [.. reference.GetProperty(key).EnumerateArray().Select(e => e.GetDouble())];
            if (ours.Length != theirs.Length) throw new InvalidOperationException($"{network.Name}: {ours.Length} parameters here, {theirs.Length} in PyTorch");
            double floor = 1e-3 * theirs.Max();
            int worst = Enumerable.Range(0, ours.Length).MaxBy(i => Math.Abs(ours[i] - theirs[i]) / Math.Max(theirs[i], floor));
            double error = Math.Abs(ours[worst] - theirs[worst]) / Math.Max(theirs[worst], floor);
            Console.WriteLine($"  check {network.Name}: gradient norms of all {ours.Length} parameters agree to {error:E1} " +
                              $"(worst parameter {worst}: {ours[worst]:E3} vs {theirs[worst]:E3}){(error <= 1e-3 ? "" : "  DIFFERS")}");
            ok &= error <= 1e-3;
        }
        if (!ok) Console.WriteLine("  CHECK FAILED: CourseKit and PyTorch do not compute the same iteration; its time is not reported.");
        return ok;
    }

    /// <summary>Rounds of <paramref name="steps"/> iterations, CourseKit then PyTorch, after one warm-up each; median seconds per iteration of each.</summary>
    private static (double Ours, double Theirs) Alternate(PythonSession torch, string op, Action iteration, int rounds, int steps)
    {
        iteration();
        torch.Call(new { op = "time", @case = op, steps = 1 });
        var ours = new List<double>();
        var theirs = new List<double>();
        for (int r = 0; r < rounds; r++)
        {
            var clock = Stopwatch.StartNew();
            for (int s = 0; s < steps; s++) iteration();
            ours.Add(clock.Elapsed.TotalSeconds / steps);
            theirs.Add(torch.Call(new { op = "time", @case = op, steps }).GetProperty("seconds").GetDouble());
            Console.WriteLine($"  round {r + 1}: CourseKit {ours[^1] * 1000:F0} ms, PyTorch {theirs[^1] * 1000:F0} ms per iteration");
        }
        return (ours.Order().ElementAt(rounds / 2), theirs.Order().ElementAt(rounds / 2));
    }
}
