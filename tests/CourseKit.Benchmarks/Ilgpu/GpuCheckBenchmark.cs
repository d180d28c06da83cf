using System.Diagnostics;
using CourseKit.Backends;
using CourseKit.Data;
using CourseKit.Losses;
using CourseKit.Models;
using CourseKit.Operations;
using CourseKit.Optimizers;
using CourseKit.Training;

namespace CourseKit.Benchmarks;

/// <summary>
/// One unattended run for anyone with a GPU: lists the devices, checks every ILGPU kernel against the CPU backend
/// on the chosen device, then times GEMM, the MNIST and a ResNet-like convolution (forward + backward) and a
/// SimpleConvNet MNIST epoch against the CPU backend in the same process, printing ratios. The first call of each
/// kernel (ILGPU compiling it) is timed apart from the steady state. On ILGPU's CPU accelerator (no GPU) the sizes
/// shrink and the output says so: that run checks correctness, its times say nothing about a GPU.
/// </summary>
internal sealed class GpuCheckBenchmark : IBenchmark
{
    public string Name => "gpu-check";

    public string Description => "devices, every ILGPU kernel vs the CPU, GEMM/convolution/MNIST-epoch times vs the CPU [--device ilgpu:cuda|ilgpu:opencl|ilgpu:cpu|...]";

    private int failures;

    public int Run(string[] args)
    {
        var total = Stopwatch.StartNew();
        Console.WriteLine("ILGPU devices:");
        Console.WriteLine(IlgpuDevice.Describe());
        Console.WriteLine(OpenClDevice.IsAvailable(out var noOpenCl) ? $"OpenCL backend devices:{Environment.NewLine}{OpenClDevice.Describe()}" : $"OpenCL backend: {noOpenCl}");
        var best = BestDevice.Pick();
        Console.WriteLine($"Best device for training: {best}");
        string? requested = Option(args, "--device");
        var device = requested is null ? IlgpuDevice.FirstGpu ?? IlgpuDevice.CpuAccelerator : IlgpuDevice.Get(requested.Replace("ilgpu:", ""));
        bool simulated = !device.IsGpu;
        Console.WriteLine($"Checking {device}{(simulated ? " — ILGPU's CPU accelerator, not a GPU: sizes are cut down and the times only show the simulation's overhead" : "")}.");
        Console.WriteLine();

        CheckKernels(device);
        Console.WriteLine($"Kernel compile time (first calls, once per device): {device.TotalCompileTime.TotalSeconds:F2} s over {device.CompileTimes.Count} kernels; " +
                          $"slowest: {string.Join(", ", device.CompileTimes.OrderByDescending(p => p.Value).Take(3).Select(p => $"{p.Key} {p.Value.TotalMilliseconds:F0} ms"))}");
        Console.WriteLine();

        var random = new Random(1);
        Console.WriteLine($"{"case",-44}{"CPU ms",12}{"device ms",12}{"first call ms",15}{"device/CPU speed",18}");
        foreach (int n in simulated ? new[] { 96 } : new[] { 1024, 4096 })
        {
            var a = Random(random, n * n);
            var b = Random(random, n * n);
            var (ca, cb, cc) = (Upload(Device.Cpu, a), Upload(Device.Cpu, b), Device.Cpu.Allocate(n * n));
            var (da, db, dc) = (Upload(device, a), Upload(device, b), device.Allocate(n * n));
            var row = Compare($"GEMM {n}³", simulated || n > 1024 ? 1 : 3, device,
                () => Device.Cpu.Backend.Gemm(false, false, n, n, n, 1f, ca, 0, n, cb, 0, n, 0f, cc, 0, n),
                () => device.Backend.Gemm(false, false, n, n, n, 1f, da, 0, n, db, 0, n, 0f, dc, 0, n));
            Console.WriteLine($"{"",-44}device {2.0 * n * n * n / (row.Device * 1e6):F1} GFLOP/s, CPU {2.0 * n * n * n / (row.Cpu * 1e6):F1} GFLOP/s");
        }
        if (simulated) Console.WriteLine("GEMM 1024³ and 4096³ skipped: the CPU accelerator would take minutes (96³ instead).");

        // lecture 2.6's MNIST convolution and a ResNet stage: forward, then both gradients.
        ConvolutionCase(device, random, "MNIST conv N×1×28×28 * 30×5×5", simulated ? 4 : 100, 1, 28, 30, 5, 0);
        ConvolutionCase(device, random, simulated ? "ResNet-like conv N×16×16×16 * 16×3×3 pad 1 (cut down)" : "ResNet conv N×64×32×32 * 64×3×3 pad 1", simulated ? 1 : 32, simulated ? 16 : 64, simulated ? 16 : 32, simulated ? 16 : 64, 3, 1);
        TrainingEpoch(device, simulated);

        Console.WriteLine();
        Console.WriteLine($"{(failures == 0 ? "All kernel checks passed" : $"{failures} kernel checks FAILED")}; total {total.Elapsed.TotalSeconds:F0} s.");
        return failures == 0 ? 0 : 1;
    }

    private void CheckKernels(IlgpuDevice device)
    {
        var random = new Random(7);
        var backend = (IlgpuBackend)device.Backend;
        var cpu = CpuBackend.Instance;
        // GEMM: each kernel, each transpose, odd sizes, a batch of two.
        foreach (var kernel in Enum.GetValues<IlgpuBackend.GemmKernel>())
            foreach (var (ta, tb) in new[] { (false, false), (true, false), (false, true), (true, true) })
            {
                int m = 37, n = 29, k = 43, count = 2;
                var a = Random(random, count * m * k); var b = Random(random, count * k * n); var c = Random(random, count * m * n);
                var expected = (float[])c.Clone();
                cpu.GemmBatched(ta, tb, m, n, k, count, 1.5f, new CpuStorage(a), 0, ta ? m : k, m * k, new CpuStorage(b), 0, tb ? k : n, k * n,
                                0.5f, new CpuStorage(expected), 0, n, m * n);
                var dc = Upload(device, c);
                backend.RunGemm(kernel, ta, tb, m, n, k, count, 1.5f, Upload(device, a), 0, ta ? m : k, m * k, Upload(device, b), 0, tb ? k : n, k * n, 0.5f, dc, 0, n, m * n);
                Report($"GEMM {kernel} {(ta ? "Aᵀ" : "A")}·{(tb ? "Bᵀ" : "B")} 2×{m}×{n}×{k}", expected, Read(dc), 1e-4f);
            }
        var g = new ConvolutionGeometry(3, 5, 11, 9, 3, 2, 2, 1);
        var x = Random(random, g.N * g.C * g.H * g.W);
        var col = new float[g.PatchLength * g.Positions];
        cpu.Im2Col(new CpuStorage(x), g, new CpuStorage(col));
        var dcol = device.Allocate(col.Length);
        backend.Im2Col(Upload(device, x), g, dcol);
        Report($"Im2Col {g}", col, Read(dcol), 0f);
        var dx = new float[x.Length];
        cpu.Col2Im(new CpuStorage(col), g, new CpuStorage(dx));
        var ddx = device.Allocate(x.Length);
        backend.Col2Im(dcol, g, ddx);
        Report("Col2Im", dx, Read(ddx), 1e-6f);

        var p = new PoolingGeometry(2, 3, 9, 7, 3, 2, 2, 1);
        int outputs = p.N * p.C * p.OH * p.OW;
        var px = Random(random, p.N * p.C * p.H * p.W);
        var dy = Random(random, outputs);
        var (y, arg, back) = (new float[outputs], new float[outputs], new float[px.Length]);
        cpu.MaxPoolForward(new CpuStorage(px), p, new CpuStorage(y), new CpuStorage(arg));
        cpu.MaxPoolBackward(new CpuStorage(dy), new CpuStorage(arg), p, new CpuStorage(back));
        var (dY, dArg, dBack) = (device.Allocate(outputs), device.Allocate(outputs), device.Allocate(px.Length));
        backend.MaxPoolForward(Upload(device, px), p, dY, dArg);
        backend.MaxPoolBackward(Upload(device, dy), dArg, p, dBack);
        Report("MaxPoolForward", y, Read(dY), 0f);
        Report("MaxPoolBackward", back, Read(dBack), 1e-6f);
        cpu.AveragePoolForward(new CpuStorage(px), p, new CpuStorage(y));
        cpu.AveragePoolBackward(new CpuStorage(dy), p, new CpuStorage(back));
        backend.AveragePoolForward(Upload(device, px), p, dY);
        backend.AveragePoolBackward(Upload(device, dy), p, dBack);
        Report("AveragePoolForward", y, Read(dY), 1e-6f);
        Report("AveragePoolBackward", back, Read(dBack), 1e-6f);

        var v = Random(random, 3 * 17 * 5);
        foreach (var op in Enum.GetValues<ReduceOp>())
        {
            var r = new float[15];
            cpu.Reduce(op, new CpuStorage(v), 3, 17, 5, new CpuStorage(r));
            var dr = device.Allocate(15);
            backend.Reduce(op, Upload(device, v), 3, 17, 5, dr);
            Report($"Reduce {op}", r, Read(dr), 1e-5f);
        }
        var positive = v.Select(e => MathF.Abs(e) + 0.01f).ToArray();
        foreach (var op in Enum.GetValues<UnaryOp>())
        {
            var input = op is UnaryOp.Sqrt or UnaryOp.Log ? positive : v;
            var r = new float[v.Length];
            cpu.Unary(op, new CpuStorage(input), new CpuStorage(r), v.Length, 0.1f);
            var dr = device.Allocate(v.Length);
            backend.Unary(op, Upload(device, input), dr, v.Length, 0.1f);
            Report($"Unary {op}", r, Read(dr), 1e-5f);
        }
        var row = Random(random, 17);
        foreach (var op in Enum.GetValues<BinaryOp>())
        {
            var left = op == BinaryOp.Power ? positive : v;
            int[] shape = [3, 17, 5], aStrides = [85, 5, 1], bStrides = [0, 1, 0];
            var r = new float[v.Length];
            cpu.Binary(op, new CpuStorage(left), aStrides, new CpuStorage(row), bStrides, new CpuStorage(r), shape);
            var dr = device.Allocate(v.Length);
            backend.Binary(op, Upload(device, left), aStrides, Upload(device, row), bStrides, dr, shape);
            Report($"Binary {op} (broadcast)", r, Read(dr), 1e-5f);
            cpu.BinaryScalar(op, new CpuStorage(left), 1.5f, true, new CpuStorage(r), v.Length);
            backend.BinaryScalar(op, Upload(device, left), 1.5f, true, dr, v.Length);
            Report($"BinaryScalar {op}", r, Read(dr), 1e-5f);
        }
        {
            int[] shape = [5, 17, 3], xStrides = [1, 5, 85], yStrides = [51, 3, 1];
            var r = new float[v.Length];
            cpu.StridedCopy(new CpuStorage(v), 0, xStrides, new CpuStorage(r), 0, yStrides, shape);
            var dr = device.Allocate(v.Length);
            backend.StridedCopy(Upload(device, v), 0, xStrides, dr, 0, yStrides, shape);
            Report("StridedCopy (transpose)", r, Read(dr), 0f);
            cpu.Softmax(new CpuStorage(v), 3, 17, 5, new CpuStorage(r));
            backend.Softmax(Upload(device, v), 3, 17, 5, dr);
            Report("Softmax", r, Read(dr), 1e-5f);
            var act = new float[v.Length];
            cpu.Unary(UnaryOp.Tanh, new CpuStorage(v), new CpuStorage(act), v.Length);
            foreach (var op in new[] { UnaryOp.Relu, UnaryOp.LeakyRelu, UnaryOp.Elu, UnaryOp.Sigmoid, UnaryOp.Tanh, UnaryOp.Softsign, UnaryOp.Abs })
            {
                cpu.ActivationBackward(op, new CpuStorage(v), new CpuStorage(act), new CpuStorage(positive), new CpuStorage(r), v.Length, 0.1f);
                backend.ActivationBackward(op, Upload(device, v), Upload(device, act), Upload(device, positive), dr, v.Length, 0.1f);
                Report($"ActivationBackward {op}", r, Read(dr), 1e-5f);
            }
            var (pc, pd) = ((float[])v.Clone(), Upload(device, v));
            var (mc, md, vc, vd) = (new float[v.Length], device.Allocate(v.Length), new float[v.Length], device.Allocate(v.Length));
            cpu.AdamUpdate(new CpuStorage(pc), new CpuStorage(row.Concat(positive).Take(v.Length).ToArray()), new CpuStorage(mc), new CpuStorage(vc), v.Length, 0.01f, 0.9f, 0.999f, 1e-8f, 0.1f, 0.001f);
            backend.AdamUpdate(pd, Upload(device, row.Concat(positive).Take(v.Length).ToArray()), md, vd, v.Length, 0.01f, 0.9f, 0.999f, 1e-8f, 0.1f, 0.001f);
            Report("AdamUpdate", pc, Read(pd), 1e-5f);
        }
        Console.WriteLine(failures == 0 ? "Every kernel agrees with the CPU backend." : $"{failures} kernels disagree with the CPU backend (above).");
    }

    private void ConvolutionCase(IlgpuDevice device, Random random, string name, int n, int c, int size, int filters, int fs, int pad)
    {
        var x = Tensor.FromData([n, c, size, size], Random(random, n * c * size * size));
        var f = Tensor.FromData([filters, c, fs, fs], Random(random, filters * c * fs * fs));
        int outSize = size + 2 * pad - fs + 1;
        var dy = Tensor.FromData([n, filters, outSize, outSize], Random(random, n * filters * outSize * outSize));
        var (gx, gf, gdy) = (x.To(device), f.To(device), dy.To(device));
        Tensor? cpuY = null, deviceY = null;
        void Pass(Tensor px, Tensor pf, Tensor pdy, ref Tensor? y)
        {
            y = ConvolutionOperation.Forward(px, pf, pad: pad);
            ConvolutionOperation.BackwardInput(pdy, pf, px.Shape, pad: pad);
            ConvolutionOperation.BackwardFilter(pdy, px, pf.Shape, pad: pad);
        }
        Compare($"{name.Replace("N×", $"{n}×")} fwd+bwd", 3, device, () => Pass(x, f, dy, ref cpuY), () => Pass(gx, gf, gdy, ref deviceY));
        Report($"{name} forward", cpuY!.ToArray(), deviceY!.ToArray(), 1e-3f);
    }

    private void TrainingEpoch(IlgpuDevice device, bool simulated)
    {
        var mnist = Mnist.LoadSample();
        int count = simulated ? 100 : mnist.Train.Count;
        double Epoch(Device on)
        {
            var train = new DataLoader(mnist.Train.Take(count), batchSize: simulated ? 50 : 100, shuffle: true, seed: 1, device: on);
            var net = SimpleConvNet.Create(seed: 1).To(on);
            var trainer = new Trainer(net, new SoftmaxWithLoss(), new Adam(0.001f));
            trainer.Fit(new DataLoader(mnist.Train.Take(simulated ? 50 : 100), batchSize: simulated ? 50 : 100, device: on), epochs: 1);   // warm-up: compile and fill the buffer pool
            var clock = Stopwatch.StartNew();
            trainer.Fit(train, epochs: 1);
            if (on is IlgpuDevice d) d.Synchronize();
            return clock.Elapsed.TotalMilliseconds;
        }
        double cpu = Epoch(Device.Cpu), onDevice = Epoch(device);
        Console.WriteLine($"{$"MNIST epoch, SimpleConvNet, {count} images",-44}{cpu,12:F0}{onDevice,12:F0}{"",15}{cpu / onDevice,17:F2}x");
        if (simulated) Console.WriteLine($"(the sample's {mnist.Train.Count} training images cut to {count} on the CPU accelerator)");
    }

    /// <summary>Times the CPU and the device (median of <paramref name="repeat"/> after a first call, which is reported alone) and prints the ratio.</summary>
    private static (double Cpu, double Device) Compare(string name, int repeat, IlgpuDevice device, Action onCpu, Action onDevice)
    {
        double cpu = Median(repeat, onCpu, () => { }, out _);
        double gpu = Median(repeat, onDevice, device.Synchronize, out double first);
        Console.WriteLine($"{name,-44}{cpu,12:F1}{gpu,12:F1}{first,15:F1}{cpu / gpu,17:F2}x");
        return (cpu, gpu);
    }

    private static double Median(int repeat, Action run, Action wait, out double first)
    {
        var clock = Stopwatch.StartNew();
        run();
        wait();
        first = clock.Elapsed.TotalMilliseconds;
        var times = new double[repeat];
        for (int r = 0; r < repeat; r++)
        {
            clock.Restart();
            run();
            wait();
            times[r] = clock.Elapsed.TotalMilliseconds;
        }
        Array.Sort(times);
        return times[repeat / 2];
    }

    private void Report(string what, float[] expected, float[] actual, float tolerance)
    {
        float worst = 0f;
        for (int i = 0; i < expected.Length; i++)
        {
            if (float.IsNaN(expected[i]) && float.IsNaN(actual[i])) continue;
            worst = MathF.Max(worst, MathF.Abs(expected[i] - actual[i]) / (1f + MathF.Abs(expected[i])));
        }
        bool ok = worst <= tolerance && !float.IsNaN(worst);
        if (!ok)
        {
            failures++;
            Console.WriteLine($"  FAIL {what}: relative error {worst:E2} > {tolerance:E0}");
        }
    }

    private static float[] Random(Random random, int length)
    {
        var values = new float[length];
        for (int i = 0; i < length; i++) values[i] = random.NextSingle() * 2f - 1f;
        return values;
    }

    private static float[] Read(TensorStorage s)
    {
        var values = new float[s.Length];
        s.CopyTo(values);
        return values;
    }

    private static TensorStorage Upload(Device device, float[] values)
    {
        var storage = device.Allocate(values.Length);
        storage.CopyFrom(values);
        return storage;
    }

    private static string? Option(string[] args, string name)
    {
        int i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }
}
