using CourseKit.Backends.Ilgpu;
using ILGPU;
using ILGPU.Runtime;

namespace CourseKit.Backends;

/// <summary>
/// Convolution without the column matrix in device memory (<see cref="IImplicitConvolution"/>, kernels in
/// Kernels/ImplicitConvolutionKernels.cs): ConvolutionOperation takes this path when a batch's X̃ would be large. As for
/// GEMM, a GPU runs the tiled kernels and the CPU accelerator, where every barrier is a switch between host threads, the naive ones.
/// </summary>
public sealed partial class IlgpuBackend : IImplicitConvolution
{
    public void ConvolutionForward(TensorStorage x, ConvolutionGeometry g, TensorStorage f, int outChannels, TensorStorage? bias, TensorStorage y) =>
        RunConvolutionForward(device.GemmKernel != GemmKernel.Naive, x, g, f, outChannels, bias, y);

    public void ConvolutionBackwardFilter(TensorStorage dy, TensorStorage x, ConvolutionGeometry g, int outChannels, TensorStorage df) =>
        RunConvolutionBackwardFilter(device.GemmKernel != GemmKernel.Naive, dy, x, g, outChannels, df);

    public bool TryConvolutionBackwardInput(TensorStorage dy, TensorStorage f, ConvolutionGeometry g, int outChannels, TensorStorage dx)
    {
        const string op = "ConvolutionBackwardInput";
        g.Validate(op);
        int p = g.OH * g.OW;
        var vdy = View(dy, (long)g.N * outChannels * p, op, $"dY (N, OC, OH, OW) = ({g.N}, {outChannels}, {g.OH}, {g.OW})");
        var vf = View(f, (long)outChannels * g.PatchLength, op, Filter(g, outChannels));
        var vdx = View(dx, Pixels(g), op, $"dX (N, C, H, W) = ({g.N}, {g.C}, {g.H}, {g.W})");
        Launch(op, acc => acc.LoadAutoGroupedKernel<Index1D, ConvolutionGeometry, int, ArrayView<float>, ArrayView<float>, ArrayView<float>>(ImplicitConvolutionKernels.BackwardInput),
               (kernel, stream) => kernel(stream, (int)Pixels(g), g, outChannels, vdy, vf, vdx), Pixels(g));
        return true;
    }

    /// <summary>The forward pass with the naive or the tiled kernel (tests compare both with the CPU).</summary>
    internal void RunConvolutionForward(bool tiled, TensorStorage x, ConvolutionGeometry g, TensorStorage f, int oc, TensorStorage? bias, TensorStorage y)
    {
        const string op = "ConvolutionForward";
        g.Validate(op);
        int p = g.OH * g.OW;
        var vx = View(x, Pixels(g), op, $"X (N, C, H, W) = ({g.N}, {g.C}, {g.H}, {g.W})");
        var vf = View(f, (long)oc * g.PatchLength, op, Filter(g, oc));
        var vy = View(y, (long)g.N * oc * p, op, $"Y (N, OC, OH, OW) = ({g.N}, {oc}, {g.OH}, {g.OW})");
        var vb = bias is null ? vy : View(bias, oc, op, $"the bias ({oc})");   // not read without a bias
        int hasBias = bias is null ? 0 : 1;
        if ((long)g.N * oc * p == 0) return;
        int t = device.GemmTile;
        lock (device.Gate)
        {
            device.Bind();
            if (tiled)
                ForwardTiledKernel(device.Stream, new KernelConfig(new Index3D(Blocks(p, t), Blocks(oc, t), g.N), new Index3D(t, t, 1),
                                   SharedMemoryConfig.RequestDynamic<float>(2 * t * t)), g, oc, hasBias, vx, vf, vb, vy);
            else
                ForwardNaiveKernel(device.Stream, new Index3D(p, oc, g.N), g, oc, hasBias, vx, vf, vb, vy);
        }
    }

    /// <summary>dF with the naive or the tiled kernel (tests compare both with the CPU).</summary>
    internal void RunConvolutionBackwardFilter(bool tiled, TensorStorage dy, TensorStorage x, ConvolutionGeometry g, int oc, TensorStorage df)
    {
        const string op = "ConvolutionBackwardFilter";
        g.Validate(op);
        int p = g.OH * g.OW, k = g.PatchLength;
        var vdy = View(dy, (long)g.N * oc * p, op, $"dY (N, OC, OH, OW) = ({g.N}, {oc}, {g.OH}, {g.OW})");
        var vx = View(x, Pixels(g), op, $"X (N, C, H, W) = ({g.N}, {g.C}, {g.H}, {g.W})");
        var vdf = View(df, (long)oc * k, op, "dF " + Filter(g, oc)[2..]);
        if ((long)oc * k == 0) return;
        int t = device.GemmTile;
        lock (device.Gate)
        {
            device.Bind();
            if (tiled)
                BackwardFilterTiledKernel(device.Stream, new KernelConfig(new Index3D(Blocks(k, t), Blocks(oc, t), 1), new Index3D(t, t, 1),
                                          SharedMemoryConfig.RequestDynamic<float>(2 * t * t)), g, oc, vdy, vx, vdf);
            else
                BackwardFilterNaiveKernel(device.Stream, new Index2D(k, oc), g, oc, vdy, vx, vdf);
        }
    }

    private static string Filter(ConvolutionGeometry g, int oc) => $"F (OC, C, FH, FW) = ({oc}, {g.C}, {g.FH}, {g.FW})";

    private Action<AcceleratorStream, Index3D, ConvolutionGeometry, int, int, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>> ForwardNaiveKernel =>
        device.Kernel("ConvolutionForwardNaive", acc => acc.LoadAutoGroupedKernel<Index3D, ConvolutionGeometry, int, int, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>>(ImplicitConvolutionKernels.ForwardNaive));

    private Action<AcceleratorStream, KernelConfig, ConvolutionGeometry, int, int, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>> ForwardTiledKernel =>
        device.Kernel("ConvolutionForwardTiled", acc => acc.LoadKernel<ConvolutionGeometry, int, int, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>>(ImplicitConvolutionKernels.ForwardTiled));

    private Action<AcceleratorStream, Index2D, ConvolutionGeometry, int, ArrayView<float>, ArrayView<float>, ArrayView<float>> BackwardFilterNaiveKernel =>
        device.Kernel("ConvolutionBackwardFilterNaive", acc => acc.LoadAutoGroupedKernel<Index2D, ConvolutionGeometry, int, ArrayView<float>, ArrayView<float>, ArrayView<float>>(ImplicitConvolutionKernels.BackwardFilterNaive));

    private Action<AcceleratorStream, KernelConfig, ConvolutionGeometry, int, ArrayView<float>, ArrayView<float>, ArrayView<float>> BackwardFilterTiledKernel =>
        device.Kernel("ConvolutionBackwardFilterTiled", acc => acc.LoadKernel<ConvolutionGeometry, int, ArrayView<float>, ArrayView<float>, ArrayView<float>>(ImplicitConvolutionKernels.BackwardFilterTiled));
}
