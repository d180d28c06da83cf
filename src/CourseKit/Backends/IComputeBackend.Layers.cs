namespace CourseKit.Backends;

/// <summary>
/// The few primitives the layers need beyond the core interface (layers never loop over elements
/// themselves, so the same layer code runs on every device). Every backend implements each one
/// exactly as documented here; <see cref="CpuBackend"/> holds the plain reference loops.
/// </summary>
public partial interface IComputeBackend
{
    /// <summary>
    /// Backward of an elementwise activation y = f(x): dx[i] = f'(x[i])·dy[i] for i &lt; <paramref name="length"/>,
    /// where x is the activation's input and y its output (whichever is cheaper is used):
    /// Relu: x &gt; 0 ? dy : 0 · LeakyRelu: x &gt; 0 ? dy : alpha·dy · Elu: x &gt; 0 ? dy : (y + alpha)·dy ·
    /// Sigmoid: y·(1 − y)·dy · Tanh: (1 − y²)·dy · Softsign: dy / (1 + |x|)² · Abs: sign(x)·dy (0 at 0).
    /// Other ops throw <see cref="NotSupportedException"/>.
    /// </summary>
    void ActivationBackward(UnaryOp op, TensorStorage x, TensorStorage y, TensorStorage dy, TensorStorage dx, int length, float alpha = 0f);

    /// <summary>
    /// Softmax of x viewed as (outer, axis, inner) along its middle axis, written to y (same layout):
    /// y[o,a,i] = exp(x[o,a,i] − m[o,i]) / Σ_a' exp(x[o,a',i] − m[o,i]) with m the maximum along the axis
    /// (subtracting it keeps exp from overflowing; lecture's softmax). Rows of a (N, K) matrix: outer = N, axis = K, inner = 1;
    /// per-pixel class scores (N, K, H, W): outer = N, axis = K, inner = H·W.
    /// </summary>
    void Softmax(TensorStorage x, int outer, int axis, int inner, TensorStorage y);

    /// <summary>
    /// One Adam step in place over <paramref name="length"/> elements (Kingma &amp; Ba 2015):
    /// m = β1·m + (1 − β1)·g; v = β2·v + (1 − β2)·g²; p −= lr · (m / c1) / (√(v / c2) + eps),
    /// where c1 = 1 − β1^t and c2 = 1 − β2^t are the bias corrections of step t (given by the caller).
    /// </summary>
    void AdamUpdate(TensorStorage param, TensorStorage grad, TensorStorage m, TensorStorage v, int length,
                    float lr, float beta1, float beta2, float eps, float c1, float c2);
}
