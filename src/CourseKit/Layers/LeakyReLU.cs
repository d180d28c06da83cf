using CourseKit.Backends;

namespace CourseKit.Layers;

/// <summary>Leaky ReLU: y = x for x &gt; 0, α·x otherwise; dx = dout or α·dout.</summary>
public sealed class LeakyReLU(float alpha = 0.01f) : Activation(UnaryOp.LeakyRelu, alpha);
