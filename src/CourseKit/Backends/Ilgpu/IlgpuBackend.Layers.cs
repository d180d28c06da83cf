using CourseKit.Backends.Ilgpu;
using ILGPU;
using ILGPU.Runtime;

namespace CourseKit.Backends;

/// <summary>The layer primitives of IComputeBackend.Layers.cs on the device (kernels in Kernels/LayerKernels.cs).</summary>
public sealed partial class IlgpuBackend
{
    public void ActivationBackward(UnaryOp op, TensorStorage x, TensorStorage y, TensorStorage dy, TensorStorage dx, int length, float alpha = 0f)
    {
        if (op is not (UnaryOp.Relu or UnaryOp.LeakyRelu or UnaryOp.Elu or UnaryOp.Sigmoid or UnaryOp.Tanh or UnaryOp.Softsign or UnaryOp.Abs))
            throw new NotSupportedException($"ActivationBackward: no derivative is defined for {op}.");
        string what = $"ActivationBackward({op})";
        var (vx, vy, vdy, vdx) = (View(x, length, what, "x"), View(y, length, what, "y"), View(dy, length, what, "dy"), View(dx, length, what, "dx"));
        Launch("ActivationBackward", acc => acc.LoadAutoGroupedKernel<Index1D, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, int, float>(LayerKernels.ActivationBackward),
               (kernel, stream) => kernel(stream, length, vx, vy, vdy, vdx, (int)op, alpha), length);
    }

    public void Softmax(TensorStorage x, int outer, int axis, int inner, TensorStorage y)
    {
        long length = (long)outer * axis * inner;
        string layout = $"(outer {outer}, axis {axis}, inner {inner})";
        var (vx, vy) = (View(x, length, "Softmax", "x " + layout), View(y, length, "Softmax", "y " + layout));
        Launch("Softmax", acc => acc.LoadAutoGroupedKernel<Index1D, ArrayView<float>, ArrayView<float>, int, int>(LayerKernels.Softmax),
               (kernel, stream) => kernel(stream, outer * inner, vx, vy, axis, inner), (long)outer * inner);
    }

    public void AdamUpdate(TensorStorage param, TensorStorage grad, TensorStorage m, TensorStorage v, int length,
                           float lr, float beta1, float beta2, float eps, float c1, float c2)
    {
        var (vp, vg, vm, vv) = (View(param, length, "AdamUpdate", "param"), View(grad, length, "AdamUpdate", "grad"),
                                View(m, length, "AdamUpdate", "m"), View(v, length, "AdamUpdate", "v"));
        var step = new AdamStep(lr, beta1, beta2, eps, c1, c2);
        Launch("AdamUpdate", acc => acc.LoadAutoGroupedKernel<Index1D, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, AdamStep>(LayerKernels.AdamUpdate),
               (kernel, stream) => kernel(stream, length, vp, vg, vm, vv, step), length);
    }
}
