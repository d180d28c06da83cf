namespace CourseKit.Backends;

public sealed partial class CpuBackend : IBatchNormalization
{
    public void BatchNormalizationStatistics(TensorStorage x, int n, int channels, int pixels, TensorStorage mean, TensorStorage variance) =>
        CpuBatchNormalization.Statistics(Host(x), n, channels, pixels, Host(mean), Host(variance));

    public void BatchNormalizationForward(TensorStorage x, int n, int channels, int pixels, TensorStorage mean, TensorStorage invStd,
                                          TensorStorage gamma, TensorStorage beta, TensorStorage y) =>
        CpuBatchNormalization.Forward(Host(x), n, channels, pixels, Host(mean), Host(invStd), Host(gamma), Host(beta), Host(y));

    public void BatchNormalizationBackward(TensorStorage dy, TensorStorage x, int n, int channels, int pixels, TensorStorage mean,
                                           TensorStorage invStd, TensorStorage gamma, bool batchStatistics,
                                           TensorStorage dx, TensorStorage dgamma, TensorStorage dbeta) =>
        CpuBatchNormalization.Backward(Host(dy), Host(x), n, channels, pixels, Host(mean), Host(invStd), Host(gamma), batchStatistics,
                                       Host(dx), Host(dgamma), Host(dbeta));
}
