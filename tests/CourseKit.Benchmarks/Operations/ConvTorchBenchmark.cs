using CourseKit.Backends;
using CourseKit.Layers;
using CourseKit.Operations;

namespace CourseKit.Benchmarks.Operations;

/// <summary>
/// <c>conv</c>: our convolution forward, and forward + backward (gradients of input, filters and bias), next to
/// PyTorch's conv2d on the same threads, the two taking turns case by case, on the same inputs, every result checked.
/// Ours runs as the <see cref="Convolution"/> layer runs inside a network: writing into its previous results, as
/// PyTorch's caching allocator hands back the same memory. A third column shows the operation called directly, which
/// returns a new tensor per call: there the fresh pages and garbage collections of a several-MB result can cost more
/// than the convolution itself.
/// </summary>
internal sealed class ConvTorchBenchmark : IBenchmark
{
    public string Name => "conv";
    public string Description => "convolution forward and forward+backward vs PyTorch conv2d  [--device cpu] [--batches 5]";

    // float32 sums of up to a few thousand products in different orders (and Winograd's transforms): about 1e-6
    private const double Tolerance = 1e-4;

    private sealed record Case(string What, ShapeSet Set, int N, int C, int H, int W, int OC, int F, int S, int P)
    {
        public int[] Shape => [N, C, H, W, OC, F, S, P];
        public ConvolutionGeometry Geometry => new(N, C, H, W, F, F, S, P);
    }

    private static readonly Case[] Cases =
    [
        new("MNIST conv1: (100,1,28,28), 30 filters 5x5", ShapeSet.Tuned, 100, 1, 28, 28, 30, 5, 1, 0),
        new("CIFAR-like: (64,64,32,32), 64 filters 3x3 pad 1", ShapeSet.Tuned, 64, 64, 32, 32, 64, 3, 1, 1),
        new("(32,3,32,32), 16 filters 5x5 pad 2", ShapeSet.HeldOut, 32, 3, 32, 32, 16, 5, 1, 2),
        new("(16,32,15,15), 48 filters 3x3 stride 2 pad 1", ShapeSet.HeldOut, 16, 32, 15, 15, 48, 3, 2, 1),
        new("(8,96,20,20), 96 filters 3x3 pad 1", ShapeSet.HeldOut, 8, 96, 20, 20, 96, 3, 1, 1),
    ];

    public int Run(string[] args)
    {
        var device = BenchmarkDevices.FromArgs(args, out string? error);
        if (device is null)
        {
            Console.Error.WriteLine($"conv: {error}");
            return 2;
        }
        int batches = BenchmarkArgs.Int(args, "--batches", 5);
        Machine.Describe("conv", device.Name);
        using var torch = PythonSession.Start(PythonReference.Script("conv_torch.py"), PythonReference.Environment(Machine.Threads), out string? unavailable);
        if (torch is null) Console.WriteLine($"PyTorch: not available ({unavailable})");
        else
        {
            var info = torch.Info;
            Console.WriteLine($"PyTorch {info.GetProperty("torch").GetString()} (oneDNN {(info.GetProperty("onednn").GetBoolean() ? "on" : "off")}), " +
                              $"torch.get_num_threads() = {info.GetProperty("torch_threads").GetInt32()}, BLAS: {info.GetProperty("blas").GetProperty("loaded").GetString()}");
        }

        using var exchange = new ArrayExchange();
        var verdict = new Verdict();
        var ours = new (double? Forward, double? Both, double? Fresh)[Cases.Length];
        var theirs = new (double? Forward, double? Both)[Cases.Length];
        var errors = new string[Cases.Length];
        for (int round = 0; round < 2; round++)
            for (int i = 0; i < Cases.Length; i++)
            {
                var c = Cases[i];
                var inputs = Inputs(c);
                var (forward, both, fresh, results) = Ours(device, c, inputs, batches);
                ours[i] = (Timing.Min(ours[i].Forward, forward), Timing.Min(ours[i].Both, both), Timing.Min(ours[i].Fresh, fresh));
                if (torch is null) continue;
                var files = new Dictionary<string, string>();
                foreach (var (name, values) in inputs) files[name] = exchange.Write($"{name}{i}", values);
                var answer = torch.Call(new
                {
                    op = "conv", shape = c.Shape, x = files["x"], w = files["w"], b = files["b"], dy = files["dy"],
                    y = exchange.Path($"y{i}"), dx = exchange.Path($"dx{i}"), dw = exchange.Path($"dw{i}"), db = exchange.Path($"db{i}"),
                    batches, min_seconds = 0.1,
                });
                theirs[i] = (Timing.Min(theirs[i].Forward, answer.GetProperty("forward").GetDouble()),
                             Timing.Min(theirs[i].Both, answer.GetProperty("forward_backward").GetDouble()));
                if (round > 0) continue;
                errors[i] = string.Join(" ", results.Select(r => Verdict.Error(verdict.Check($"{r.Name} of {c.What}", r.Values, exchange.Read($"{r.Name}{i}"), Tolerance))));
            }

        Console.WriteLine();
        var rows = new List<string[]> { new[] { "case", "set", "ours fwd", "torch", "torch/ours", "ours f+b", "torch", "torch/ours", "ours fwd new Y", "err y dx dW db" } };
        for (int i = 0; i < Cases.Length; i++)
            rows.Add([Cases[i].What, Cases[i].Set.Label(), Ms(ours[i].Forward), Ms(theirs[i].Forward), Ratio.Text(theirs[i].Forward, ours[i].Forward),
                      Ms(ours[i].Both), Ms(theirs[i].Both), Ratio.Text(theirs[i].Both, ours[i].Both), Ms(ours[i].Fresh), errors[i] ?? "-"]);
        Table.Print(rows);
        Console.WriteLine();
        Console.WriteLine("milliseconds per call, best of the batches; torch/ours = PyTorch's time / ours (\"faster\": ours takes less time).");
        Console.WriteLine("ours fwd, f+b: the Convolution layer inside a network (results written into its previous ones, as PyTorch's caching");
        Console.WriteLine("allocator reuses its memory); ours fwd new Y: ConvolutionOperation.Forward called directly, a new result per call.");
        Console.WriteLine("err: max |ours - torch| / max |torch| of Y, dX, dW and db on the same inputs. " + ShapeSets.Legend);
        foreach (var c in Cases)
            Console.WriteLine($"  {c.What}: ours by {Algorithm(device, c)}");
        if (torch is null) verdict.Fail("PyTorch did not run, so no result was checked (apt-get install python3-torch)");
        return verdict.Finish(Console.Out);
    }

    // which of ConvolutionOperation's paths the forward pass takes (the gradients take the same kind)
    private static string Algorithm(Device device, Case c)
    {
        var g = c.Geometry;
        if (ConvolutionOperation.ColumnsFitInCache(g)) return "im2col + GEMM (the batch's columns fit in the cache)";
        if (device.Backend is not IImplicitConvolution) return "im2col + GEMM, a few images at a time";
        if (CpuWinograd.Applies(g, c.OC)) return "Winograd F(2x2, 3x3), 16 GEMMs per image";
        return WideRows.Apply(g) ? "implicit im2col (wide rows of the padded image)" : "implicit im2col";
    }

    private static string Ms(double? seconds) => seconds is null ? "-" : $"{seconds.Value * 1e3:F2}";

    /// <summary>X, F, b and dY with entries uniform in [-1, 1), the same for both sides.</summary>
    private static (string Name, float[] Values)[] Inputs(Case c)
    {
        var random = new Random(c.N * 1000 + c.C * 10 + c.F);
        var g = c.Geometry;
        float[] Fill(int length)
        {
            var values = new float[length];
            for (int i = 0; i < length; i++) values[i] = random.NextSingle() * 2 - 1;
            return values;
        }
        return [("x", Fill(c.N * c.C * c.H * c.W)), ("w", Fill(c.OC * c.C * c.F * c.F)), ("b", Fill(c.OC)), ("dy", Fill(c.N * c.OC * g.OH * g.OW))];
    }

    /// <summary>Best seconds per call of the layer's forward, of forward + backward, of the operation's forward; and Y, dX, dW, db.</summary>
    private static (double Forward, double Both, double Fresh, (string Name, float[] Values)[] Results) Ours(
        Device device, Case c, (string Name, float[] Values)[] inputs, int batches)
    {
        var values = inputs.ToDictionary(v => v.Name, v => v.Values);
        var g = c.Geometry;
        var layer = new Convolution(c.C, c.OC, c.F, c.S, c.P);
        layer.W.Value.Storage.CopyFrom(values["w"]);
        layer.B.Value.Storage.CopyFrom(values["b"]);
        layer.To(device);
        var x = new Tensor([c.N, c.C, c.H, c.W], values["x"]).To(device);
        var dy = new Tensor([c.N, c.OC, g.OH, g.OW], values["dy"]).To(device);

        Tensor y = x, dx = x;
        void Wait() => BenchmarkDevices.Synchronize(dx.Storage);
        double forward = Timing.Best(() => dx = y = layer.Forward(x, training: false, mayReuseResults: true), batches, 0.1, Wait);
        double both = Timing.Best(() =>
        {
            y = layer.Forward(x, training: true, mayReuseResults: true);
            dx = layer.Backward(dy, mayReuseResults: true);
        }, batches, 0.1, Wait);
        double fresh = Timing.Best(() => dx = ConvolutionOperation.Forward(x, layer.W.Value, layer.B.Value, c.S, c.P), batches, 0.1, Wait);

        var results = new[] { ("y", layer.Forward(x, training: true).ToArray()), ("dx", layer.Backward(dy).ToArray()),
                              ("dw", layer.W.Grad.ToArray()), ("db", layer.B.Grad.ToArray()) };
        return (forward, both, fresh, results);
    }
}
