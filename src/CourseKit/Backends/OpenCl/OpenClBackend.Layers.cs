using CourseKit.Backends.OpenCl;

namespace CourseKit.Backends;

/// <summary>The layer primitives of IComputeBackend.Layers.cs on the device (kernels in Kernels/LayerKernels.cs).</summary>
public sealed partial class OpenClBackend
{
    public void ActivationBackward(UnaryOp op, TensorStorage x, TensorStorage y, TensorStorage dy, TensorStorage dx, int length, float alpha = 0f)
    {
        if (op is not (UnaryOp.Relu or UnaryOp.LeakyRelu or UnaryOp.Elu or UnaryOp.Sigmoid or UnaryOp.Tanh or UnaryOp.Softsign or UnaryOp.Abs))
            throw new NotSupportedException($"ActivationBackward: no derivative is defined for {op}.");
        string what = $"ActivationBackward({op})";
        device.Launch(LayerKernels.Program, "activation_backward", [Count(length)], NoLocal,
            (int)op, Mem(x, length, what, "x"), Mem(y, length, what, "y"), Mem(dy, length, what, "dy"), Mem(dx, length, what, "dx"), length, alpha);
    }

    public void Softmax(TensorStorage x, int outer, int axis, int inner, TensorStorage y)
    {
        long length = (long)outer * axis * inner;
        string layout = $"(outer {outer}, axis {axis}, inner {inner})";
        device.Launch(LayerKernels.Program, "softmax", [Count((long)outer * inner)], NoLocal,
            Mem(x, length, "Softmax", "x " + layout), outer, axis, inner, Mem(y, length, "Softmax", "y " + layout));
    }

    public void AdamUpdate(TensorStorage param, TensorStorage grad, TensorStorage m, TensorStorage v, int length,
                           float lr, float beta1, float beta2, float eps, float c1, float c2) =>
        device.Launch(LayerKernels.Program, "adam_update", [Count(length)], NoLocal,
            Mem(param, length, "AdamUpdate", "param"), Mem(grad, length, "AdamUpdate", "grad"),
            Mem(m, length, "AdamUpdate", "m"), Mem(v, length, "AdamUpdate", "v"),
            length, lr, beta1, beta2, eps, c1, c2);
}
