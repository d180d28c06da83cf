namespace CourseKit.Backends;

public sealed partial class CpuBackend : IImplicitConvolution
{
    public void ConvolutionForward(TensorStorage x, ConvolutionGeometry g, TensorStorage f, int outChannels, TensorStorage? bias, TensorStorage y) =>
        CpuImplicitConvolution.Forward(Host(x), g, Host(f), outChannels, bias is null ? null : Host(bias), Host(y));

    public void ConvolutionBackwardFilter(TensorStorage dy, TensorStorage x, ConvolutionGeometry g, int outChannels, TensorStorage df) =>
        CpuImplicitConvolution.BackwardFilter(Host(dy), Host(x), g, outChannels, Host(df));

    public bool TryConvolutionBackwardInput(TensorStorage dy, TensorStorage f, ConvolutionGeometry g, int outChannels, TensorStorage dx)
    {
        if (!CpuImplicitConvolution.BackwardInputApplies(g)) return false;
        CpuImplicitConvolution.BackwardInput(Host(dy), Host(f), g, outChannels, Host(dx));
        return true;
    }
}
